"""The attachments step: what the programme requires, uploading checked files, removing them,
and the download that only the organisation's members get."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import entries_for
from grants import services
from grants.models import Attachment
from organisations.services import organisation_document_add
from tests import factories, uploads
from tests.assertions import refused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def step_url(application) -> str:
    return reverse("apply:step", kwargs={"pk": application.pk, "step": "attachments"})


def download_url(attachment) -> str:
    return reverse(
        "apply:attachment",
        kwargs={"pk": attachment.application_id, "attachment_pk": attachment.pk},
    )


def remove_url(attachment) -> str:
    return reverse(
        "apply:attachment_remove",
        kwargs={"pk": attachment.application_id, "attachment_pk": attachment.pk},
    )


def post_files(client, application, *files, kind="project_plan"):
    return client.post(step_url(application), {"kind": kind, "files": list(files)})


@pytest.fixture
def empty_draft(organisation, call, applicant):
    """A draft without the project plan the programme requires."""
    return factories.draft(organisation, call, applicant, with_attachment=False)


# The page


def test_the_step_shows_what_is_required_and_what_is_attached(client, draft, member):
    client.force_login(member)

    response = client.get(step_url(draft))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Required by the programme" in page
    assert "Project plan" in page
    assert "Attached" in page
    assert "Projektplan.pdf" in page
    assert download_url(draft.attachments.get()) in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"' in page
    assert "multiple" in page


def test_a_missing_requirement_is_marked_and_preselected(client, empty_draft, applicant):
    client.force_login(applicant)

    page = client.get(step_url(empty_draft)).content.decode()

    assert "Missing" in page
    assert '<option value="project_plan" selected>' in page


def test_a_yearly_document_on_file_meets_the_requirement(client, organisation, applicant, finance):
    programme = factories.programme(required_attachments=["project_plan", "statutes"])
    application = factories.draft(organisation, factories.call(programme), applicant)
    client.force_login(applicant)

    page = client.get(step_url(application)).content.decode()
    assert "attach it here, or upload it once a year" in page
    assert reverse("organisations:documents", args=[organisation.pk]) in page
    assert application.missing_attachment_kinds() == ["statutes"]

    organisation_document_add(
        organisation=organisation,
        actor=applicant,
        kind="statutes",
        year=timezone.localdate().year,
        file=uploads.upload("stadgar.pdf", uploads.PDF),
        original_name="stadgar.pdf",
        content_type="application/pdf",
    )

    page = client.get(step_url(application)).content.decode()
    assert "On file for the organisation" in page
    assert application.missing_attachment_kinds() == []


# Uploading


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Projektplan.pdf", uploads.PDF, "application/pdf"),
        ("Affisch.png", uploads.png(), "image/png"),
        ("Projektplan.docx", uploads.docx(), DOCX),
    ],
)
def test_a_member_uploads_a_file(client, empty_draft, member, name, content, content_type):
    client.force_login(member)

    response = post_files(client, empty_draft, uploads.upload(name, content))

    assert response.status_code == 302
    assert response.url == step_url(empty_draft)
    attachment = empty_draft.attachments.get()
    assert (attachment.kind, attachment.original_name) == ("project_plan", name)
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.uploaded_by == member
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert name not in attachment.file.name  # the given name is never used on disk
    assert entries_for(empty_draft).filter(action="grants.application.attachment_added").exists()
    assert empty_draft.missing_attachment_kinds() == []


def test_several_files_are_uploaded_at_once(client, empty_draft, applicant):
    client.force_login(applicant)

    post_files(
        client,
        empty_draft,
        uploads.upload("prov-1.jpg", uploads.JPG),
        uploads.upload("prov-2.png", uploads.png()),
        kind="work_sample",
    )

    assert sorted(empty_draft.attachments.values_list("original_name", "kind")) == [
        ("prov-1.jpg", "work_sample"),
        ("prov-2.png", "work_sample"),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("Projektplan.pdf", uploads.EXE), ("program.exe", uploads.EXE), ("plan.pdf", uploads.HTML)],
)
def test_a_file_of_another_kind_is_refused_and_the_kind_kept(
    client, empty_draft, applicant, name, content
):
    client.force_login(applicant)

    response = post_files(client, empty_draft, uploads.upload(name, content), kind="cv")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The file “{name}” is not a PDF, Word (DOCX)" in page
    assert '<option value="cv" selected>' in page
    assert not empty_draft.attachments.exists()


def test_one_bad_file_refuses_the_whole_upload(client, empty_draft, applicant):
    client.force_login(applicant)

    response = post_files(
        client,
        empty_draft,
        uploads.upload("plan.pdf", uploads.PDF),
        uploads.upload("virus.pdf", uploads.EXE),
    )

    assert response.status_code == 200
    assert "“virus.pdf” is not a PDF" in response.content.decode()
    assert not empty_draft.attachments.exists()


def test_a_file_over_the_limit_is_refused(client, empty_draft, applicant, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 50
    client.force_login(applicant)

    response = post_files(client, empty_draft, uploads.upload("stor.pdf", uploads.PDF))

    assert response.status_code == 200
    assert "The file “stor.pdf” is" in response.content.decode()
    assert "the limit is 50\xa0bytes" in response.content.decode()
    assert not empty_draft.attachments.exists()


def test_the_kind_and_a_file_are_needed(client, empty_draft, applicant):
    client.force_login(applicant)

    response = client.post(step_url(empty_draft), {"kind": ""})

    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") >= 2
    assert not empty_draft.attachments.exists()


def test_another_organisation_cannot_upload(client, empty_draft, applicant_b):
    client.force_login(applicant_b)

    response = post_files(client, empty_draft, uploads.upload("plan.pdf", uploads.PDF))

    assert response.status_code == 404
    assert not empty_draft.attachments.exists()


def test_a_submitted_application_takes_no_more_files(client, submitted, applicant):
    client.force_login(applicant)

    response = post_files(client, submitted, uploads.upload("plan.pdf", uploads.PDF))

    assert response.status_code == 302
    assert submitted.attachments.count() == 1
    error = refused(
        services.attachment_add,
        application=submitted,
        actor=applicant,
        kind="project_plan",
        file=uploads.upload("plan.pdf", uploads.PDF),
        original_name="plan.pdf",
        content_type="application/pdf",
    )
    assert error.code == "wrong_state"


# Removing


def test_a_member_removes_an_attachment_of_a_draft(
    client, draft, member, django_capture_on_commit_callbacks
):
    attachment = draft.attachments.get()
    storage, stored_name = attachment.file.storage, attachment.file.name
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(attachment))

    assert response.status_code == 302
    assert response.url == step_url(draft)
    assert not draft.attachments.exists()
    assert not storage.exists(stored_name)
    entry = entries_for(draft).get(action="grants.application.attachment_removed")
    assert entry.actor == member
    assert entry.data == {
        "kind": "project_plan",
        "name": "Projektplan.pdf",
        "sha256": attachment.sha256,
    }


def test_removing_is_post_only_and_for_members_only(client, draft, applicant_b, applicant):
    attachment = draft.attachments.get()
    client.force_login(applicant)
    assert client.get(remove_url(attachment)).status_code == 405

    client.force_login(applicant_b)
    assert client.post(remove_url(attachment)).status_code == 404
    assert draft.attachments.exists()
    refused(services.attachment_remove, attachment=attachment, actor=applicant_b)


def test_what_the_region_received_stays_during_a_completion(submitted, officer, applicant):
    services.application_request_completion(
        application=submitted,
        actor=officer,
        message="Bifoga en budgetspecifikation.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=["attachments"],
    )
    received = submitted.attachments.get()
    added = services.attachment_add(
        application=submitted,
        actor=applicant,
        kind="budget_specification",
        file=uploads.upload("budget.pdf", uploads.PDF),
        original_name="budget.pdf",
        content_type="application/pdf",
    )

    error = refused(services.attachment_remove, attachment=received, actor=applicant)
    assert error.code == "received"
    assert "stays in the case" in str(error)

    services.attachment_remove(attachment=added, actor=applicant)
    assert list(submitted.attachments.all()) == [received]


def test_removal_is_refused_once_submitted(submitted, applicant):
    error = refused(
        services.attachment_remove, attachment=submitted.attachments.get(), actor=applicant
    )

    assert error.code == "wrong_state"


# Downloading


def test_a_member_downloads_an_attachment(client, draft, member):
    attachment = draft.attachments.get()
    client.force_login(member)

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Projektplan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["applicant_b", "officer", "finance"])
def test_no_one_else_gets_an_attachment(request, client, draft, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(download_url(draft.attachments.get())).status_code == 404


def test_an_attachment_is_found_only_under_its_own_application(
    client, draft, organisation, call, applicant
):
    other = factories.draft(organisation, call, applicant)
    client.force_login(applicant)

    url = reverse(
        "apply:attachment",
        kwargs={"pk": other.pk, "attachment_pk": draft.attachments.get().pk},
    )
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    attachment = draft.attachments.get()

    for response in [
        client.get(step_url(draft)),
        client.get(download_url(attachment)),
        client.post(remove_url(attachment)),
    ]:
        assert response.status_code == 302
        assert "/konto/logga-in/" in response.url
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachments_the_officer_did_not_ask_about_are_read_only(
    client, submitted, officer, applicant
):
    services.application_request_completion(
        application=submitted,
        actor=officer,
        message="Beskriv projektet tydligare.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=["project"],
    )
    client.force_login(applicant)

    page = client.get(step_url(submitted)).content.decode()
    assert "shown as they were sent in" in page
    assert 'enctype="multipart/form-data"' not in page
    assert "Remove" not in page
    assert download_url(submitted.attachments.get()) in page

    response = post_files(client, submitted, uploads.upload("plan.pdf", uploads.PDF), kind="cv")
    assert response.status_code == 302
    assert submitted.attachments.count() == 1
    error = refused(
        services.attachment_add,
        application=submitted,
        actor=applicant,
        kind="cv",
        file=uploads.upload("cv.pdf", uploads.PDF),
        original_name="cv.pdf",
        content_type="application/pdf",
    )
    assert error.code == "part_locked"
