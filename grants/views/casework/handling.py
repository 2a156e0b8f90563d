"""Handling a case: take or assign it, request completion, declare jäv, assess and propose.

Each view fetches the case with ``selectors.application_for_caseworker`` (jäv is 403), hands
what the form cleaned to a service in ``grants.services.handling`` and goes back to the case
page. A refusal (``WorkflowError``) is shown as a message; a page with a form shows it again
with everything typed.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import selectors, services
from grants.forms_casework import (
    AssessmentForm,
    AssignForm,
    CompletionRequestForm,
    ConflictDeclarationForm,
)
from grants.views.casework import caseworker_required
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError

S = ApplicationState


def _case(application):
    return redirect("casework:case", pk=application.pk)


def _add_error(form, error: WorkflowError) -> None:
    form.add_error(None, str(error))
    for problem in error.problems[1:]:
        form.add_error(None, problem)


def _render(request, template: str, application, **context):
    return render(
        request,
        template,
        {"application": application, "casework_section": "queue", **context},
    )


@caseworker_required
@require_POST
def take(request, pk):
    """Take the case: start handling a submitted case, or take over one being handled."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    if application.state != S.SUBMITTED and application.assigned_officer_id == request.user.pk:
        messages.info(request, _("You already handle this case."))
        return _case(application)
    try:
        if application.state == S.SUBMITTED:
            services.application_start_review(application=application, actor=request.user)
        else:
            services.application_assign(
                application=application, actor=request.user, officer=request.user
            )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You now handle case %(case_number)s.") % {"case_number": application.case_number},
        )
    return _case(application)


@caseworker_required
@require_POST
def assign(request, pk):
    """Give the case to another culture officer (starting its handling when just submitted)."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    form = AssignForm(request.POST, application=application)
    if not form.is_valid():
        for error in form.errors["officer"]:
            messages.error(request, error)
        return _case(application)
    officer = form.cleaned_data["officer"]
    try:
        if application.state == S.SUBMITTED:
            services.application_start_review(
                application=application, actor=request.user, officer=officer
            )
        else:
            services.application_assign(
                application=application, actor=request.user, officer=officer
            )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s now handles case %(case_number)s.")
            % {"name": officer, "case_number": application.case_number},
        )
    return _case(application)


@caseworker_required
def request_completion(request, pk):
    """Ask the applicant to complete named parts of the application by a due date."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    if request.method == "POST":
        form = CompletionRequestForm(request.POST)
        if form.is_valid():
            try:
                completion = services.application_request_completion(
                    application=application,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    due_date=form.cleaned_data["due_date"],
                    parts=form.cleaned_data["parts"],
                )
            except WorkflowError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The applicant has been asked to complete the application by %(date)s "
                        "and has been told by e-mail."
                    )
                    % {"date": date_format(completion.due_date, "j F Y")},
                )
                return _case(application)
    else:
        try:
            services.require_transition(application, "request_completion", request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            return _case(application)
        form = CompletionRequestForm()
    return _render(request, "casework/request_completion.html", application, form=form)


@caseworker_required
def declare_conflict(request, pk):
    """Declare a conflict of interest (jäv) for the case's organisation; the case disappears."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    organisation = application.organisation
    if request.method == "POST":
        form = ConflictDeclarationForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_declare(
                    user=request.user,
                    organisation=organisation,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except WorkflowError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "You have declared a conflict of interest (jäv) for %(organisation)s. "
                        "You can no longer see its cases; those you handled are back in the "
                        "queue for another officer."
                    )
                    % {"organisation": organisation.name},
                )
                return redirect("casework:queue")
    else:
        form = ConflictDeclarationForm()
    return _render(request, "casework/declare_conflict.html", application, form=form)


@caseworker_required
def assess(request, pk):
    """Show and save the assigned officer's assessment; "Save and propose" also proposes.

    Only the assigned officer, while the case is under review, has this page; anyone else is
    sent to the case page, which shows the assessment to read.
    """
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    assessment = getattr(application, "assessment", None)
    if request.method == "POST":
        form = AssessmentForm(request.POST, application=application, assessment=assessment)
        if form.is_valid():
            try:
                assessment = services.assessment_save(
                    application=application, actor=request.user, **form.assessment_changes()
                )
            except WorkflowError as error:
                _add_error(form, error)
            else:
                if request.POST.get("action") == "propose":
                    return _propose(request, application, saved=True)
                messages.success(request, _("The assessment has been saved."))
                return redirect("casework:assess", pk=application.pk)
    else:
        try:
            services.require_assessor(application, request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            return _case(application)
        form = AssessmentForm(application=application, assessment=assessment)
    return _render(
        request,
        "casework/assess.html",
        application,
        form=form,
        assessment=assessment,
        weighted_score=assessment.weighted_score() if assessment else None,
        missing=assessment.missing_parts() if assessment else None,
    )


@caseworker_required
@require_POST
def propose(request, pk):
    """Put the assessed case forward for decision."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    return _propose(request, application)


def _propose(request, application, *, saved: bool = False):
    """Propose the case; an incomplete assessment sends the officer back to complete it."""
    try:
        services.application_propose(application=application, actor=request.user)
    except WorkflowError as error:
        if saved:
            messages.success(request, _("The assessment has been saved."))
        messages.error(request, str(error))
        if error.code == "incomplete":
            return redirect("casework:assess", pk=application.pk)
        return _case(application)
    facts = {"case_number": application.case_number}
    if saved:
        text = _("The assessment has been saved and case %(case_number)s proposed for decision.")
    else:
        text = _("Case %(case_number)s has been proposed for decision.")
    messages.success(request, text % facts)
    return _case(application)
