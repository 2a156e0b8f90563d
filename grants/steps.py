"""The application form's steps, declared once: their order, what each edits, when each is open.

The form has one step per ``ApplicationPart`` and ends with the review. A completion request
names the parts the applicant may change; the services refuse changes to the others
(``grants.services.drafts._require_editable``), and the pages show those parts read-only.
"""

from django.utils.translation import gettext_lazy as _

from grants import workflow
from grants.models import Application, ApplicationPart
from grants.workflow import ApplicationState

REVIEW = "review"

#: The steps of the form in order, as (code, label).
STEPS = [
    *ApplicationPart.choices,
    (REVIEW, _("Review and submit")),
]
STEP_CODES = [code for code, _label in STEPS]
STEP_LABELS = dict(STEPS)

#: Where a problem that no step of the form fixes is fixed: the organisation's payout account.
PAYOUT_ACCOUNT = "payout_account"

#: The application fields each part edits; the budget lines and attachments are parts too.
PART_FIELDS = {
    ApplicationPart.PROJECT: ["title", "summary", "description", "letter_language"],
    ApplicationPart.ACTIVITY: [
        "activity_starts",
        "activity_ends",
        "target_groups",
        "municipalities",
    ],
    ApplicationPart.PERSPECTIVES: ["perspectives", "agenda_goals"],
    ApplicationPart.BUDGET: ["requested_amount"],
    ApplicationPart.ATTACHMENTS: [],
}
FIELD_PART = {field: part for part, fields in PART_FIELDS.items() for field in fields}

#: The 17 goals of Agenda 2030, by number.
AGENDA_2030_GOALS = [
    (1, _("No poverty")),
    (2, _("Zero hunger")),
    (3, _("Good health and well-being")),
    (4, _("Quality education")),
    (5, _("Gender equality")),
    (6, _("Clean water and sanitation")),
    (7, _("Affordable and clean energy")),
    (8, _("Decent work and economic growth")),
    (9, _("Industry, innovation and infrastructure")),
    (10, _("Reduced inequalities")),
    (11, _("Sustainable cities and communities")),
    (12, _("Responsible consumption and production")),
    (13, _("Climate action")),
    (14, _("Life below water")),
    (15, _("Life on land")),
    (16, _("Peace, justice and strong institutions")),
    (17, _("Partnerships for the goals")),
]

EDITABLE_STATES = {ApplicationState.DRAFT, ApplicationState.COMPLETION_REQUESTED}


def is_editable(application: Application) -> bool:
    """Return whether the applicant may still change the application at all."""
    return application.state in EDITABLE_STATES


def open_completion_request(application: Application):
    """Return the unanswered completion request of the application, or None."""
    return application.completion_requests.filter(answered_at__isnull=True).first()


def editable_parts(application: Application, completion_request=None) -> list[str]:
    """Return the parts the applicant may change now, in form order.

    Every part of a draft; for a completion request, the parts it names (every part when it
    names none); nothing in any other state. Pass the open ``completion_request`` when it has
    already been read, to save the query.
    """
    parts = list(ApplicationPart.values)
    if application.state == ApplicationState.DRAFT:
        return parts
    if application.state != ApplicationState.COMPLETION_REQUESTED:
        return []
    request = completion_request or open_completion_request(application)
    if request is None or not request.parts:
        return parts
    return [part for part in parts if part in request.parts]


def located_problems(application: Application) -> list[tuple[str, str | None]]:
    """Return what stops the application from being submitted, each with where it is fixed.

    Each message comes from ``grants.services.submission_problems``; the place is found by
    checking the same conditions in the same order: a step code, ``PAYOUT_ACCOUNT``, or None when
    nothing in the form fixes it (a closed call, a type of organisation the programme refuses).
    """
    # Imported here: the services import this module to know which parts are editable.
    from grants.services import submission_problems

    check_call = application.state == ApplicationState.DRAFT
    messages = submission_problems(application, check_call=check_call)
    places = _problem_places(application, check_call=check_call)
    if len(places) != len(messages):
        # submission_problems has learnt a check this function does not know: show it unplaced.
        places = [None] * len(messages)
    return list(zip(messages, places, strict=True))


def _problem_places(application: Application, *, check_call: bool) -> list[str | None]:
    """Return the place of each failing submission condition, in submission_problems' order."""
    places = []
    if check_call and not workflow.call_is_open(application):
        places.append(None)
    if not workflow.organisation_type_eligible(application):
        places.append(None)
    if application.requested_amount is None or not workflow.amount_within_limits(application):
        places.append(ApplicationPart.BUDGET)
    if not application.budget_balances() or not application.cofinancing_sufficient():
        places.append(ApplicationPart.BUDGET)
    if application.missing_attachment_kinds():
        places.append(ApplicationPart.ATTACHMENTS)
    if not workflow.has_payout_account(application):
        places.append(PAYOUT_ACCOUNT)
    return places
