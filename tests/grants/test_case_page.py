"""The officer's case page (casework:case) and its companions: files, notes and messages."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from audit.models import LogEntry
from audit.services import log_action
from decisions.models import FollowUpReport
from grants import casework, services
from grants.models import Application, CaseMessage, InternalNote
from grants.timeline import applicant_timeline, staff_timeline
from organisations.models import Organisation
from tests import factories

NOTE = "Ring ordföranden om budgeten – internt."


def url(name, application, *args) -> str:
    return reverse(f"casework:{name}", args=[application.pk, *args])


def case_page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(url("case", application))
    assert response.status_code == 200
    return response.content.decode()


def action_names(application, user) -> set[str]:
    application = Application.objects.get(pk=application.pk)
    return {action.name for action in casework.case_actions(application, user)}


def personnummer() -> str:
    body = "800101123"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def decided_earlier(organisation, applicant, officer, decider, *, outcome="approved"):
    """Return another application of the organisation, carried to a decision."""
    call = factories.call(title_en="Project grants 2025", title_sv="Projektbidrag 2025")
    draft = factories.draft(organisation, call, applicant)
    submitted = services.application_submit(application=draft, actor=applicant)
    services.application_start_review(application=submitted, actor=officer)
    proposed = factories.assess(
        submitted, officer, recommendation="approve" if outcome == "approved" else "reject"
    )
    return factories.decide(proposed, decider, outcome=outcome).application


def make_overdue(application) -> None:
    FollowUpReport.objects.filter(decision__application=application).update(
        due_date=timezone.localdate() - timedelta(days=10)
    )


@pytest.fixture
def copy_stored(submitted):
    submitted.submitted_copy.save("copy.pdf", ContentFile(factories.PDF_BYTES), save=True)
    return submitted


# Who may open the case


GET_VIEWS = ["case", "submitted_copy", "note", "message"]


def attachment_url(application):
    return url("attachment", application, application.attachments.get().pk)


def all_urls(application) -> list[str]:
    return [url(name, application) for name in GET_VIEWS] + [attachment_url(application)]


def test_anonymous_is_sent_to_login(client, copy_stored):
    for address in all_urls(copy_stored):
        for method in (client.get, client.post):
            response = method(address, {"body": "x"})
            assert response.status_code == 302, address
            assert reverse("accounts:login") in response["Location"]
    assert not InternalNote.objects.exists()


@pytest.mark.parametrize("who", ["applicant", "member", "finance"])
def test_applicants_and_finance_are_refused(client, request, copy_stored, who):
    client.force_login(request.getfixturevalue(who))
    entries = LogEntry.objects.count()

    for address in all_urls(copy_stored):
        assert client.get(address).status_code == 403, address
        assert client.post(address, {"body": "Hej"}).status_code == 403, address

    assert not InternalNote.objects.exists()
    assert not CaseMessage.objects.exists()
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize("jav", ["conflicted", "staff_member"])
def test_jav_opens_nothing_and_writes_nothing(client, request, copy_stored, jav):
    """Jäv by declaration and by membership: 403 everywhere, with the jäv message only."""
    client.force_login(request.getfixturevalue(jav))
    services.case_message_send(application=copy_stored, actor=copy_stored.author, body="Fråga")
    entries = LogEntry.objects.count()

    requests = [(client.get, address) for address in all_urls(copy_stored)] + [
        (client.post, url(name, copy_stored)) for name in ("note", "message")
    ]
    for method, address in requests:
        response = method(address, {"body": "Hej"})
        page = response.content.decode()
        assert response.status_code == 403, address
        assert "conflict of interest" in page
        assert copy_stored.title not in page
        assert copy_stored.case_number not in page

    assert not InternalNote.objects.exists()
    assert CaseMessage.objects.get().read_at is None
    assert CaseMessage.objects.count() == 1
    assert LogEntry.objects.count() == entries


def test_a_draft_is_not_a_case(client, officer, draft):
    client.force_login(officer)

    assert client.get(url("case", draft)).status_code == 404
    assert client.post(url("note", draft), {"body": NOTE}).status_code == 404


def test_another_applications_attachment_is_404_here(
    client, officer, submitted, organisation, call, applicant
):
    other = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    client.force_login(officer)

    response = client.get(url("attachment", submitted, other.attachments.get().pk))

    assert response.status_code == 404


def test_case_page_is_read_only_for_other_methods(client, officer, submitted):
    client.force_login(officer)

    assert client.post(url("case", submitted)).status_code == 405


# The files


@pytest.mark.parametrize("who", ["officer", "decider", "secretary"])
def test_caseworkers_download_the_attachments(client, request, submitted, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(attachment_url(submitted))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    assert 'filename="Projektplan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_copy_as_submitted_is_served_once_stored(client, officer, submitted):
    client.force_login(officer)
    assert client.get(url("submitted_copy", submitted)).status_code == 404
    assert url("submitted_copy", submitted) not in case_page(client, officer, submitted)

    submitted.submitted_copy.save("copy.pdf", ContentFile(factories.PDF_BYTES), save=True)
    response = client.get(url("submitted_copy", submitted))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    assert url("submitted_copy", submitted) in case_page(client, officer, submitted)


# What the page shows


def test_header_shows_the_case(client, officer, under_review):
    html = case_page(client, officer, under_review)

    for text in [
        under_review.case_number,
        under_review.title,
        "Storsjöteatern ideell förening",
        under_review.organisation.org_number,
        "Under review",
        "Karin Handläggare",
        "Project grants for culture 2026",
        "Project grants for culture",
        under_review.submitted_at.strftime("%B"),
        "50,000 kr",
    ]:
        assert text in html, text


def test_a_sole_traders_personnummer_is_masked(client, officer, applicant, finance, call):
    organisation = factories.organisation(
        applicant,
        verified_by=finance,
        org_type=Organisation.Type.SOLE_TRADER,
        org_number=personnummer(),
        name="Konstnär Alva Sökande",
    )
    submitted = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )

    html = case_page(client, officer, submitted)

    assert "800101-****" in html
    assert personnummer() not in html


def test_everything_submitted_is_shown_with_the_attachments_linked(client, officer, submitted):
    html = case_page(client, officer, submitted)

    for text in [
        submitted.summary,
        submitted.description,
        "Children and young people",
        "Östersund, Krokom",
        "Alla scener är tillgängliga för rullstol.",
        "Quality education",
        "Own contribution",
        "Projektplan.pdf",
    ]:
        assert text in html, text
    assert attachment_url(submitted) in html
    assert reverse("apply:attachment", args=[submitted.pk, 1])[:-2] not in html


def test_the_assessment_and_the_decision_are_summarised(client, officer, approved):
    html = case_page(client, officer, approved)

    assert "Artistic quality" in html
    assert "4.00 of 5" in html
    assert "<strong>Strengthens</strong> – Tydligt beskrivet." in html
    assert "Ansökan uppfyller programmets syfte" in html
    assert "Anna Chef, Kulturchef" in html
    assert "Delegationsordning RUN 2026, punkt 4.2" in html
    assert "The decision letter is being produced." in html
    assert "Report due on" in html


def test_earlier_grants_show_their_report_status_and_overdue_is_flagged(
    client, officer, decider, delegation, applicant, organisation, submitted
):
    overdue = decided_earlier(organisation, applicant, officer, decider)
    make_overdue(overdue)
    rejected = decided_earlier(organisation, applicant, officer, decider, outcome="rejected")
    open_case = services.application_submit(
        application=factories.draft(organisation, submitted.call, applicant), actor=applicant
    )

    html = case_page(client, officer, submitted)

    assert "Warning:" in html
    assert "The organisation has an earlier grant whose final report is overdue" in html
    assert html.count("Overdue: not reported") == 2  # the header's warning and the table
    assert overdue.case_number in html
    assert rejected.case_number in html
    assert "No report: not granted" in html
    assert url("case", open_case) in html
    assert "Other open applications" in html


def test_an_overdue_completion_of_an_earlier_report_is_flagged(
    client, officer, decider, delegation, applicant, organisation, submitted
):
    from decisions import services as decision_services
    from grants.models import CompletionRequest

    earlier = decided_earlier(organisation, applicant, officer, decider)
    report = FollowUpReport.objects.get(decision__application=earlier)
    decision_services.report_save(
        report=report,
        actor=applicant,
        what_was_done="Tolv föreställningar.",
        participants={"0-12": {"women": 4, "men": 3, "other": 0}},
        municipalities=["2380"],
        actual_budget=[{"kind": "cost", "category": "fees", "amount": "1000"}],
        used_amount=1000,
    )
    decision_services.report_submit(report=report, actor=applicant)
    decision_services.report_request_completion(
        report=report,
        actor=officer,
        message="Bifoga programbladet.",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    CompletionRequest.objects.filter(application=earlier).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )

    html = case_page(client, officer, submitted)

    assert "Overdue: the completed report was due" in html
    assert "The organisation has an earlier grant whose final report is overdue" in html


def test_no_warning_when_earlier_reports_are_not_yet_due(
    client, officer, decider, delegation, applicant, organisation, submitted
):
    decided_earlier(organisation, applicant, officer, decider)

    html = case_page(client, officer, submitted)

    assert "Warning:" not in html
    assert "Report due on" in html


def _decision(grant=True, report=None, report_due_date=None):
    return SimpleNamespace(is_grant=grant, follow_up_report=report, report_due_date=report_due_date)


def _report(due, submitted_at=None, accepted_at=None):
    return SimpleNamespace(due_date=due, submitted_at=submitted_at, accepted_at=accepted_at)


@pytest.mark.parametrize(
    ("state", "decision", "text", "overdue"),
    [
        ("rejected", _decision(grant=False), "No report: not granted", False),
        ("approved", _decision(report=_report(timezone.localdate())), "Report due on", False),
        ("approved", _decision(report=_report(timezone.localdate() - timedelta(days=1))),
         "Overdue: not reported", True),
        ("repayment_claimed", _decision(report=_report(timezone.localdate() - timedelta(days=1))),
         "Overdue: not reported", True),
        ("report_submitted", _decision(report=_report(timezone.localdate() - timedelta(days=9),
                                                      submitted_at=timezone.now())),
         "Report submitted on", False),
        ("report_completion_requested", _decision(report=_report(
            timezone.localdate() - timedelta(days=9), submitted_at=timezone.now())),
         "the officer asked for completion", False),
        ("closed", _decision(report=_report(timezone.localdate() - timedelta(days=9),
                                            submitted_at=timezone.now(),
                                            accepted_at=timezone.now())),
         "Report accepted on", False),
        ("closed", _decision(report=_report(timezone.localdate() - timedelta(days=9))),
         "Closed without a report", False),
        ("approved", _decision(report_due_date=timezone.localdate() - timedelta(days=1)),
         "Overdue: not reported", True),
    ],
)  # fmt: skip
def test_report_status(state, decision, text, overdue):
    status = casework.report_status(
        SimpleNamespace(state=state), decision, today=timezone.localdate()
    )

    assert text in status.text
    assert status.overdue is overdue
    assert (status.tone == "attention") is overdue


# The actions offered


def test_officer_on_a_submitted_case_may_take_assign_or_request_completion(officer, submitted):
    assert action_names(submitted, officer) == {
        "take",
        "assign",
        "request_completion",
        "declare_conflict",
    }


def test_assigned_officer_with_an_incomplete_assessment_sees_what_it_lacks(
    client, officer, under_review
):
    services.assessment_save(application=under_review, actor=officer, recommendation="approve")

    html = case_page(client, officer, under_review)

    assert action_names(under_review, officer) == {
        "assess",
        "request_completion",
        "assign",
        "declare_conflict",
    }
    assert "Before you can propose a decision, the assessment needs:" in html
    assert "a score for “Artistic quality”" in html
    assert url("assess", under_review) in html
    assert url("propose", under_review) not in html


def test_assigned_officer_without_an_assessment_is_told_to_assess(client, officer, under_review):
    html = case_page(client, officer, under_review)

    assert "an assessment: none has been saved yet" in html


def test_assigned_officer_with_a_complete_assessment_may_propose(client, officer, under_review):
    criteria = under_review.call.programme.criteria.all()
    services.assessment_save(
        application=under_review,
        actor=officer,
        scores={criterion.pk: (4, "") for criterion in criteria},
        perspectives={
            key: {"rating": "neutral", "comment": ""}
            for key in [
                "accessibility",
                "children_youth",
                "gender_equality",
                "equality",
                "indigenous_minority",
            ]
        },
        recommendation="reject",
        reasons="Svag förankring.",
    )

    html = case_page(client, officer, under_review)

    assert "propose" in action_names(under_review, officer)
    assert url("propose", under_review) in html
    assert "Before you can propose" not in html


def test_another_officer_may_not_assess_or_propose(client, officer_2, under_review):
    html = case_page(client, officer_2, under_review)

    assert action_names(under_review, officer_2) == {
        "request_completion",
        "assign",
        "declare_conflict",
    }
    assert url("assess", under_review) not in html
    assert "Before you can propose" not in html


def test_decider_on_a_proposal_may_decide_or_return(client, decider, proposed):
    html = case_page(client, decider, proposed)

    assert action_names(proposed, decider) == {"decide", "return", "declare_conflict"}
    assert reverse("deciding:decide", args=[proposed.pk]) in html
    assert reverse("deciding:return", args=[proposed.pk]) in html


def test_secretary_on_a_proposal_records_a_committee_decision(client, secretary, proposed):
    html = case_page(client, secretary, proposed)

    assert action_names(proposed, secretary) == {"committee", "return", "declare_conflict"}
    committee = reverse("deciding:committee") + f"?call={proposed.call_id}"
    assert f'href="{committee}"' in html
    assert reverse("deciding:decide", args=[proposed.pk]) not in html


def test_decider_is_not_offered_to_take_or_propose(decider, submitted, officer):
    assert action_names(submitted, decider) == {"declare_conflict"}
    services.application_start_review(application=submitted, actor=officer)
    assert action_names(submitted, decider) == {"declare_conflict"}


def test_officer_is_not_offered_to_decide(client, officer, proposed):
    html = case_page(client, officer, proposed)

    assert action_names(proposed, officer) == {"assign", "declare_conflict"}
    assert reverse("deciding:decide", args=[proposed.pk]) not in html
    assert reverse("deciding:return", args=[proposed.pk]) not in html


def test_nothing_but_reading_on_a_finished_case(officer, decider, delegation, proposed):
    rejected = factories.decide(proposed, decider, outcome="rejected").application

    assert action_names(rejected, officer) == set()
    assert action_names(rejected, decider) == set()


def test_follow_up_actions_lead_to_the_follow_up_page(officer, decider, approved):
    """claim_repayment is offered to a decision maker, never to an officer; a submitted report
    is offered for review to the officer, who may accept it or ask for completion there."""
    assert action_names(approved, decider) == {"claim_repayment", "declare_conflict"}
    assert "claim_repayment" not in action_names(approved, officer)
    Application.objects.filter(pk=approved.pk).update(state="report_submitted")
    reported = Application.objects.get(pk=approved.pk)
    assert {"accept_report", "request_report_completion"} <= {
        t.name for t in reported.get_available_user_state_transitions(officer)
    }
    assert action_names(reported, officer) == {"follow_up", "assign", "declare_conflict"}


def test_assign_offers_other_officers_without_jav(
    client, officer, officer_2, under_review, staff_member
):
    html = case_page(client, officer, under_review)

    assert url("assign", under_review) in html
    assert f'value="{officer_2.pk}"' in html
    assert f'value="{officer.pk}"' not in html  # already the case's officer
    assert f'value="{staff_member.pk}"' not in html  # jäv by membership


# Internal notes


def test_a_caseworker_adds_a_note(client, decider, submitted):
    client.force_login(decider)

    response = client.post(url("note", submitted), {"body": f"  {NOTE}  "})

    assert response.status_code == 302
    assert response["Location"].endswith("#notes")
    note = InternalNote.objects.get()
    assert (note.body, note.author, note.application_id) == (NOTE, decider, submitted.pk)
    html = case_page(client, decider, submitted)
    assert NOTE in html
    assert "Wrote an internal note" in html


def test_an_empty_note_is_refused_on_the_page(client, officer, submitted):
    client.force_login(officer)

    response = client.post(url("note", submitted), {"body": "   "})

    assert response.status_code == 400
    assert "Check the following" in response.content.decode()
    assert not InternalNote.objects.exists()


def test_a_get_of_the_note_address_goes_back_to_the_case(client, officer, submitted):
    client.force_login(officer)

    response = client.get(url("note", submitted))

    assert response.status_code == 302
    assert response["Location"] == url("case", submitted) + "#notes"


def test_notes_never_reach_the_applicant(client, officer, applicant, under_review):
    services.internal_note_add(application=under_review, actor=officer, body=NOTE)

    client.force_login(applicant)
    html = client.get(reverse("portal:application", args=[under_review.pk])).content.decode()

    assert NOTE not in html
    assert "internal note" not in html.lower()
    assert all(NOTE not in f"{e.text} {e.detail}" for e in applicant_timeline(under_review))
    assert "Wrote an internal note" in [event.text for event in staff_timeline(under_review)]


# Messages with the applicant


def test_the_officer_reads_and_answers_the_organisations_messages(
    client, officer, applicant, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    services.case_message_send(application=under_review, actor=applicant, body="När får vi svar?")

    html = case_page(client, officer, under_review)

    assert "När får vi svar?" in html
    assert "Alva Sökande (Storsjöteatern ideell förening) wrote" in html
    assert CaseMessage.objects.get().read_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("message", under_review), {"body": "I maj."})
    assert response.status_code == 302
    assert response["Location"].endswith("#messages")
    reply = CaseMessage.objects.get(from_staff=True)
    assert (reply.body, reply.sender) == ("I maj.", officer)
    assert mailoutbox[0].to == ["applicant-a@example.org"]


def test_a_decider_reads_but_neither_marks_read_nor_writes(client, decider, applicant, submitted):
    services.case_message_send(application=submitted, actor=applicant, body="En fråga")

    html = case_page(client, decider, submitted)

    assert "En fråga" in html
    assert url("message", submitted) not in html
    assert CaseMessage.objects.get().read_at is None
    response = client.post(url("message", submitted), {"body": "Svar"})
    assert response.status_code == 400
    assert "officers handling the case can write here" in response.content.decode()
    assert CaseMessage.objects.count() == 1


def test_an_organisations_message_links_the_officer_to_the_case_page(
    officer, applicant, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    officer.language = "en"
    officer.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        services.case_message_send(application=under_review, actor=applicant, body="Hej")

    assert f"/en/handlaggning/{under_review.pk}/" in mailoutbox[0].body


# The history


def test_the_history_names_every_action_and_falls_back_to_the_dotted_name(officer, under_review):
    log_action(under_review, "grants.application.something_new", actor=officer)

    texts = [event.text for event in staff_timeline(under_review)]

    assert texts == [
        "Started the application",
        "Attached the file “Projektplan.pdf”",
        f"Application submitted and registered with case number {under_review.case_number}",
        "Took the case and started handling it",
        "grants.application.something_new",
    ]


def test_the_history_names_whom_a_case_was_given_to(officer, officer_2, submitted):
    services.application_start_review(application=submitted, actor=officer, officer=officer_2)
    services.application_assign(application=submitted, actor=officer_2, officer=officer)

    texts = [event.text for event in staff_timeline(submitted)]

    assert "Started handling the case and assigned it to Erik Handläggare" in texts
    assert "Reassigned the case from Erik Handläggare to Karin Handläggare" in texts


def test_completion_requests_are_shown_with_their_replies(client, officer, applicant, under_review):
    services.application_request_completion(
        application=under_review,
        actor=officer,
        message="Bifoga en tidsplan.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=["project"],
    )
    services.application_update(
        application=Application.objects.get(pk=under_review.pk),
        actor=applicant,
        summary="Ny sammanfattning.",
    )
    services.application_complete(
        application=Application.objects.get(pk=under_review.pk),
        actor=applicant,
        reply="Tidsplanen finns nu.",
    )

    html = case_page(client, officer, under_review)

    assert "Completion requests" in html
    assert "Bifoga en tidsplan." in html
    assert "Tidsplanen finns nu." in html
    assert "Alva Sökande answered on" in html


# Query count


def fill_case(application, *, size, officer, applicant, decider) -> None:
    """Give the case ``size`` messages, notes and earlier (overdue) grants of its organisation."""
    for number in range(size):
        services.case_message_send(application=application, actor=applicant, body=f"Fråga {number}")
        services.case_message_send(application=application, actor=officer, body=f"Svar {number}")
        services.internal_note_add(application=application, actor=officer, body=f"Not {number}")
        earlier = decided_earlier(application.organisation, applicant, officer, decider)
        make_overdue(earlier)


@pytest.mark.parametrize("size", [2, 20])
def test_the_case_page_query_count_does_not_grow_with_the_case(
    client, django_assert_num_queries, officer, applicant, decider, delegation, under_review, size
):
    fill_case(under_review, size=size, officer=officer, applicant=applicant, decider=decider)
    client.force_login(officer)

    with django_assert_num_queries(27):
        response = client.get(url("case", under_review))

    assert response.status_code == 200
    assert response.content.decode().count("Overdue: not reported") == 2 * size
    assert f"Svar {size - 1}" in response.content.decode()


def test_requested_amount_is_money(client, officer, organisation, call, applicant):
    draft = factories.draft(organisation, call, applicant, requested=Decimal("123456"))
    submitted = services.application_submit(application=draft, actor=applicant)

    assert "123,456 kr" in case_page(client, officer, submitted)


def test_the_two_forms_label_their_own_fields(client, officer, under_review):
    html = case_page(client, officer, under_review)

    assert html.count('id="note_body"') == 1
    assert html.count('id="message_body"') == 1
    assert 'for="note_body"' in html
    assert 'for="message_body"' in html


def test_a_new_application_of_an_organisation_with_an_overdue_report_warns_and_links(
    client, officer, decider, delegation, applicant, organisation, submitted
):
    """Issue 7: the warning names the earlier case, links to it and says since when."""
    overdue = decided_earlier(organisation, applicant, officer, decider)
    make_overdue(overdue)
    due = timezone.localdate() - timedelta(days=10)

    html = case_page(client, officer, submitted)

    header = html[: html.index('id="other-cases"')]
    assert "The organisation has an earlier grant whose final report is overdue" in header
    assert f'<a href="{url("case", overdue)}">{overdue.case_number}</a>' in header
    assert f"Overdue: not reported, due {due.day} {due:%B} {due.year}" in header
