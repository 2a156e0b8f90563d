"""The casework of the demo: applications written, submitted, handled, assessed and decided."""

from decimal import Decimal
from typing import TYPE_CHECKING

from decisions import services as decision_services
from decisions.committee import COMMITTEE_BODY
from decisions.demo import documents
from decisions.demo.applications import (
    APPLICATIONS,
    DECIDER,
    OFFICER,
    SECRETARY,
    VKU,
    ApplicationSpec,
)
from decisions.demo.budgets import budget_lines
from decisions.models import Decision
from decisions.services import CommitteeMeeting
from grants import services as grant_services
from grants.models import ORGANISATION_DOCUMENT_KINDS, Application, Assessment, Perspective
from organisations.models import User

if TYPE_CHECKING:
    from decisions.demo.builder import DemoBuilder

COMMITTEE = COMMITTEE_BODY
COMMITTEE_PARAGRAPH = "§ 87"  # the operating grants, decided together (samlingsbeslut)

CONDITIONS = (
    "Bidraget får bara användas till det som beskrivs i ansökan. Större förändringar ska "
    "godkännas skriftligt av regionen i förväg. Region Jämtland Härjedalen ska anges som "
    "finansiär i all information och marknadsföring. Deltagare och publik ska få information "
    "om tillgängligheten."
)

OUTCOMES = {
    "approve": Decision.Outcome.APPROVED,
    "approve_partly": Decision.Outcome.APPROVED_PARTLY,
    "reject": Decision.Outcome.REJECTED,
    "dismiss": Decision.Outcome.DISMISSED,
}

# What each fate of applications.py passes through on its way.
DECIDED = {
    "approved",
    "rejected",
    "dismissed",
    "report_submitted",
    "report_completion_requested",
    "closed",
    "repayment_claimed",
    "repaid",
}
PROPOSED = DECIDED | {"proposed", "under_review_returned"}
REVIEWED = PROPOSED | {"under_review", "completion_requested"}
SUBMITTED = REVIEWED | {"submitted", "withdrawn"}
UNFINISHED_DRAFTS = {"draft_incomplete"}


def write_applications(demo: "DemoBuilder") -> None:
    """Write every application as a draft, and submit those that went further."""
    for spec in APPLICATIONS:
        demo.built.applications[spec.key] = _draft(demo, spec)
    for spec in demo.specs_with(SUBMITTED):
        grant_services.application_submit(
            application=demo.application(spec.key), actor=demo.signatory(spec)
        )
    for spec in demo.specs_with({"withdrawn_draft"}):
        grant_services.application_withdraw(
            application=demo.application(spec.key),
            actor=demo.signatory(spec),
            reason=spec.withdrawn,
        )


def _draft(demo: "DemoBuilder", spec: ApplicationSpec) -> Application:
    organisation = demo.organisation(spec.organisation)
    author = demo.user(spec.author) if spec.author else demo.signatory(spec)
    starts, ends = demo.activity_period(spec)
    application = grant_services.application_create(
        organisation=organisation,
        call=demo.built.calls[spec.call],
        actor=author,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        activity_starts=starts,
        activity_ends=ends,
        target_groups=list(spec.target_groups),
        municipalities=list(spec.municipalities),
        perspectives=dict(spec.perspectives),
        agenda_goals=list(spec.agenda_goals),
        requested_amount=Decimal(spec.requested),
        letter_language=spec.letter_language,
    )
    lines = budget_lines(spec, organisation.municipality)
    grant_services.budget_set(application=application, actor=author, lines=lines)
    if spec.fate in UNFINISHED_DRAFTS:
        return application
    programme = demo.built.calls[spec.call].programme
    for kind in programme.required_attachments:
        if kind in ORGANISATION_DOCUMENT_KINDS:
            continue  # on file as the organisation's yearly document
        if kind == "budget_specification":
            file, name = documents.budget_specification(spec, organisation, lines)
        else:
            file, name = documents.plan(kind, spec, organisation, author, (starts, ends))
        grant_services.attachment_add(
            application=application,
            actor=author,
            kind=kind,
            file=file,
            original_name=name,
            content_type="application/pdf",
        )
    return application


def handle_applications(demo: "DemoBuilder") -> None:
    """Take the submitted cases through review, completion, assessment and proposal."""
    for spec in demo.specs_with({"withdrawn"}):
        grant_services.application_withdraw(
            application=demo.application(spec.key),
            actor=demo.signatory(spec),
            reason=spec.withdrawn,
        )
    for spec in demo.specs_with(REVIEWED):
        officer = demo.user(spec.officer)
        grant_services.application_start_review(
            application=demo.application(spec.key), actor=officer
        )
        if spec.completion:
            _completion(demo, spec, officer)
        if spec.extra.get("assessment") == "partial":
            _assess_partly(demo, spec, officer)
        if spec.fate in PROPOSED:
            _assess(demo, spec, officer)
            grant_services.application_propose(
                application=demo.application(spec.key), actor=officer
            )
        if spec.returned:
            grant_services.application_return_for_review(
                application=demo.application(spec.key),
                actor=demo.user(DECIDER),
                reason=spec.returned,
            )


def _completion(demo: "DemoBuilder", spec: ApplicationSpec, officer: User) -> None:
    message, reply = spec.completion
    grant_services.application_request_completion(
        application=demo.application(spec.key),
        actor=officer,
        message=message,
        due_date=demo.days(14),
        parts=["budget", "attachments"] if spec.fate == "dismissed" else ["budget", "project"],
    )
    if not reply:
        return  # the applicant has yet to answer
    applicant = demo.signatory(spec)
    if spec.fate == "under_review_returned":
        organisation = demo.organisation(spec.organisation)
        grant_services.budget_set(
            application=demo.application(spec.key),
            actor=applicant,
            lines=budget_lines(spec, organisation.municipality, revised=True),
        )
    grant_services.application_complete(
        application=demo.application(spec.key), actor=applicant, reply=reply
    )


def _assess(demo: "DemoBuilder", spec: ApplicationSpec, officer: User) -> Assessment:
    application = demo.application(spec.key)
    plan = spec.assessment
    criteria = list(application.call.programme.criteria.all())
    comments = {
        5: "Mycket väl beskrivet och genomarbetat.",
        4: "Väl beskrivet.",
        3: "Godtagbart, men kan utvecklas.",
        2: "Svagt underbyggt.",
        1: "Saknas i stort sett.",
    }
    perspectives = {}
    for key, _label in Perspective.choices:
        if key in spec.perspectives:
            perspectives[key] = {
                "rating": Assessment.Rating.STRENGTHENS,
                "comment": "Ansökan beskriver konkreta åtgärder som stärker perspektivet.",
            }
        else:
            perspectives[key] = {
                "rating": Assessment.Rating.NEUTRAL,
                "comment": "Perspektivet berörs inte särskilt; verksamheten bedöms inte "
                "påverka det negativt.",
            }
    approving = plan.recommendation in ("approve", "approve_partly")
    if plan.recommendation == "approve":
        amount = Decimal(spec.requested)
    elif plan.amount is not None:
        amount = Decimal(plan.amount)
    else:
        amount = None
    return grant_services.assessment_save(
        application=application,
        actor=officer,
        scores={
            criterion.pk: (score, comments[score])
            for criterion, score in zip(criteria, plan.scores, strict=True)
        },
        perspectives=perspectives,
        agenda_goals=list(spec.agenda_goals),
        recommendation=plan.recommendation,
        proposed_amount=amount,
        reasons=plan.reasons,
        conditions=CONDITIONS if approving else "",
    )


def _assess_partly(demo: "DemoBuilder", spec: ApplicationSpec, officer: User) -> Assessment:
    """Save the start of an assessment: two criteria scored, two perspectives, no proposal."""
    application = demo.application(spec.key)
    first, second = list(application.call.programme.criteria.all())[:2]
    return grant_services.assessment_save(
        application=application,
        actor=officer,
        scores={
            first.pk: (4, "Väl beskrivet; filmpedagogerna har lång erfarenhet."),
            second.pk: (3, "Når unga i hela Härjedalen om resorna ordnas; fråga om skolskjuts."),
        },
        perspectives={
            "children_youth": {
                "rating": Assessment.Rating.STRENGTHENS,
                "comment": "Ungdomarna bestämmer själva filmernas ämnen och form.",
            },
            "accessibility": {"rating": "", "comment": "Fråga om biografens hörslinga."},
        },
        agenda_goals=list(spec.agenda_goals),
    )


#: Internal notes (tjänsteanteckningar) staff have written in cases: (case, author, note).
INTERNAL_NOTES = [
    (
        "timmerflottarna",
        OFFICER,
        "Har stämt av med Filmpool Jämtland: de går in med samfinansiering enligt budgeten. "
        "Kostnaden för arkivmaterial är hög jämfört med liknande produktioner, därför "
        "förslag om delvis bifall.",
    ),
    (
        "filmverkstad",
        OFFICER,
        "Samtal med filmklubbens ordförande: biografen i Sveg är bokad för premiärkvällen och "
        "utrustningen lånas av Filmpool. Bedömningen fortsätter när turnéplanen för "
        "skolorna har kommit.",
    ),
    (
        "fjallopera",
        OFFICER,
        "Stiftelsen har fått projektbidrag tidigare och redovisat i tid. Turnén till "
        "fjällstationerna är dyr; föreslår delvis bifall med 200 000 kronor.",
    ),
    (
        "sagofestival",
        SECRETARY,
        "Ärendet tas upp på nämndens sammanträde tillsammans med övriga förslag i omgången.",
    ),
    (
        "spelmansstamma",
        DECIDER,
        "Återförvisat till handläggaren: bedömningen av tillgängligheten behöver göras om "
        "efter kompletteringen.",
    ),
]


def write_internal_notes(demo: "DemoBuilder") -> None:
    """Write the staff's internal notes in a few cases; applicants never see them."""
    for key, author, body in INTERNAL_NOTES:
        grant_services.internal_note_add(
            application=demo.application(key), actor=demo.user(author), body=body
        )
    demo.say(f"Internal notes: {len(INTERNAL_NOTES)}")


def decide_applications(demo: "DemoBuilder") -> None:
    """Decide by delegation, and at the committee what is above every delegation."""
    decider, secretary = demo.user(DECIDER), demo.user(SECRETARY)
    committee_cases = []
    for spec in demo.specs_with(DECIDED):
        application = demo.application(spec.key)
        if spec.call == VKU:
            committee_cases.append(application)
            continue
        paragraph = spec.extra.get("committee")
        decision_services.decision_record(
            application=application,
            actor=secretary if paragraph else decider,
            outcome=OUTCOMES[spec.assessment.recommendation],
            reasons=spec.assessment.reasons,
            amount=application.assessment.proposed_amount,
            committee=CommitteeMeeting(COMMITTEE, demo.today, paragraph) if paragraph else None,
        )
    decision_services.committee_decide(
        applications=committee_cases,
        actor=secretary,
        committee=CommitteeMeeting(COMMITTEE, demo.today, COMMITTEE_PARAGRAPH),
    )
    decisions = Decision.objects.all()
    committee = decisions.filter(committee_meeting_date__isnull=False).count()
    demo.say(
        f"Decisions: {decisions.count()} ({decisions.count() - committee} by delegation, "
        f"{committee} by {COMMITTEE})"
    )
