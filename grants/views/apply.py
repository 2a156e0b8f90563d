"""The application form: starting a draft, its steps, the autosave, and a lost session survived.

Every step saves the draft through the services; the page script saves as the applicant types
(``autosave``) and keeps a copy in the browser. A step posted after the session has expired is
kept in the session over the login (``login_required_keeping_post``) and shown again to check.
"""

from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import selectors, services, steps
from grants.forms import STEP_FORMS, BudgetForm, StartForm
from grants.models import Application, ApplicationPart, BudgetLine, Call
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.selectors import organisations_for_user

#: Session key of the steps posted after the session expired: {path: {field: [values]}}.
STASH_SESSION_KEY = "apply_stash"


def login_required_keeping_post(view):
    """Require login like ``login_required``, but keep what a logged-out user posted.

    When the session has expired, the posted fields (never files) are kept in the new session
    under the step's path (in the default language), and the login sends the user back here;
    the step then shows them again to check and save (``_unstash``).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            stash = request.session.get(STASH_SESSION_KEY, {})
            stash[_stash_key(request)] = {
                name: request.POST.getlist(name)
                for name in request.POST
                if name != "csrfmiddlewaretoken"
            }
            request.session[STASH_SESSION_KEY] = stash
            messages.warning(
                request,
                _(
                    "You were logged out, so the step was not saved. Log in again: what you "
                    "wrote is kept, and you can check it and save."
                ),
            )
            files = [file.name for file in request.FILES.values()]
            if files:
                # A file cannot be kept for someone not logged in: anyone could fill the disk.
                messages.warning(
                    request,
                    _(
                        "The file “%(names)s” was not uploaded. After logging in, choose it "
                        "again; the files uploaded before are all kept."
                    )
                    % {"names": "”, “".join(files)},
                )
        return redirect_to_login(request.get_full_path())

    return wrapper


def _stash_key(request) -> str:
    """Return the path in the default language: the login may come back in another one."""
    return translate_url(request.path, settings.LANGUAGE_CODE)


def _unstash(request) -> QueryDict | None:
    """Take what was posted to this path while logged out, if anything."""
    stash = request.session.get(STASH_SESSION_KEY) or {}
    fields = stash.pop(_stash_key(request), None)
    if fields is None:
        return None
    if stash:
        request.session[STASH_SESSION_KEY] = stash
    else:
        del request.session[STASH_SESSION_KEY]
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data


# Starting


@login_required
def start(request, call_pk: int):
    """Start a draft application to a call: which organisation applies, and a title."""
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_pk)
    organisations = list(organisations_for_user(user=request.user))
    if not organisations:
        messages.info(
            request,
            _("Register the organisation you apply for first; then you can start the application."),
        )
        return redirect("organisations:register")
    form = None
    if call.is_open() and call.programme.is_active:
        form = StartForm(request.POST or None, organisations=organisations)
        if request.method == "POST" and form.is_valid():
            try:
                application = services.application_create(
                    organisation=form.chosen_organisation(),
                    call=call,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The draft is saved. Fill in the steps in any order; what you write "
                        "is saved as you go."
                    ),
                )
                return redirect("apply:step", pk=application.pk, step=ApplicationPart.PROJECT)
    return render(
        request,
        "grants/apply/start.html",
        {
            "call": call,
            "form": form,
            "closed_call": form is None,
            "call_not_yet_open": timezone.now() < call.opens_at,
            "warnings": _start_warnings(call, organisations),
        },
    )


def _start_warnings(call: Call, organisations) -> list[dict]:
    """Return, per organisation, what stands in the way: its type, drafts already started."""
    drafts = {}
    for application in Application.objects.filter(
        call=call, organisation__in=organisations, state=ApplicationState.DRAFT
    ).order_by("created_at"):
        drafts.setdefault(application.organisation_id, []).append(application)
    warnings = []
    for organisation in organisations:
        eligible = organisation.org_type in call.programme.eligible_org_types
        if eligible and organisation.pk not in drafts:
            continue
        warnings.append(
            {
                "organisation": organisation,
                "eligible": eligible,
                "drafts": drafts.get(organisation.pk, []),
            }
        )
    return warnings


# The steps


def step_url(application: Application, step: str) -> str:
    return reverse("apply:step", kwargs={"pk": application.pk, "step": step})


def problem_url(application: Application, place: str | None) -> str | None:
    """Return where a submission problem is fixed: a step, the payout account page, or nowhere."""
    if place == steps.PAYOUT_ACCOUNT:
        return reverse("organisations:payout_account", kwargs={"pk": application.organisation_id})
    if place:
        return step_url(application, place)
    return None


_UNREAD = object()


def step_context(request, application: Application, step: str, completion_request=_UNREAD):
    """Return what ``templates/grants/apply/step_base.html`` needs (documented there)."""
    if completion_request is _UNREAD:
        completion_request = (
            steps.open_completion_request(application)
            if application.state == ApplicationState.COMPLETION_REQUESTED
            else None
        )
    editable_parts = steps.editable_parts(application, completion_request)
    located = steps.located_problems(application)
    places = {place for _message, place in located}
    step_list = [
        {
            "code": code,
            "label": label,
            "url": step_url(application, code),
            "current": code == step,
            "has_problems": code in places,
            "editable": code == steps.REVIEW or code in editable_parts,
        }
        for code, label in steps.STEPS
    ]
    index = steps.STEP_CODES.index(step)
    editable = step == steps.REVIEW or step in editable_parts
    return {
        "application": application,
        "step": step,
        "step_label": steps.STEP_LABELS[step],
        "steps": step_list,
        "previous_step": step_list[index - 1] if index > 0 else None,
        "next_step": step_list[index + 1] if index + 1 < len(step_list) else None,
        "problems": [
            {"message": message, "url": problem_url(application, place), "place": place}
            for message, place in located
        ],
        "editable": editable,
        "editable_parts": editable_parts,
        "open_steps": [item for item in step_list if item["code"] in editable_parts],
        "completion_request": completion_request,
        "autosave_url": (
            reverse("apply:autosave", kwargs={"pk": application.pk, "step": step})
            if editable and step in STEP_FORMS
            else ""
        ),
    }


@login_required_keeping_post
def step(request, pk: int, step: str):
    """Show and save one step of the application form."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    if step not in steps.STEP_CODES:
        raise Http404
    if not steps.is_editable(application):
        messages.info(
            request,
            _("The application is “%(state)s” and can no longer be changed here.")
            % {"state": application.get_state_display()},
        )
        return redirect("portal:application", pk=application.pk)
    if step == ApplicationPart.ATTACHMENTS:
        from grants.views.attachments import attachments_step

        return attachments_step(request, application)
    if step == steps.REVIEW:
        from grants.views.submit import review_step

        return review_step(request, application)
    return _form_step(request, application, step)


def _form_step(request, application: Application, step: str):
    completion_request = (
        steps.open_completion_request(application)
        if application.state == ApplicationState.COMPLETION_REQUESTED
        else None
    )
    editable = step in steps.editable_parts(application, completion_request)
    form_class = STEP_FORMS[step]
    restored = False
    if request.method == "POST":
        if not editable:
            messages.error(request, _locked_message(step))
            return redirect(step_url(application, step))
        form = form_class(request.POST, application=application)
        if form.is_valid():
            try:
                save_step(form, actor=request.user)
            except WorkflowError as error:
                for problem in error.problems or [str(error)]:
                    form.add_error(None, problem)
            else:
                messages.success(
                    request, _("“%(step)s” is saved.") % {"step": steps.STEP_LABELS[step]}
                )
                return redirect(_after_save(request, application, step))
    else:
        stashed = _unstash(request) if editable else None
        restored = stashed is not None
        form = form_class(stashed, application=application)
    context = step_context(request, application, step, completion_request)
    if isinstance(form, BudgetForm):
        context["budget"] = budget_summary(form)
    return render(
        request,
        f"grants/apply/{step}.html",
        context | {"form": form, "restored": restored},
    )


def budget_summary(form: BudgetForm) -> dict:
    """Return the budget's totals (as typed when they validate) and the programme's limits."""
    programme = form.application.call.programme
    totals = form.totals() if form.is_bound and form.is_valid() else form.saved_totals()
    share = programme.cofinancing_share
    labels = dict(BudgetLine.Kind.choices)
    return totals | {
        "min_amount": programme.min_amount,
        "max_amount": programme.max_amount,
        "cofinancing_share": share,
        "cofinancing_percent": f"{(share * 100).normalize():f}" if share else "",
        "outside_limits": totals["requested"] > 0
        and not programme.min_amount <= totals["requested"] <= programme.max_amount,
        "cofinancing_short": bool(share)
        and totals["costs"] > 0
        and totals["income"] < (totals["costs"] * share).quantize(Decimal("0.01")),
        "saved_lines": [
            (
                kind,
                _("Costs") if kind == BudgetLine.Kind.COST else _("Income other than this grant"),
                [line for line in form.saved_lines if line.kind == kind],
            )
            for kind in labels
        ],
    }


def _locked_message(step: str) -> str:
    return _("The officer has not asked you to change “%(step)s”, so it cannot be changed now.") % {
        "step": steps.STEP_LABELS[step]
    }


def _after_save(request, application: Application, step: str) -> str:
    """Return where the button pressed leads: the next step, the previous one, or back here."""
    index = steps.STEP_CODES.index(step)
    action = request.POST.get("action")
    if action == "continue" and index + 1 < len(steps.STEP_CODES):
        step = steps.STEP_CODES[index + 1]
    elif action == "back" and index > 0:
        step = steps.STEP_CODES[index - 1]
    return step_url(application, step)


def save_step(form, *, actor) -> None:
    """Save what the step form holds through the services (WorkflowError if refused)."""
    application = form.application
    changes = form.changes()
    if isinstance(form, BudgetForm):
        with transaction.atomic():
            services.budget_set(application=application, actor=actor, lines=changes["lines"])
            services.application_update(
                application=application,
                actor=actor,
                requested_amount=changes["requested_amount"],
            )
    elif changes:
        services.application_update(application=application, actor=actor, **changes)


@require_POST
def autosave(request, pk: int, step: str):
    """Save the fields of a step that validate, as the applicant types; answer in JSON.

    The answer is ``{"saved": [field names], "errors": {field name: [messages]}, "saved_at":
    "14:32" or null}``; a logged-out user gets 401 and the login address, so the page keeps its
    copy; a step that may not be changed gets 409.
    """
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "saved": [],
                "errors": {"__all__": [_("You are logged out. Log in again to save.")]},
                "login_url": redirect_to_login(
                    reverse("apply:step", kwargs={"pk": pk, "step": step})
                ).url,
            },
            status=401,
        )
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    if step not in STEP_FORMS:
        raise Http404
    if not steps.is_editable(application) or step not in steps.editable_parts(application):
        return JsonResponse(
            {"saved": [], "errors": {"__all__": [_locked_message(step)]}}, status=409
        )
    form = STEP_FORMS[step](request.POST, application=application)
    valid = form.is_valid()
    saved = []
    errors = {
        name: [str(message) for message in messages_] for name, messages_ in form.errors.items()
    }
    if isinstance(form, BudgetForm):
        if valid:
            saved = form.field_names()
    else:
        saved = form.valid_fields()
    if saved:
        try:
            save_step(form, actor=request.user)
        except WorkflowError as error:
            saved = []
            errors["__all__"] = [*errors.get("__all__", []), *(error.problems or [str(error)])]
    application.refresh_from_db(fields=["updated_at"])
    return JsonResponse(
        {
            "saved": saved,
            "errors": errors,
            "saved_at": (
                timezone.localtime(application.updated_at).strftime("%H:%M") if saved else None
            ),
        }
    )
