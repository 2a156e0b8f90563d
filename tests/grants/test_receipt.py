"""The receipt of a submitted application: the PDF copy as submitted, stored once, and its e-mail."""

import hashlib
import io

import pytest
from pypdf import PdfReader

from audit.services import entries_for
from grants import receipts, services
from grants.models import Application


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def submitted_with_receipt(draft, applicant, mailoutbox, django_capture_on_commit_callbacks):
    """Submit the draft (in English) and run what it queued: the copy and the receipt e-mail."""
    services.application_update(application=draft, actor=applicant, letter_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(application=draft, actor=applicant)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def submitted(submitted):
    """The submitted application, written in English so that the copy reads in English."""
    Application.objects.filter(pk=submitted.pk).update(letter_language="en")
    submitted.refresh_from_db()
    return submitted


def test_the_copy_shows_the_whole_application(submitted):
    text = pdf_text(receipts.render_submitted_copy(submitted))

    assert "Region Jämtland Härjedalen" in text
    assert submitted.case_number in text
    assert "Sommarteater i Storsjöbygden" in text
    assert "Storsjöteatern ideell förening" in text
    assert "Alva Sökande" in text  # the signatory who submitted
    assert "Projektplan.pdf" in text
    attachment = submitted.attachments.get()
    assert attachment.sha256[:20] in text.replace("\n", "")
    assert "Total costs 75,000 kr" in text
    assert "Amount applied for from the region 50,000 kr" in text
    assert "Received" in text


def test_every_page_carries_the_case_number_and_its_number(submitted):
    submitted.description = "\n\n".join(["Ett långt stycke om projektet. " * 40] * 12)
    submitted.save(update_fields=["description"])

    reader = PdfReader(io.BytesIO(receipts.render_submitted_copy(submitted)))

    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert submitted.case_number in text
        assert "Region Jämtland Härjedalen" in text
        assert f"Page {number} of {pages}" in text


def test_the_copy_is_in_the_letter_language(submitted):
    html = receipts.submitted_copy_html(submitted)
    assert '<html lang="en">' in html
    assert "Project grants for culture" in html  # the programme's English name

    submitted.letter_language = "sv"
    html = receipts.submitted_copy_html(submitted)
    assert '<html lang="sv">' in html
    assert "Projektbidrag kultur" in html


def test_submitting_stores_the_copy_with_its_checksum(submitted_with_receipt):
    application = submitted_with_receipt

    assert application.submitted_copy.name.startswith("applications/submitted/")
    with application.submitted_copy.open("rb") as copy:
        content = copy.read()
    assert content.startswith(b"%PDF-")
    assert application.submitted_copy_sha256 == hashlib.sha256(content).hexdigest()
    entry = entries_for(application).get(action="grants.application.copy_stored")
    assert entry.actor is None
    assert entry.data["sha256"] == application.submitted_copy_sha256


def test_the_receipt_email_carries_the_copy(submitted_with_receipt, mailoutbox):
    application = submitted_with_receipt

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert application.case_number in email.subject
    assert sorted(email.to) == ["applicant-a@example.org", "info@example.org"]
    assert application.case_number in email.body
    assert f"/mina-sidor/{application.pk}/" in email.body
    assert "asks you to complete" in email.body or "complete the application" in email.body
    [(filename, content, mimetype)] = email.attachments
    assert mimetype == "application/pdf"
    assert filename == f"KUL_{application.case_number.split()[1].replace('/', '-')}.pdf"
    assert hashlib.sha256(content).hexdigest() == application.submitted_copy_sha256
    text = pdf_text(content)
    assert application.case_number in text
    assert application.title in text


def test_the_receipt_is_written_in_the_letter_language(
    draft, applicant, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(application=draft, actor=applicant)

    email = mailoutbox[0]
    assert application.letter_language == "sv"
    assert "Projektbidrag kultur 2026" in email.body  # the call's Swedish title
    assert f"{settings.SITE_URL}/mina-sidor/{application.pk}/" in email.body


def test_an_english_receipt_links_to_the_english_pages(submitted_with_receipt, mailoutbox):
    email = mailoutbox[0]

    assert email.subject == f"Application received: {submitted_with_receipt.case_number}"
    assert f"/en/mina-sidor/{submitted_with_receipt.pk}/" in email.body
    assert "Project grants for culture 2026" in email.body


def test_running_the_task_again_keeps_the_stored_copy(submitted_with_receipt, mailoutbox):
    application = submitted_with_receipt
    name, digest = application.submitted_copy.name, application.submitted_copy_sha256
    application.title = "Ändrad titel efter inlämning"
    application.save(update_fields=["title"])

    receipts.application_receipt_send.call(application_id=application.pk)

    application.refresh_from_db()
    assert (application.submitted_copy.name, application.submitted_copy_sha256) == (name, digest)
    with application.submitted_copy.open("rb") as copy:
        assert hashlib.sha256(copy.read()).hexdigest() == digest
    assert entries_for(application).filter(action="grants.application.copy_stored").count() == 1
    # The e-mail sent again carries the same, stored copy.
    assert hashlib.sha256(mailoutbox[-1].attachments[0][1]).hexdigest() == digest


def test_a_draft_gets_no_receipt(draft, mailoutbox):
    assert receipts.application_receipt_send.call(application_id=draft.pk) == ""

    draft.refresh_from_db()
    assert not draft.submitted_copy
    assert mailoutbox == []


def test_the_receipt_goes_out_even_when_the_copy_fails(submitted, mailoutbox, monkeypatch):
    def broken(application, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(receipts, "render_submitted_copy", broken)

    with pytest.raises(RuntimeError):
        receipts.application_receipt_send.call(application_id=submitted.pk)

    [email] = mailoutbox
    assert submitted.case_number in email.subject
    assert email.attachments == []
    assert "will be available on the case page" in email.body
    submitted.refresh_from_db()
    assert not submitted.submitted_copy


def test_the_copy_shows_the_application_as_submitted_however_late_the_task_runs(
    draft, applicant, django_capture_on_commit_callbacks
):
    title = draft.title
    with django_capture_on_commit_callbacks() as callbacks:
        services.application_submit(application=draft, actor=applicant)
    # Changed after submission (as a completion would) before a slow worker gets to the task.
    Application.objects.filter(pk=draft.pk).update(title="Ändrad titel efter inskickningen")

    for callback in callbacks:
        callback()

    draft.refresh_from_db()
    with draft.submitted_copy.open("rb") as copy:
        text = "".join(page.extract_text() for page in PdfReader(copy).pages)
    assert " ".join(title.split()) in " ".join(text.split())
    assert "Ändrad titel" not in text
