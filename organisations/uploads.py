"""Checking uploaded files by their content, never by their name or the browser's word for it."""

import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

#: The kinds of file applicants may upload, by the MIME type their content shows.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "image/jpeg": "JPG",
    "image/png": "PNG",
}
#: For the file picker (``accept``): a hint only; the content decides.
ACCEPT = ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file whose content is of an allowed type and whose size is within the limit."""

    file: object
    original_name: str
    content_type: str


def _kind_of(file) -> str | None:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if head.startswith(b"PK") and (kind is None or kind.mime not in ALLOWED_TYPES):
        # Office documents are ZIP archives whose telling member may lie beyond the first
        # kilobytes; read the archive's directory instead.
        return _office_kind(file)
    return kind.mime if kind else None


def _office_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            mimetype = (
                archive.read("mimetype").decode("ascii", "replace").strip()
                if "mimetype" in names
                else ""
            )
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    finally:
        file.seek(0)
    if mimetype == "application/vnd.oasis.opendocument.text":
        return mimetype
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def check_upload(file) -> CheckedUpload:
    """Return the file as checked, or raise ``forms.ValidationError`` saying what is wrong."""
    limit = settings.FILE_UPLOAD_MAX_BYTES
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    if file.size == 0:
        raise forms.ValidationError(
            _("The file “%(name)s” is empty."), code="empty", params={"name": name}
        )
    if file.size > limit:
        raise forms.ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(file.size),
                "limit": filesizeformat(limit),
            },
        )
    content_type = _kind_of(file)
    if content_type not in ALLOWED_TYPES:
        raise forms.ValidationError(
            _(
                "The file “%(name)s” is not a PDF, Word (DOCX), Excel (XLSX), OpenDocument "
                "text (ODT), JPG or PNG file. Save it in one of those formats and upload it again."
            ),
            code="wrong_type",
            params={"name": name},
        )
    return CheckedUpload(file=file, original_name=name or "file", content_type=content_type)


class CheckedFileField(forms.FileField):
    """A file field whose cleaned value is a ``CheckedUpload``."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _("PDF, DOCX, XLSX, ODT, JPG or PNG, at most {limit} MB."),
                limit=settings.FILE_UPLOAD_MAX_BYTES // (1024 * 1024),
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if not file:
            return file
        return check_upload(file)
