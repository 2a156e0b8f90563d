"""The attachments step of the application form, and the permission-checked download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants import selectors, services, steps
from grants.forms_submit import AttachmentUploadForm
from grants.models import ORGANISATION_DOCUMENT_KINDS, Application, ApplicationPart, AttachmentKind
from grants.views.apply import step_context
from organisations.errors import WorkflowError
from organisations.files import private_file_response


def _step_url(application: Application):
    return redirect("apply:step", pk=application.pk, step=ApplicationPart.ATTACHMENTS)


def attachments_step(request, application: Application):
    """Show what the programme requires and what is attached; upload and remove files.

    Called by the form's step view with the application already fetched for this user.
    """
    context = step_context(request, application, ApplicationPart.ATTACHMENTS)
    form = AttachmentUploadForm(
        request.POST or None, request.FILES or None, application=application
    )
    if request.method == "POST":
        if not context["editable"]:
            messages.error(request, _("The attachments cannot be changed now."))
            return _step_url(application)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            try:
                with transaction.atomic():
                    for upload in uploads:
                        services.attachment_add(
                            application=application,
                            actor=request.user,
                            kind=form.cleaned_data["kind"],
                            file=upload.file,
                            original_name=upload.original_name,
                            content_type=upload.content_type,
                        )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                if len(uploads) == 1:
                    attached = _("The file “%(name)s” is attached.") % {
                        "name": uploads[0].original_name
                    }
                else:
                    # Never one: a plural form needs no ngettext.
                    attached = _("%(count)s files are attached.") % {"count": len(uploads)}
                messages.success(request, attached)
                return _step_url(application)
    requirements = requirements_of(application)
    return render(
        request,
        "grants/apply/attachments.html",
        context
        | {
            "form": form,
            "requirements": requirements,
            "has_yearly": any(requirement["yearly"] for requirement in requirements),
            "attachments": list(application.attachments.select_related("uploaded_by")),
            "removable": removable_attachment_ids(application),
        },
    )


def requirements_of(application: Application) -> list[dict]:
    """Return each attachment the programme requires, and whether and how it is met."""
    labels = dict(AttachmentKind.choices)
    missing = set(application.missing_attachment_kinds())
    attached = set(application.attachments.values_list("kind", flat=True))
    return [
        {
            "kind": kind,
            "label": labels.get(kind, kind),
            "met": kind not in missing,
            "attached": kind in attached,
            "yearly": kind in ORGANISATION_DOCUMENT_KINDS,
        }
        for kind in application.call.programme.required_attachments
    ]


def removable_attachment_ids(application: Application) -> set[int]:
    """Return the attachments the applicant may remove now (see ``attachment_remove``)."""
    if ApplicationPart.ATTACHMENTS not in steps.editable_parts(application):
        return set()
    attachments = application.attachments.all()
    if application.submitted_at is not None:
        # What the region has received stays; only files added since it asked may go.
        request = steps.open_completion_request(application)
        received_until = request.requested_at if request else application.submitted_at
        attachments = attachments.filter(uploaded_at__gt=received_until)
    return set(attachments.values_list("pk", flat=True))


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    """Remove an attachment while the application may be changed."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The file “%(name)s” is removed.") % {"name": attachment.original_name}
        )
    return _step_url(application)


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    """Send an attachment to a member of the application's organisation; 404 for anyone else."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    return private_file_response(attachment)
