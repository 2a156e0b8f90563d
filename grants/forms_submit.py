"""Forms of the attachments step: which kind of attachment, and the files, checked by content."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grants.models import ORGANISATION_DOCUMENT_KINDS, Application, AttachmentKind
from organisations.uploads import CheckedFileField, check_upload

#: How many files one upload may carry.
MAX_FILES_PER_UPLOAD = 10


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class CheckedFilesField(CheckedFileField):
    """One or more files, each checked by content and size; the cleaned value is a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(
                _("Upload at most %(count)s files at a time."),
                code="too_many",
                params={"count": MAX_FILES_PER_UPLOAD},
            )
        checked, errors = [], []
        for file in files:
            try:
                forms.FileField.clean(self, file, initial)
                checked.append(check_upload(file))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


class AttachmentUploadForm(forms.Form):
    """Choose what the files are and upload them; the programme's required kinds come first."""

    kind = forms.ChoiceField(label=_("What is it?"))
    files = CheckedFilesField(label=_("Files"))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        required = [
            kind
            for kind in application.call.programme.required_attachments
            if kind in AttachmentKind.values
        ]
        labels = dict(AttachmentKind.choices)
        others = [(kind, label) for kind, label in AttachmentKind.choices if kind not in required]
        choices = [("", _("Choose the kind of attachment"))]
        if required:
            choices += [
                (_("Required by the programme"), [(kind, labels[kind]) for kind in required]),
                (_("Other attachments"), others),
            ]
        else:
            choices += others
        self.fields["kind"].choices = choices
        missing = [
            kind
            for kind in application.missing_attachment_kinds()
            if kind not in ORGANISATION_DOCUMENT_KINDS
        ]
        if missing and not self.is_bound:
            self.initial.setdefault("kind", missing[0])
        self.fields["files"].help_text = _(
            "PDF, DOCX, XLSX, ODT, JPG or PNG, at most %(limit)s MB each. You can choose several "
            "files of the same kind at once."
        ) % {"limit": settings.FILE_UPLOAD_MAX_BYTES // (1024 * 1024)}
