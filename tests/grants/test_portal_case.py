"""The applicant's case page (portal:application) and its actions: complete, write, withdraw."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import entries_for
from grants import services
from grants.models import Application, CaseMessage
from grants.timeline import applicant_timeline
from grants.workflow import ApplicationState as S
from tests import factories
from tests.assertions import state_of


def url(name, application) -> str:
    return reverse(f"portal:{name}", args=[application.pk])


def case_page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(url("application", application))
    assert response.status_code == 200
    return response.content.decode()


def request_completion(application, officer, parts=("project",)):
    return services.application_request_completion(
        application=application,
        actor=officer,
        message="Beskriv hur ni når barn i glesbygd.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=list(parts),
    )


@pytest.fixture
def completion_requested(under_review, officer):
    request_completion(under_review, officer)
    return Application.objects.get(pk=under_review.pk)


# Who may see and do what


@pytest.mark.parametrize("name", ["application", "withdraw"])
def test_anonymous_is_sent_to_login(client, submitted, name):
    response = client.get(url(name, submitted))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["application", "withdraw"])
def test_other_organisation_gets_404_on_pages(client, applicant_b, submitted, name):
    client.force_login(applicant_b)

    assert client.get(url(name, submitted)).status_code == 404


@pytest.mark.parametrize("name", ["complete", "message", "withdraw"])
def test_other_organisation_gets_404_on_actions(client, applicant_b, completion_requested, name):
    client.force_login(applicant_b)

    response = client.post(url(name, completion_requested), {"reply": "x", "body": "x"})

    assert response.status_code == 404
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED
    assert not CaseMessage.objects.exists()


def test_missing_application_is_404(client, applicant):
    client.force_login(applicant)

    assert client.get(reverse("portal:application", args=[99999])).status_code == 404


@pytest.mark.parametrize("name", ["complete", "message"])
def test_actions_are_post_only(client, applicant, submitted, name):
    client.force_login(applicant)

    assert client.get(url(name, submitted)).status_code == 405


# The page in each state


def test_draft_page_links_to_the_form(client, applicant, draft):
    html = case_page(client, applicant, draft)

    assert "Draft – not submitted yet" in html
    assert reverse("apply:step", args=[draft.pk, "project"]) in html
    assert "once the application has been submitted" in html
    assert url("message", draft) not in html
    assert url("withdraw", draft) in html


def test_submitted_page_shows_case_number_and_summary(client, applicant, submitted):
    html = case_page(client, applicant, submitted)

    assert submitted.case_number in html
    assert "Received – waiting for an officer" in html
    assert submitted.summary in html
    assert "Application submitted and registered with case number" in html


def test_member_sees_the_page_but_no_withdraw_button(client, member, submitted):
    html = case_page(client, member, submitted)

    assert submitted.title in html
    assert url("withdraw", submitted) not in html


def test_approved_page_shows_the_decision_and_payments(client, applicant, approved):
    decision = approved.decision

    html = case_page(client, applicant, approved)

    assert "Granted 50,000 kr" in html
    assert "Granted in full" in html
    assert decision.reasons in html
    assert "40,000 kr" in html and "10,000 kr" in html
    assert "When the final report is accepted" in html
    assert "Waiting for the final report" in html
    assert "The decision letter is being produced" in html
    assert reverse("decisions:letter", args=[decision.pk]) not in html
    assert url("withdraw", approved) not in html


def test_partly_granted_decision_shows_the_amount_applied_for(
    client, applicant, under_review, officer, decider, delegation
):
    factories.assess(under_review, officer, amount=30000, recommendation="approve_partly")
    factories.decide(Application.objects.get(pk=under_review.pk), decider, "approved_partly")

    html = case_page(client, applicant, under_review)

    assert "Granted in part" in html
    assert "30,000 kr" in html and "50,000 kr" in html
    assert "granted 30,000 kr of the 50,000 kr applied for" in html


# Completion


def test_completion_request_shows_message_due_date_and_parts(
    client, applicant, completion_requested
):
    request = completion_requested.completion_requests.get()

    html = case_page(client, applicant, completion_requested)

    assert request.message in html
    assert f"{request.due_date.day} {request.due_date:%B} {request.due_date.year}" in html
    assert reverse("apply:step", args=[completion_requested.pk, "project"]) in html
    assert url("complete", completion_requested) in html


def test_member_sees_the_request_but_not_the_send_back_form(client, member, completion_requested):
    html = case_page(client, member, completion_requested)

    assert "Beskriv hur ni når barn i glesbygd." in html
    assert url("complete", completion_requested) not in html
    assert "a signatory of the organisation then sends" in html


def test_completion_round_trip_through_the_pages(
    client, applicant, completion_requested, mailoutbox, django_capture_on_commit_callbacks
):
    services.application_update(
        application=completion_requested,
        actor=applicant,
        description="Vi spelar i fem byar och bjuder in skolorna.",
    )
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("complete", completion_requested), {"reply": "Vi har lagt till skolorna."}
        )

    assert response.status_code == 302
    assert response["Location"] == url("application", completion_requested)
    assert state_of(completion_requested) == S.UNDER_REVIEW
    request = completion_requested.completion_requests.get()
    assert request.reply == "Vi har lagt till skolorna."
    assert [mail.to for mail in mailoutbox] == [["officer@example.org"]]
    html = client.get(response["Location"]).content.decode()
    assert "The completed application was sent back to the officer" in html
    assert "Vi har lagt till skolorna." in html


def test_completion_without_change_or_reply_keeps_the_page_and_says_why(
    client, applicant, completion_requested
):
    client.force_login(applicant)

    response = client.post(url("complete", completion_requested), {"reply": "  "})

    assert response.status_code == 200
    assert "Change the parts the officer asked about" in response.content.decode()
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED


def test_completion_problem_is_shown_and_the_reply_kept(
    client, applicant, completion_requested, programme
):
    programme.max_amount = 20000
    programme.save()
    client.force_login(applicant)

    response = client.post(url("complete", completion_requested), {"reply": "Här är svaret."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The application cannot be sent back yet" in html
    assert "Här är svaret.</textarea>" in html
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED


def test_member_cannot_send_the_completion_back(client, member, completion_requested):
    client.force_login(member)

    response = client.post(url("complete", completion_requested), {"reply": "Klart."})

    assert "Only a signatory" in response.content.decode()
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED


# Messages


def test_messages_both_ways_with_email(
    client,
    applicant,
    member,
    officer,
    under_review,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("message", under_review), {"body": "När kommer beslutet?"})

    assert response.status_code == 302
    sent = CaseMessage.objects.get()
    assert (sent.sender, sent.from_staff) == (member, False)
    assert mailoutbox[-1].to == ["officer@example.org"]
    assert under_review.case_number in mailoutbox[-1].subject
    assert "När kommer beslutet?" not in mailoutbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.case_message_send(
            application=under_review, actor=officer, body="I slutet av maj."
        )

    assert reply.from_staff
    assert sorted(mailoutbox[-1].to) == ["applicant-a@example.org"]
    assert f"/mina-sidor/{under_review.pk}/" in mailoutbox[-1].body  # Swedish: the letter's
    html = case_page(client, member, under_review)
    assert html.index("När kommer beslutet?") < html.index("I slutet av maj.")
    assert "From Karin Handläggare, officer" in html
    assert "Maja Medlem wrote" in html
    assert [e.action for e in entries_for(under_review)].count("grants.message.sent") == 2


def test_viewing_the_page_marks_the_regions_messages_read(client, applicant, officer, under_review):
    services.case_message_send(application=under_review, actor=officer, body="Hej!")
    services.case_message_send(application=under_review, actor=applicant, body="Hej själv!")

    case_page(client, applicant, under_review)

    assert CaseMessage.objects.get(from_staff=True).read_at is not None
    assert CaseMessage.objects.get(from_staff=False).read_at is None


def test_empty_message_is_refused_and_nothing_sent(client, applicant, submitted):
    client.force_login(applicant)

    response = client.post(url("message", submitted), {"body": "   "})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not CaseMessage.objects.exists()


def test_no_messages_on_a_draft(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(url("message", draft), {"body": "Hej"})

    assert "once the application has been submitted" in response.content.decode()
    assert not CaseMessage.objects.exists()


def test_region_staff_as_the_region_unless_assigned(applicant, officer, officer_2, under_review):
    services.case_message_send(application=under_review, actor=officer_2, body="Från kollegan.")

    events = applicant_timeline(under_review)

    assert events[-1].actor_label == "The region"
    assert any(event.actor_label == "Karin Handläggare, officer" for event in events)


# Withdrawal


def test_withdraw_confirmation_then_withdraw(
    client, applicant, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)

    page = client.get(url("withdraw", under_review)).content.decode()
    assert "cannot be reopened" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("withdraw", under_review), {"reason": "Projektet ställs in."})

    assert response.status_code == 302
    assert state_of(under_review) == S.WITHDRAWN
    assert mailoutbox[-1].to == ["officer@example.org"]
    html = client.get(response["Location"]).content.decode()
    assert "Withdrawn – the case is closed" in html
    assert "Projektet ställs in." in html
    assert url("withdraw", under_review) not in html


def test_member_cannot_withdraw(client, member, submitted):
    client.force_login(member)

    page = client.get(url("withdraw", submitted))
    response = client.post(url("withdraw", submitted), {"reason": ""}, follow=True)

    assert page.status_code == 302
    assert "Only a signatory" in response.content.decode()
    assert state_of(submitted) == S.SUBMITTED


def test_decided_application_cannot_be_withdrawn(client, applicant, approved):
    client.force_login(applicant)

    assert client.get(url("withdraw", approved)).status_code == 302
    client.post(url("withdraw", approved))

    assert state_of(approved) == S.APPROVED


# The timeline


def test_timeline_never_shows_the_assessment_or_proposal(
    client, applicant, under_review, officer, officer_2, decider
):
    services.application_assign(application=under_review, actor=officer, officer=officer_2)
    services.application_assign(application=under_review, actor=officer_2, officer=officer)
    factories.assess(under_review, officer)
    services.application_return_for_review(
        application=under_review, actor=decider, reason="Hemlig intern anledning."
    )
    actions = [entry.action for entry in entries_for(under_review)]
    assert "grants.assessment.saved" in actions
    assert "grants.application.proposed" in actions

    html = case_page(client, applicant, under_review)
    texts = " ".join(event.text + event.detail for event in applicant_timeline(under_review))

    for secret in [
        "Väl genomarbetat",  # a criterion comment
        "Tydligt beskrivet",  # a perspective comment
        "Ansökan uppfyller programmets syfte",  # the proposed reasons
        "Hemlig intern anledning",  # the reason for returning
        "weighted",
        "recommend",
        "officer-2@example.org",
        "Erik Handläggare",
    ]:
        assert secret not in html
        assert secret not in texts
    assert "Proposed" not in html
    assert "An officer has started handling the application" in texts


def test_timeline_tells_the_story_in_order(client, applicant, approved):
    events = applicant_timeline(approved)

    assert [event.text for event in events] == [
        "Application started",
        f"Application submitted and registered with case number {approved.case_number}",
        "An officer has started handling the application",
        "Decision: granted 50,000 kr",
    ]
    assert events[0].actor_label == "Alva Sökande"
    assert events[-1].actor_label == "The region"


# Query counts


def test_case_page_query_count_does_not_grow_with_messages(
    client, applicant, officer, under_review, django_assert_num_queries
):
    client.force_login(applicant)
    page = url("application", under_review)
    # Session, user, application, role (mark read), mark read (in a savepoint), role (page),
    # messages with senders, decision, audit trail with actors, budget lines, attachments.
    for rounds in (2, 10):
        for number in range(rounds):
            services.case_message_send(application=under_review, actor=officer, body=f"F {number}")
            services.case_message_send(
                application=under_review, actor=applicant, body=f"S {number}"
            )
        with django_assert_num_queries(13):
            client.get(page)


def test_repayment_claim_is_explained(client, member, approved, decider, finance, finance_2):
    from decimal import Decimal

    from decisions import services as decision_services
    from decisions.workflow import PaymentState
    from tests.decisions.test_follow_up import pay

    pay(approved.decision.payments.filter(state=PaymentState.PAYABLE), finance, finance_2)
    decision_services.repayment_claim_create(
        decision=approved.decision,
        actor=decider,
        amount=Decimal("10000"),
        reasons="Två av fem föreställningar blev inte av.",
        due_date=timezone.localdate() + timedelta(days=30),
    )

    html = case_page(client, member, approved)

    assert "The region claims money back" in html
    assert "The region claims 10,000 kr back" in html
    assert "Två av fem föreställningar blev inte av." in html
    assert "Paid on" in html and "Cancelled" in html
