"""Review and submit: the summary, what stops submission, a signatory submitting, a member asking
a signatory, the receipt page and the copy as submitted."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.services import entries_for
from grants import services
from grants.models import Application
from grants.workflow import ApplicationState as S
from tests import factories, uploads
from tests.assertions import refused

#: What the review page may read, whatever the number of budget lines and attachments.
QUERIES_REVIEW = 17


def review_url(application) -> str:
    return reverse("apply:step", kwargs={"pk": application.pk, "step": "review"})


def url(name: str, application) -> str:
    return reverse(f"apply:{name}", kwargs={"pk": application.pk})


@pytest.fixture
def unbalanced(organisation, call, applicant):
    """A draft whose budget does not balance and that lacks its project plan."""
    application = factories.draft(organisation, call, applicant, with_attachment=False)
    services.application_update(application=application, actor=applicant, requested_amount=60000)
    return application


# The review step


def test_the_review_shows_every_part_of_the_application(client, draft, applicant):
    client.force_login(applicant)

    response = client.get(review_url(draft))

    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Sommarteater i Storsjöbygden",
        "Utomhusteater för barn och unga i fem byar.",
        "Children and young people",
        "Östersund, Krokom",
        "Alla scener är tillgängliga för rullstol.",
        "4. Quality education",
        "10. Reduced inequalities",
        "Total costs",
        "75,000 kr",
        "Amount applied for from the region",
        "50,000 kr",
        "Projektplan.pdf",
    ]:
        assert text in page, text
    assert (
        reverse(
            "apply:attachment",
            kwargs={"pk": draft.pk, "attachment_pk": draft.attachments.get().pk},
        )
        in page
    )
    for step in ["project", "activity", "perspectives", "budget", "attachments"]:
        assert reverse("apply:step", kwargs={"pk": draft.pk, "step": step}) in page


def test_the_review_lists_what_stops_submission_with_where_to_fix_it(client, unbalanced, applicant):
    client.force_login(applicant)

    page = client.get(review_url(unbalanced)).content.decode()

    assert "Before the application can be submitted" in page
    assert "The budget does not balance" in page
    assert "Attach: Project plan." in page
    problems = page[page.index("submission-problems") :]
    problems = problems[: problems.index("</div>")]
    assert reverse("apply:step", kwargs={"pk": unbalanced.pk, "step": "budget"}) in problems
    assert reverse("apply:step", kwargs={"pk": unbalanced.pk, "step": "attachments"}) in problems
    assert url("submit", unbalanced) not in page


def test_a_signatory_is_offered_to_submit_with_what_they_confirm(client, draft, applicant):
    client.force_login(applicant)

    page = client.get(review_url(draft)).content.decode()

    assert f'action="{url("submit", draft)}"' in page
    assert "Submit application" in page
    assert (
        "you confirm that the information in the application and its attachments is correct, "
        "and that you may sign for Storsjöteatern ideell förening"
    ) in page
    assert url("request_submission", draft) not in page


def test_a_member_is_offered_to_ask_a_signatory_instead(client, draft, member):
    client.force_login(member)

    page = client.get(review_url(draft)).content.decode()

    assert url("submit", draft) not in page
    assert "Submit application" not in page
    assert f'action="{url("request_submission", draft)}"' in page
    assert "Ask a signatory to submit" in page


def test_the_review_page_is_for_the_organisation_only(client, draft, applicant_b):
    client.force_login(applicant_b)

    assert client.get(review_url(draft)).status_code == 404


# Submitting


def test_a_member_cannot_submit(client, draft, member, mailoutbox):
    client.force_login(member)

    response = client.post(url("submit", draft), follow=True)

    assert response.redirect_chain[-1][0] == review_url(draft)
    assert "Only a signatory of Storsjöteatern ideell förening can do this." in (
        response.content.decode()
    )
    assert Application.objects.get(pk=draft.pk).state == S.DRAFT
    assert mailoutbox == []


def test_submitting_with_problems_shows_them_on_the_review(client, unbalanced, applicant):
    client.force_login(applicant)

    response = client.post(url("submit", unbalanced), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == review_url(unbalanced)
    assert "The application cannot be submitted yet" in page
    assert "Attach: Project plan." in page
    assert Application.objects.get(pk=unbalanced.pk).state == S.DRAFT


def test_a_signatory_submits_and_gets_the_receipt_and_the_copy(
    client, draft, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", draft))

    application = Application.objects.get(pk=draft.pk)
    assert application.state == S.SUBMITTED
    assert response.status_code == 302
    assert response.url == url("receipt", application)

    page = client.get(response.url).content.decode()
    assert application.case_number in page
    assert "The application has been received" in page
    assert "What happens next" in page
    assert url("submitted_copy", application) in page
    assert reverse("portal:application", args=[application.pk]) in page

    copy = client.get(url("submitted_copy", application))
    assert copy.status_code == 200
    assert copy["Content-Type"] == "application/pdf"
    content = b"".join(copy.streaming_content)
    assert hashlib.sha256(content).hexdigest() == application.submitted_copy_sha256

    [email] = mailoutbox
    assert application.case_number in email.subject
    [(_name, attached, _type)] = email.attachments
    assert attached == content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attached)).pages)
    assert application.case_number in text
    assert application.title in text


def test_the_receipt_says_when_the_copy_is_still_being_produced(client, submitted, member):
    client.force_login(member)

    page = client.get(url("receipt", submitted)).content.decode()

    assert submitted.case_number in page
    assert "is being produced" in page
    assert url("submitted_copy", submitted) not in page
    assert client.get(url("submitted_copy", submitted)).status_code == 404


def test_the_receipt_of_a_draft_leads_back_to_the_review(client, draft, applicant):
    client.force_login(applicant)

    response = client.get(url("receipt", draft))

    assert response.status_code == 302
    assert response.url == review_url(draft)


def test_another_organisation_sees_neither_receipt_nor_copy(
    client, draft, applicant, applicant_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(application=draft, actor=applicant)
    client.force_login(applicant_b)

    assert client.get(url("receipt", application)).status_code == 404
    assert client.get(url("submitted_copy", application)).status_code == 404
    assert client.post(url("submit", application)).status_code == 404
    assert client.post(url("request_submission", application)).status_code == 404


def test_submitting_is_post_only(client, draft, applicant):
    client.force_login(applicant)

    assert client.get(url("submit", draft)).status_code == 405
    assert client.get(url("request_submission", draft)).status_code == 405
    assert Application.objects.get(pk=draft.pk).state == S.DRAFT


def test_anonymous_visitors_are_sent_to_log_in(client, submitted, organisation, call, applicant):
    draft = factories.draft(organisation, call, applicant)
    responses = [
        client.get(review_url(draft)),
        client.post(url("submit", draft)),
        client.post(url("request_submission", draft)),
        client.get(url("receipt", submitted)),
        client.get(url("submitted_copy", submitted)),
    ]

    for response in responses:
        assert response.status_code == 302
        assert "/konto/logga-in/" in response.url
    assert Application.objects.get(pk=draft.pk).state == S.DRAFT


# Asking a signatory to submit


def test_a_member_asks_the_signatories_to_submit(
    client, draft, member, applicant, finance, mailoutbox, django_capture_on_commit_callbacks
):
    second = factories.user("kassor@example.org", full_name="Kim Kassör", language="en")
    from organisations.services import membership_add

    membership_add(organisation=draft.organisation, user=second, role="signatory", actor=None)
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("request_submission", draft), follow=True)

    assert response.redirect_chain[-1][0] == review_url(draft)
    assert "We have asked the signatories" in response.content.decode()
    application = Application.objects.get(pk=draft.pk)
    assert application.state == S.DRAFT
    assert application.submission_requested_by == member
    assert application.submission_requested_at is not None
    entry = entries_for(application).get(action="grants.application.submission_requested")
    assert entry.actor == member
    assert entry.data == {"signatories": ["applicant-a@example.org", "kassor@example.org"]}

    by_recipient = {tuple(email.to): email for email in mailoutbox}
    assert set(by_recipient) == {("applicant-a@example.org",), ("kassor@example.org",)}
    swedish, english = (
        by_recipient[("applicant-a@example.org",)],
        by_recipient[("kassor@example.org",)],
    )
    assert f"/mina-sidor/ansokningar/{draft.pk}/review/" in swedish.body
    assert "/en/" not in swedish.body
    assert f"/en/mina-sidor/ansokningar/{draft.pk}/review/" in english.body
    assert english.subject == "Please submit the application “Sommarteater i Storsjöbygden”"
    assert "Maja Medlem has finished the application" in english.body


def test_a_signatory_sees_who_asked_them(client, draft, member, applicant):
    services.application_request_submission(application=draft, actor=member)
    client.force_login(applicant)

    page = client.get(review_url(draft)).content.decode()

    assert "Maja Medlem asked you to submit this application on" in page


def test_only_a_member_may_ask(draft, applicant_b, officer):
    for actor in [applicant_b, officer]:
        error = refused(services.application_request_submission, application=draft, actor=actor)
        assert error.code == "not_member"


def test_only_a_ready_draft_can_be_sent_to_a_signatory(unbalanced, submitted, member):
    error = refused(services.application_request_submission, application=unbalanced, actor=member)
    assert error.code == "not_eligible"
    assert "Attach: Project plan." in error.problems

    error = refused(services.application_request_submission, application=submitted, actor=member)
    assert error.code == "wrong_state"
    assert Application.objects.get(pk=submitted.pk).submission_requested_at is None


def test_a_member_sees_the_request_was_made(client, draft, member):
    services.application_request_submission(application=draft, actor=member)
    client.force_login(member)

    page = client.get(review_url(draft)).content.decode()

    assert "Maja Medlem asked the signatories on" in page
    assert "Ask the signatories again" in page


def test_the_review_reads_a_fixed_number_of_queries(
    client, draft, applicant, django_assert_max_num_queries
):
    for number in range(5):
        services.attachment_add(
            application=draft,
            actor=applicant,
            kind="work_sample",
            file=uploads.upload(f"prov-{number}.png", uploads.png()),
            original_name=f"prov-{number}.png",
            content_type="image/png",
        )
    client.force_login(applicant)

    with django_assert_max_num_queries(QUERIES_REVIEW):
        response = client.get(review_url(draft))

    assert response.content.decode().count("prov-") == 5


def test_a_completion_is_sent_from_the_case_page(client, submitted, officer, applicant):
    services.application_request_completion(
        application=submitted,
        actor=officer,
        message="Bifoga en tidsplan.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=["attachments"],
    )
    client.force_login(applicant)

    page = client.get(review_url(submitted)).content.decode()

    assert "Send the completion" in page
    assert reverse("portal:application", args=[submitted.pk]) in page
    assert url("submit", submitted) not in page
    assert url("request_submission", submitted) not in page


def test_the_review_of_a_submitted_application_leads_to_the_case(client, submitted, applicant):
    client.force_login(applicant)

    response = client.get(review_url(submitted))

    assert response.status_code == 302
    assert response.url == reverse("portal:application", args=[submitted.pk])
