"""Committee decisions (samlingsbeslut, DESIGN §5): the secretary decides proposals of a call in
one step, the CommitteeDecision record, its decision list (PDF), and every forbidden path."""

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import LogEntry
from audit.services import entries_for
from decisions import committee as decision_lists
from decisions import services as decision_services
from decisions.models import CommitteeDecision, Decision
from decisions.services import CommitteeMeeting
from grants import services
from grants.models import Application
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.services import membership_add
from tests import factories
from tests.assertions import state_of

S = ApplicationState
BODY = "Regionala utvecklingsnämnden"


def meeting(paragraph="§ 87", day=None) -> CommitteeMeeting:
    return CommitteeMeeting(
        body=BODY, meeting_date=day or timezone.localdate(), paragraph=paragraph
    )


def committee_url(call=None) -> str:
    url = reverse("deciding:committee")
    return f"{url}?call={call.pk}" if call is not None else url


def record_url(record) -> str:
    return reverse("deciding:committee_decision", args=[record.pk])


def list_url(record) -> str:
    return reverse("deciding:decision_list", args=[record.pk])


def page(response) -> str:
    return response.content.decode()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def post_data(applications, *, step="decide", **fields) -> dict:
    return {
        "applications": [str(application.pk) for application in applications],
        "body": BODY,
        "meeting_date": timezone.localdate().isoformat(),
        "paragraph": "§ 87",
        "step": step,
    } | fields


def nothing_decided(*applications) -> bool:
    return (
        not Decision.objects.exists()
        and not CommitteeDecision.objects.exists()
        and all(state_of(application) == S.PROPOSED for application in applications)
    )


@pytest.fixture
def decided(proposals, secretary, django_capture_on_commit_callbacks):
    """The three proposals decided at the committee, with what was queued after commit run."""
    with django_capture_on_commit_callbacks(execute=True):
        record = decision_services.committee_decide(
            applications=proposals, actor=secretary, committee=meeting()
        )
    return CommitteeDecision.objects.get(pk=record.pk)


# The service


def test_the_committee_decides_each_proposal_as_assessed_under_one_record(
    proposals, secretary, officer
):
    record = decision_services.committee_decide(
        applications=list(reversed(proposals)), actor=secretary, committee=meeting("87")
    )

    assert (record.body, record.meeting_date, record.paragraph) == (
        BODY,
        timezone.localdate(),
        "§ 87",
    )
    assert record.call == proposals[0].call
    assert record.recorded_by == secretary
    decisions = list(record.decisions.order_by("application_id"))
    assert [(d.application_id, d.outcome, d.amount) for d in decisions] == [
        (proposals[0].pk, "approved", Decimal("150000")),
        (proposals[1].pk, "approved_partly", Decimal("60000")),
        (proposals[2].pk, "rejected", Decimal("0")),
    ]
    assert {(d.committee_body, d.committee_paragraph, d.decision_date) for d in decisions} == {
        (BODY, "§ 87", timezone.localdate())
    }
    assert {d.decided_by for d in decisions} == {secretary}
    assert {d.presenter for d in decisions} == {officer}
    assert [state_of(application) for application in proposals] == [
        S.APPROVED,
        S.APPROVED,
        S.REJECTED,
    ]
    entry = entries_for(record).get(action="decisions.committee.decided")
    assert entry.actor == secretary
    assert entry.data["cases"] == [application.case_number for application in proposals]
    assert entry.data["paragraph"] == "§ 87"


def test_the_decision_list_is_stored_after_commit_with_its_checksum(decided):
    with decided.decision_list.open("rb") as file:
        content = file.read()

    assert content.startswith(b"%PDF")
    assert decided.decision_list_sha256 == hashlib.sha256(content).hexdigest()
    entry = entries_for(decided).get(action="decisions.committee.decision_list_stored")
    assert entry.data["sha256"] == decided.decision_list_sha256


def test_the_decision_list_names_every_case_amount_and_the_paragraph(decided, proposals, call):
    with decided.decision_list.open("rb") as file:
        text = pdf_text(file.read())

    for application in proposals:
        assert application.case_number in text
        assert application.organisation.name in text
    assert "150 000 kr" in text  # requested and granted in full
    assert "80 000 kr" in text and "60 000 kr" in text  # requested, granted in part
    assert "40 000 kr" in text  # requested, rejected
    assert "270 000 kr" in text  # requested in total
    assert "210 000 kr" in text  # granted in total
    assert "2 000 000 kr" in text  # the call's budget
    assert "1 790 000 kr" in text  # what remains of it
    assert "§ 87" in text
    assert BODY in text
    assert call.title_sv in text
    assert "Karin Handläggare" in text  # the presenter
    assert "Sara Sekreterare" in text  # who recorded it
    assert "Region Jämtland Härjedalen" in text


def test_every_page_of_the_list_carries_the_paragraph_and_its_number(
    call, officer, secretary, django_capture_on_commit_callbacks
):
    many = [factories.proposal(call, officer) for _ in range(12)]
    # Long titles make tall rows: twelve cases fill more than a page.
    Application.objects.filter(pk__in=[a.pk for a in many]).update(title="Ett långt projekt " * 10)
    record = decision_services.committee_decide(
        applications=many, actor=secretary, committee=meeting("§ 12")
    )

    reader = PdfReader(io.BytesIO(decision_lists.render_decision_list(record)))

    pages = len(reader.pages)
    assert pages >= 2
    for number, pdf_page in enumerate(reader.pages, start=1):
        text = pdf_page.extract_text()
        assert "§ 12" in text
        assert f"Page {number} of {pages}" in text or f"Sida {number} av {pages}" in text


def test_the_decision_list_is_a_tagged_pdf_in_swedish(decided):
    html = decision_lists.decision_list_html(decided)
    with decided.decision_list.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))

    assert '<html lang="sv">' in html
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog


def test_a_second_render_does_not_replace_the_list(decided):
    stored_name, stored_sha = decided.decision_list.name, decided.decision_list_sha256

    result = decision_lists.decision_list_render.call(committee_decision_id=decided.pk)

    decided.refresh_from_db()
    assert result == stored_sha
    assert (decided.decision_list.name, decided.decision_list_sha256) == (stored_name, stored_sha)
    assert (
        entries_for(decided).filter(action="decisions.committee.decision_list_stored").count() == 1
    )


def test_a_single_committee_decision_gets_a_record_that_later_cases_join(
    call, officer, secretary, django_capture_on_commit_callbacks
):
    first, second, third = (factories.proposal(call, officer) for _ in range(3))

    decision = factories.decide(first, secretary, committee=meeting("§ 88"))
    joined = factories.decide(second, secretary, committee=meeting("88"))

    record = decision.committee_decision
    assert record is not None and record.paragraph == "§ 88"
    assert joined.committee_decision == record
    assert record.decisions.count() == 2
    assert entries_for(record).filter(action="decisions.committee.decided").count() == 2

    # Once its decision list is produced, the § is closed: the list is never changed.
    decision_lists.decision_list_store(record)
    with pytest.raises(WorkflowError, match="has been produced"):
        factories.decide(third, secretary, committee=meeting("§ 88"))
    assert state_of(third) == S.PROPOSED


def test_the_same_paragraph_cannot_be_used_for_another_call(
    call, programme, officer, secretary, proposals
):
    factories.decide(proposals[0], secretary, committee=meeting("§ 88"))
    elsewhere = factories.proposal(factories.call(programme), officer)

    with pytest.raises(WorkflowError, match="already recorded for another call"):
        factories.decide(elsewhere, secretary, committee=meeting("§ 88"))
    with pytest.raises(WorkflowError, match="already recorded"):
        decision_services.committee_decide(
            applications=[elsewhere], actor=secretary, committee=meeting("§88")
        )

    assert state_of(elsewhere) == S.PROPOSED


def test_the_same_paragraph_cannot_be_decided_twice(proposals, secretary):
    decision_services.committee_decide(
        applications=proposals[:1], actor=secretary, committee=meeting()
    )

    with pytest.raises(WorkflowError) as excinfo:
        decision_services.committee_decide(
            applications=proposals[1:], actor=secretary, committee=meeting()
        )

    assert excinfo.value.code == "paragraph_used"
    assert "§ 87 of the meeting of Regionala utvecklingsnämnden" in str(excinfo.value)
    assert CommitteeDecision.objects.count() == 1
    assert state_of(proposals[1]) == S.PROPOSED


def test_the_meeting_cannot_be_in_the_future(proposals, secretary):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(WorkflowError, match="in the future"):
        decision_services.committee_decide(
            applications=proposals, actor=secretary, committee=meeting(day=tomorrow)
        )

    assert nothing_decided(*proposals)


def test_a_paragraph_too_long_for_the_minutes_is_refused(proposals, secretary):
    with pytest.raises(WorkflowError, match="is too long"):
        decision_services.committee_decide(
            applications=proposals, actor=secretary, committee=meeting("1" * 19)
        )

    assert nothing_decided(*proposals)


def test_an_earlier_meeting_may_be_recorded(proposals, secretary):
    record = decision_services.committee_decide(
        applications=proposals, actor=secretary, committee=meeting(day=date(2026, 11, 19))
    )

    assert {d.decision_date for d in record.decisions.all()} == {date(2026, 11, 19)}


@pytest.mark.parametrize("how", ["declared", "member"])
def test_a_secretary_with_jav_for_one_case_decides_nothing(
    proposals, secretary, organisation_b, how
):
    if how == "declared":
        services.conflict_declare(
            user=secretary, organisation=organisation_b, reason="Jäv.", actor=secretary
        )
    else:
        membership_add(organisation=organisation_b, user=secretary, role="member", actor=None)
    entries = LogEntry.objects.count()

    with pytest.raises(WorkflowError) as excinfo:
        decision_services.committee_decide(
            applications=proposals, actor=secretary, committee=meeting()
        )

    assert excinfo.value.code == "conflict"
    assert proposals[1].case_number in str(excinfo.value)
    assert proposals[0].case_number not in str(excinfo.value)
    assert LogEntry.objects.count() == entries
    assert nothing_decided(*proposals)


def test_a_case_that_is_no_longer_proposed_stops_the_whole_decision(proposals, secretary, decider):
    services.application_return_for_review(
        application=proposals[2], actor=decider, reason="Se över budgeten."
    )

    with pytest.raises(WorkflowError) as excinfo:
        decision_services.committee_decide(
            applications=proposals, actor=secretary, committee=meeting()
        )

    assert excinfo.value.code == "wrong_state"
    assert proposals[2].case_number in str(excinfo.value)
    assert not Decision.objects.exists() and not CommitteeDecision.objects.exists()
    assert state_of(proposals[0]) == S.PROPOSED


@pytest.mark.parametrize("who", ["decider", "officer", "finance"])
def test_only_the_secretary_records_committee_decisions(proposals, request, who):
    with pytest.raises(WorkflowError) as excinfo:
        decision_services.committee_decide(
            applications=proposals, actor=request.getfixturevalue(who), committee=meeting()
        )

    assert excinfo.value.code == "wrong_role"
    assert nothing_decided(*proposals)


def test_a_committee_decision_needs_a_proposal(secretary):
    with pytest.raises(WorkflowError, match="at least one proposal"):
        decision_services.committee_decide(applications=[], actor=secretary, committee=meeting())


def test_a_committee_decision_covers_one_call(proposals, programme, officer, secretary):
    elsewhere = factories.proposal(factories.call(programme), officer)

    with pytest.raises(WorkflowError, match="one call"):
        decision_services.committee_decide(
            applications=[*proposals, elsewhere], actor=secretary, committee=meeting()
        )

    assert nothing_decided(*proposals, elsewhere)


# The committee page


def test_the_secretary_chooses_among_the_calls_with_proposals(client, secretary, proposals, call):
    client.force_login(secretary)

    response = client.get(committee_url())

    assert response.status_code == 200
    assert committee_url(call) in page(response)
    assert [(c.pk, c.proposals) for c in response.context["calls"]] == [(call.pk, 3)]


def test_the_call_page_ticks_every_proposal_and_sums_them_against_the_budget(
    client, secretary, proposals, call
):
    client.force_login(secretary)

    response = client.get(committee_url(call))

    assert response.status_code == 200
    html = page(response)
    for application in proposals:
        assert f'value="{application.pk}" id="proposal-{application.pk}" checked' in html
        assert application.case_number in html
    totals = response.context["totals"]
    assert (totals.count, totals.proposed, totals.requested) == (
        3,
        Decimal("210000"),
        Decimal("270000"),
    )
    assert totals.remaining_after == Decimal("1790000")
    assert "Decide 3 proposals" in html
    assert 'value="Regionala utvecklingsnämnden"' in html


def test_the_whole_flow_from_selection_to_the_decision_list(
    client, secretary, proposals, call, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    chosen = proposals[:2]

    confirm = client.post(committee_url(call), post_data(chosen, step="review"))

    assert confirm.status_code == 200
    assert confirm.context["confirming"]
    html = page(confirm)
    assert "Confirm the committee decision" in html
    assert "Decide 2 proposals" in html
    assert proposals[2].case_number not in html
    assert not Decision.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(committee_url(call), post_data(chosen))

    record = CommitteeDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record_url(record)
    assert {d.application_id for d in record.decisions.all()} == {a.pk for a in chosen}
    assert state_of(proposals[2]) == S.PROPOSED
    assert len(mailoutbox) == 2  # a decision e-mail to each applicant
    shown = client.get(record_url(record))
    assert "2 proposals were decided at Regionala utvecklingsnämnden" in page(shown)
    for application in chosen:
        assert reverse("casework:case", args=[application.pk]) in page(shown)
    assert list_url(record) in page(shown)

    download = client.get(list_url(record))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == record.decision_list_sha256
    assert "beslutslista-" in download["Content-Disposition"]


def test_changing_the_selection_keeps_every_tick_and_field(client, secretary, proposals, call):
    client.force_login(secretary)

    response = client.post(
        committee_url(call), post_data(proposals[:2], step="edit", paragraph="§ 91")
    )

    html = page(response)
    assert response.status_code == 200
    assert f'id="proposal-{proposals[0].pk}" checked' in html
    assert f'id="proposal-{proposals[1].pk}" checked' in html
    assert f'id="proposal-{proposals[2].pk}" checked' not in html
    assert 'value="§ 91"' in html


def test_a_missing_paragraph_keeps_every_tick_and_field(client, secretary, proposals, call):
    client.force_login(secretary)

    response = client.post(
        committee_url(call),
        post_data(proposals[1:], step="review", paragraph="", meeting_date="2026-11-19"),
    )

    html = page(response)
    assert response.status_code == 400
    assert f'id="proposal-{proposals[0].pk}" checked' not in html
    assert f'id="proposal-{proposals[1].pk}" checked' in html
    assert f'id="proposal-{proposals[2].pk}" checked' in html
    assert 'value="2026-11-19"' in html
    assert 'value="Regionala utvecklingsnämnden"' in html
    assert (
        "Minutes §" in response.context["form"].errors.as_text()
        or response.context["form"].errors["paragraph"]
    )
    assert "Decide 2 proposals" in html
    assert nothing_decided(*proposals)


def test_a_returned_case_refuses_the_whole_decision_and_names_it(
    client, secretary, decider, proposals, call
):
    services.application_return_for_review(
        application=proposals[1], actor=decider, reason="Se över."
    )
    client.force_login(secretary)

    response = client.post(committee_url(call), post_data(proposals))

    html = page(response)
    assert response.status_code == 400
    assert proposals[1].case_number in html
    assert "no longer a proposal" in html
    assert f'id="proposal-{proposals[0].pk}" checked' in html
    assert not Decision.objects.exists() and not CommitteeDecision.objects.exists()


def test_the_same_paragraph_twice_is_refused_on_the_page(client, secretary, proposals, call):
    decision_services.committee_decide(
        applications=proposals[:1], actor=secretary, committee=meeting()
    )
    client.force_login(secretary)

    response = client.post(committee_url(call), post_data(proposals[1:], step="review"))

    assert response.status_code == 400
    assert "is already recorded" in page(response)
    assert Decision.objects.count() == 1


def test_a_case_of_another_call_is_refused_on_the_page(
    client, secretary, proposals, call, programme, officer
):
    elsewhere = factories.proposal(factories.call(programme), officer)
    client.force_login(secretary)

    response = client.post(committee_url(call), post_data([proposals[0], elsewhere]))

    assert response.status_code == 400
    assert "Choose proposals of this call only." in page(response)
    assert nothing_decided(*proposals, elsewhere)


@pytest.mark.parametrize("how", ["declared", "member"])
def test_a_case_with_jav_shows_only_its_case_number_and_cannot_be_decided(
    client, secretary, proposals, call, organisation_b, how
):
    if how == "declared":
        services.conflict_declare(
            user=secretary, organisation=organisation_b, reason="Jäv.", actor=secretary
        )
    else:
        membership_add(organisation=organisation_b, user=secretary, role="member", actor=None)
    client.force_login(secretary)

    html = page(client.get(committee_url(call)))

    assert proposals[1].case_number in html
    assert organisation_b.name not in html
    assert f'id="proposal-{proposals[1].pk}"' not in html
    assert "Decide 2 proposals" in html

    response = client.post(committee_url(call), post_data(proposals))

    assert response.status_code == 400
    assert f"conflict of interest (jäv) for {proposals[1].case_number}" in page(response)
    assert nothing_decided(*proposals)


@pytest.mark.parametrize("who", ["decider", "officer", "finance", "applicant"])
def test_the_committee_page_is_for_the_secretary_only(client, request, who, proposals, call):
    client.force_login(request.getfixturevalue(who))

    assert client.get(committee_url()).status_code == 403
    assert client.get(committee_url(call)).status_code == 403
    assert client.post(committee_url(call), post_data(proposals)).status_code == 403
    assert nothing_decided(*proposals)


def test_the_committee_pages_need_a_login(client, decided):
    for url in (committee_url(), record_url(decided), list_url(decided)):
        response = client.get(url)

        assert response.status_code == 302
        assert "/konto/logga-in/" in response["Location"]


def test_an_unknown_call_is_not_found(client, secretary):
    client.force_login(secretary)

    assert client.get(committee_url() + "?call=999999").status_code == 404
    assert client.get(committee_url() + "?call=x").status_code == 404


# The recorded committee decision


@pytest.mark.parametrize("who", ["officer", "decider", "secretary"])
def test_caseworkers_read_a_committee_decision(client, request, who, decided, proposals):
    client.force_login(request.getfixturevalue(who))

    response = client.get(record_url(decided))

    assert response.status_code == 200
    html = page(response)
    for application in proposals:
        assert application.case_number in html
        assert application.organisation.name in html
    assert "210,000 kr" in html  # granted in total
    assert client.get(list_url(decided)).status_code == 200


@pytest.mark.parametrize("who", ["finance", "applicant"])
def test_others_cannot_read_a_committee_decision(client, request, who, decided):
    client.force_login(request.getfixturevalue(who))

    assert client.get(record_url(decided)).status_code == 403
    assert client.get(list_url(decided)).status_code == 403


def test_a_reader_with_jav_sees_that_row_as_jav_only(
    client, officer_2, decided, proposals, organisation_b
):
    services.conflict_declare(
        user=officer_2, organisation=organisation_b, reason="Jäv.", actor=officer_2
    )
    client.force_login(officer_2)

    html = page(client.get(record_url(decided)))

    assert proposals[1].case_number in html
    assert organisation_b.name not in html
    assert reverse("casework:case", args=[proposals[1].pk]) not in html
    assert proposals[0].organisation.name in html
    # The decision list is the minutes' appendix, the same for every reader.
    assert client.get(list_url(decided)).status_code == 200


def test_the_page_says_when_the_list_is_not_yet_produced(client, officer, proposals, secretary):
    record = decision_services.committee_decide(
        applications=proposals, actor=secretary, committee=meeting()
    )
    client.force_login(officer)

    assert "is being produced" in page(client.get(record_url(record)))
    assert client.get(list_url(record)).status_code == 404


# Query counts


def test_the_committee_page_queries_do_not_grow_with_the_proposals(
    client, secretary, call, officer, organisation_b, django_assert_num_queries
):
    services.conflict_declare(
        user=secretary, organisation=organisation_b, reason="Jäv.", actor=secretary
    )
    factories.proposal(call, officer, organisation_obj=organisation_b)
    for _ in range(2):
        factories.proposal(call, officer)
    client.force_login(secretary)
    url = committee_url(call)

    # Session, user, permissions (2), the call and its figures (1 + 3 grouped sums), jäv,
    # proposals, recorded decisions.
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    for _ in range(4):
        factories.proposal(call, officer)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_the_committee_decision_page_queries_do_not_grow_with_the_decisions(
    client, officer, secretary, call, django_assert_num_queries
):
    small = decision_services.committee_decide(
        applications=[factories.proposal(call, officer) for _ in range(2)],
        actor=secretary,
        committee=meeting("§ 1"),
    )
    large = decision_services.committee_decide(
        applications=[factories.proposal(call, officer) for _ in range(6)],
        actor=secretary,
        committee=meeting("§ 2"),
    )
    client.force_login(officer)

    # Session, user, permissions (2), the record, jäv, the decisions.
    with django_assert_num_queries(7):
        assert client.get(record_url(small)).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(record_url(large)).status_code == 200
