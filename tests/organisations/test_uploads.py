"""Uploaded files are checked by their content and size, never by their name (DESIGN §8 Files)."""

import pytest
from django import forms

from organisations.uploads import ALLOWED_TYPES, CheckedFileField, check_upload
from tests import uploads

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Projektplan.pdf", uploads.PDF, "application/pdf"),
        ("bild.png", uploads.png(), "image/png"),
        ("foto.jpg", uploads.JPG, "image/jpeg"),
        ("plan.docx", uploads.docx(), DOCX),
        ("budget.xlsx", uploads.xlsx(), XLSX),
        ("stadgar.odt", uploads.odt(), ODT),
        # The name does not decide: a PDF without the extension is still a PDF.
        ("projektplan", uploads.PDF, "application/pdf"),
    ],
)
def test_allowed_kinds_are_recognised_by_content(name, content, expected):
    checked = check_upload(uploads.upload(name, content))

    assert checked.content_type == expected
    assert checked.content_type in ALLOWED_TYPES
    assert checked.original_name == name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.exe", uploads.EXE),
        ("program.pdf", uploads.EXE),
        ("sida.html", uploads.HTML),
        ("sida.pdf", uploads.HTML),
        ("arkiv.docx", uploads.plain_zip()),
        ("text.txt", b"just some text"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(forms.ValidationError) as excinfo:
        check_upload(uploads.upload(name, content, "application/pdf"))

    assert excinfo.value.code == "wrong_type"
    message = excinfo.value.messages[0]
    assert f"“{name}” is not a PDF, Word (DOCX)" in message


def test_an_empty_file_is_refused():
    with pytest.raises(forms.ValidationError) as excinfo:
        check_upload(uploads.upload("tom.pdf", b""))

    assert excinfo.value.code == "empty"


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1024

    with pytest.raises(forms.ValidationError) as excinfo:
        check_upload(uploads.upload("stor.pdf", uploads.PDF + b"0" * 2000))

    assert excinfo.value.code == "too_large"
    assert excinfo.value.messages == ["The file “stor.pdf” is 2.1\xa0KB; the limit is 1.0\xa0KB."]


def test_a_file_at_the_limit_is_accepted(settings):
    settings.FILE_UPLOAD_MAX_BYTES = len(uploads.PDF)

    assert check_upload(uploads.upload("exakt.pdf", uploads.PDF)).content_type == "application/pdf"


def test_a_path_in_the_name_is_dropped():
    checked = check_upload(uploads.upload("../../etc/plan.pdf", uploads.PDF))

    assert checked.original_name == "plan.pdf"


def test_the_field_tells_the_allowed_kinds_and_hints_the_picker():
    field = CheckedFileField()

    assert str(field.help_text) == "PDF, DOCX, XLSX, ODT, JPG or PNG, at most 20 MB."
    assert field.widget.attrs["accept"] == ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"
    assert field.clean(uploads.upload("a.png", uploads.png())).content_type == "image/png"
    with pytest.raises(forms.ValidationError):
        field.clean(uploads.upload("a.png", uploads.HTML))
