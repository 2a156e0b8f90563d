"""The follow-up report's pages (DESIGN §7): the grantee writes and submits it under Mina sidor;
the officer reviews it and accepts it, asks for completion, or a decision maker claims repayment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from decisions.models import Payment, RepaymentClaim
from decisions.workflow import PaymentState
from grants.workflow import ApplicationState as S
from tests import factories
from tests.assertions import state_of
from tests.uploads import EXE, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflicted(officer_2, organisation):
    """officer-2, who has declared jäv for the organisation."""
    from grants import services

    services.conflict_declare(
        user=officer_2, organisation=organisation, reason="Styrelseledamot", actor=officer_2
    )
    return officer_2


DRAFT_TEXT = "Utkast: tolv föreställningar i fem byar runt Storsjön."


def complete_post(**overrides) -> dict:
    """A complete report as the form posts it."""
    data = {
        "what_was_done": "Tolv föreställningar i fem byar runt Storsjön.",
        "activities_count": "12",
        "municipalities": ["2380", "2309"],
        "target_groups": ["children_youth"],
        "used_amount": "45 000",
        "perspective_accessibility": "Teckentolkning vid två föreställningar.",
        "participants_0_12_women": "40",
        "participants_0_12_men": "35",
        "participants_0_12_other": "2",
        "participants_65plus_women": "12",
        "cost-TOTAL_FORMS": "2",
        "cost-INITIAL_FORMS": "0",
        "cost-0-category": "fees",
        "cost-0-description": "Arvoden",
        "cost-0-amount": "60 000",
        "cost-1-category": "",
        "cost-1-description": "",
        "cost-1-amount": "",
        "income-TOTAL_FORMS": "1",
        "income-INITIAL_FORMS": "0",
        "income-0-category": "other_funder",
        "income-0-description": "Regionens bidrag",
        "income-0-amount": "45 000",
    }
    return data | overrides


def report_url(application, name="portal:report"):
    return reverse(name, args=[application.pk])


def submit_through_page(client, applicant, application):
    client.force_login(applicant)
    # As the page posts it: the management forms count the lines already saved.
    saved = application.decision.follow_up_report.__class__.objects.get(
        decision__application=application
    ).actual_budget
    initial = {
        f"{kind}-INITIAL_FORMS": str(sum(line["kind"] == kind for line in saved))
        for kind in ("cost", "income")
    }
    response = client.post(report_url(application), complete_post(action="submit", **initial))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


# The grantee


def test_report_page_shows_the_form_to_members(client, approved, member):
    client.force_login(member)
    response = client.get(report_url(approved))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="what_was_done"' in html
    assert 'name="participants_0_12_women"' in html
    assert f'data-autosave-url="{report_url(approved, "portal:report_autosave")}"' in html
    # A member saves; only a signatory is offered the submit button.
    assert 'value="submit"' not in html


def test_application_page_leads_to_the_report(client, approved, applicant):
    client.force_login(applicant)
    html = client.get(reverse("portal:application", args=[approved.pk])).content.decode()
    assert report_url(approved) in html
    assert "Write the final report" in html


@pytest.mark.parametrize("who", ["applicant_b", "officer", "finance"])
def test_others_cannot_see_or_write_the_report(client, approved, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(report_url(approved)).status_code == 404
    response = client.post(report_url(approved), complete_post(action="save"))
    assert response.status_code == 404
    approved.decision.follow_up_report.refresh_from_db()
    assert approved.decision.follow_up_report.what_was_done == ""


def test_anonymous_is_sent_to_login(client, approved):
    response = client.get(report_url(approved))
    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"] or "login" in response["Location"]


def test_no_report_page_for_an_undecided_application(client, proposed, applicant):
    client.force_login(applicant)
    assert client.get(report_url(proposed)).status_code == 404


def test_saving_the_draft_keeps_it(client, approved, member):
    client.force_login(member)
    response = client.post(report_url(approved), complete_post(action="save"))
    assert response.status_code == 302
    report = approved.decision.follow_up_report
    report.refresh_from_db()
    assert report.what_was_done.startswith("Tolv föreställningar")
    assert report.participants["0-12"] == {"women": 40, "men": 35, "other": 2}
    assert report.participants["65+"] == {"women": 12, "men": 0, "other": 0}
    assert report.municipalities == ["2380", "2309"]
    assert report.used_amount == Decimal("45000")
    assert report.actual_budget == [
        {"kind": "cost", "category": "fees", "description": "Arvoden", "amount": "60000"},
        {
            "kind": "income",
            "category": "other_funder",
            "description": "Regionens bidrag",
            "amount": "45000",
        },
    ]
    assert report.submitted_at is None
    assert state_of(approved) == S.APPROVED
    # Shown again as saved.
    html = client.get(report_url(approved)).content.decode()
    assert "Tolv föreställningar" in html
    assert 'value="40"' in html


def test_a_wrong_answer_keeps_everything_typed_and_saves_the_rest(client, approved, applicant):
    client.force_login(applicant)
    data = complete_post(action="save", used_amount="999 999", activities_count="tolv")
    response = client.post(report_url(approved), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be more than the 50" in html
    assert 'value="999 999"' in html
    assert 'value="tolv"' in html
    assert "Tolv föreställningar i fem byar" in html
    report = approved.decision.follow_up_report
    report.refresh_from_db()
    assert report.what_was_done.startswith("Tolv föreställningar")
    assert report.used_amount is None
    assert report.activities_count is None


def test_submitting_an_incomplete_report_names_what_it_lacks(client, approved, applicant):
    client.force_login(applicant)
    blank_line = {"cost-0-category": "", "cost-0-description": "", "cost-0-amount": ""}
    data = complete_post(action="submit", used_amount="", **blank_line)
    data |= {"income-0-category": "", "income-0-description": "", "income-0-amount": ""}
    response = client.post(report_url(approved), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The report lacks" in html
    assert "actual costs and income" in html
    assert state_of(approved) == S.APPROVED
    report = approved.decision.follow_up_report
    report.refresh_from_db()
    assert report.what_was_done  # what was there is saved


def test_a_signatory_submits_the_report(client, approved, applicant, officer, mailoutbox):
    approved.assigned_officer = officer
    approved.save(update_fields=["assigned_officer"])
    response = submit_through_page(client, applicant, approved)
    assert response["Location"] == reverse("portal:application", args=[approved.pk])
    assert state_of(approved) == S.REPORT_SUBMITTED
    report = approved.decision.follow_up_report
    report.refresh_from_db()
    assert report.submitted_by == applicant
    # Read-only afterwards; a further post changes nothing.
    html = client.get(report_url(approved)).content.decode()
    assert 'name="what_was_done"' not in html
    assert "Tolv föreställningar" in html
    response = client.post(report_url(approved), complete_post(action="save", what_was_done="Ny"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.what_was_done.startswith("Tolv")


def test_a_member_cannot_submit(client, approved, member):
    client.force_login(member)
    response = client.post(report_url(approved), complete_post(action="submit"))
    assert response.status_code == 400
    assert state_of(approved) == S.APPROVED


def test_autosave_saves_what_validates(client, approved, member):
    client.force_login(member)
    url = report_url(approved, "portal:report_autosave")
    response = client.post(url, {"what_was_done": "Påbörjad", "used_amount": "mycket"})
    assert response.status_code == 200
    body = response.json()
    assert "what_was_done" in body["saved"]
    assert "used_amount" in body["errors"]
    report = approved.decision.follow_up_report
    report.refresh_from_db()
    assert report.what_was_done == "Påbörjad"


def test_autosave_refuses_a_submitted_report_and_strangers(
    client, approved, applicant, applicant_b
):
    submit_through_page(client, applicant, approved)
    url = report_url(approved, "portal:report_autosave")
    assert client.post(url, {"what_was_done": "x"}).status_code == 409
    client.force_login(applicant_b)
    assert client.post(url, {"what_was_done": "x"}).status_code == 404
    client.logout()
    assert client.post(url, {"what_was_done": "x"}).status_code == 401


def test_attachments_upload_download_and_remove(client, approved, applicant, applicant_b):
    client.force_login(applicant)
    upload = SimpleUploadedFile("affisch.pdf", PDF, content_type="application/pdf")
    response = client.post(report_url(approved, "portal:report_upload"), {"files": upload})
    assert response.status_code == 302
    attachment = approved.decision.follow_up_report.attachments.get()
    url = reverse("portal:report_attachment", args=[approved.pk, attachment.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(applicant_b)
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    bad = SimpleUploadedFile("virus.pdf", EXE, content_type="application/pdf")
    response = client.post(report_url(approved, "portal:report_upload"), {"files": bad})
    assert response.status_code == 400
    assert "virus.pdf" in response.content.decode()
    remove = reverse("portal:report_attachment_remove", args=[approved.pk, attachment.pk])
    client.post(remove)
    assert not approved.decision.follow_up_report.attachments.exists()


def test_a_file_received_with_the_report_stays(client, approved, applicant, officer):
    client.force_login(applicant)
    upload = SimpleUploadedFile("affisch.pdf", PDF, content_type="application/pdf")
    client.post(report_url(approved, "portal:report_upload"), {"files": upload})
    submit_through_page(client, applicant, approved)
    attachment = approved.decision.follow_up_report.attachments.get()
    client.force_login(officer)
    client.post(
        reverse("deciding:report_completion", args=[approved.pk]),
        {"message": "Bifoga programbladet.", "due_date": _in(14)},
    )
    assert state_of(approved) == S.REPORT_COMPLETION_REQUESTED
    client.force_login(applicant)
    remove = reverse("portal:report_attachment_remove", args=[approved.pk, attachment.pk])
    response = client.post(remove, follow=True)
    assert "stays in the case" in response.content.decode()
    assert approved.decision.follow_up_report.attachments.count() == 1


def test_report_page_query_count(client, approved, applicant, django_assert_num_queries):
    client.force_login(applicant)
    client.post(report_url(approved), complete_post(action="save"))
    with django_assert_num_queries(8):
        assert client.get(report_url(approved)).status_code == 200


# The officer


def _in(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_officer_sees_no_draft(client, approved, applicant, officer):
    client.force_login(applicant)
    client.post(report_url(approved), complete_post(action="save", what_was_done=DRAFT_TEXT))
    client.force_login(officer)
    response = client.get(reverse("deciding:follow_up", args=[approved.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert DRAFT_TEXT not in html
    assert "has not submitted the report" in html
    assert reverse("deciding:accept_report", args=[approved.pk]) not in html


def test_officer_reviews_and_accepts(client, approved, applicant, officer, mailoutbox):
    submit_through_page(client, applicant, approved)
    client.force_login(officer)
    case_html = client.get(reverse("casework:case", args=[approved.pk])).content.decode()
    assert "Review the final report" in case_html
    html = client.get(reverse("deciding:follow_up", args=[approved.pk])).content.decode()
    assert "Tolv föreställningar" in html
    assert "Teckentolkning" in html
    assert ">89<" in html  # participants in all: 40 + 35 + 2 + 12
    on_report = Payment.objects.filter(
        decision=approved.decision, trigger=Payment.Trigger.ON_REPORT_ACCEPTED
    )
    response = client.post(reverse("deciding:accept_report", args=[approved.pk]))
    assert response.status_code == 302
    assert state_of(approved) == S.CLOSED
    assert all(payment.state == PaymentState.PAYABLE for payment in on_report)
    # Twice: the second is refused with a message, nothing changes.
    response = client.post(reverse("deciding:accept_report", args=[approved.pk]), follow=True)
    assert response.status_code == 200
    assert state_of(approved) == S.CLOSED


def test_officer_asks_for_completion_and_the_grantee_answers(client, approved, applicant, officer):
    submit_through_page(client, applicant, approved)
    client.force_login(officer)
    url = reverse("deciding:report_completion", args=[approved.pk])
    response = client.post(url, {"message": "Redovisa deltagarna.", "due_date": _in(-1)})
    assert response.status_code == 400
    assert "Redovisa deltagarna." in response.content.decode()
    assert state_of(approved) == S.REPORT_SUBMITTED
    response = client.post(url, {"message": "Redovisa deltagarna.", "due_date": _in(21)})
    assert response.status_code == 302
    assert state_of(approved) == S.REPORT_COMPLETION_REQUESTED
    client.force_login(applicant)
    html = client.get(report_url(approved)).content.decode()
    assert "Redovisa deltagarna." in html
    assert 'name="what_was_done"' in html
    submit_through_page(client, applicant, approved)
    assert state_of(approved) == S.REPORT_SUBMITTED


def test_a_decision_maker_claims_repayment(
    client, approved, applicant, officer, decider, finance, finance_2
):
    factories.pay_out(
        approved.decision.payments.filter(state=PaymentState.PAYABLE), finance, finance_2
    )
    submit_through_page(client, applicant, approved)
    # The officer is not offered the claim, and is refused.
    client.force_login(officer)
    html = client.get(reverse("deciding:follow_up", args=[approved.pk])).content.decode()
    assert reverse("deciding:claim_repayment", args=[approved.pk]) not in html
    data = {"amount": "5 000", "reasons": "Två föreställningar ställdes in.", "due_date": _in(30)}
    response = client.post(reverse("deciding:claim_repayment", args=[approved.pk]), data)
    assert response.status_code == 400
    assert not RepaymentClaim.objects.exists()
    # The decision maker: more than was paid is refused, with everything kept.
    client.force_login(decider)
    html = client.get(reverse("deciding:follow_up", args=[approved.pk])).content.decode()
    assert "was not used" in html
    too_much = data | {"amount": "999 999"}
    response = client.post(reverse("deciding:claim_repayment", args=[approved.pk]), too_much)
    assert response.status_code == 400
    assert "Två föreställningar ställdes in." in response.content.decode()
    response = client.post(reverse("deciding:claim_repayment", args=[approved.pk]), data)
    assert response.status_code == 302
    claim = RepaymentClaim.objects.get()
    assert claim.amount == Decimal("5000")
    assert state_of(approved) == S.REPAYMENT_CLAIMED


def test_jav_sees_nothing_of_the_follow_up(client, approved, applicant, conflicted):
    submit_through_page(client, applicant, approved)
    client.force_login(conflicted)
    for url in (reverse("deciding:follow_up", args=[approved.pk]),):
        response = client.get(url)
        assert response.status_code == 403
        assert "Tolv föreställningar" not in response.content.decode()
    response = client.post(reverse("deciding:accept_report", args=[approved.pk]))
    assert response.status_code == 403
    assert state_of(approved) == S.REPORT_SUBMITTED


@pytest.mark.parametrize("who", ["applicant", "finance"])
def test_the_follow_up_page_is_for_caseworkers(client, approved, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("deciding:follow_up", args=[approved.pk])).status_code == 403
    assert client.post(reverse("deciding:accept_report", args=[approved.pk])).status_code == 403


def test_review_page_query_count(client, approved, applicant, officer, django_assert_num_queries):
    submit_through_page(client, applicant, approved)
    client.force_login(officer)
    with django_assert_num_queries(14):
        assert client.get(reverse("deciding:follow_up", args=[approved.pk])).status_code == 200
