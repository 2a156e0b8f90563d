"""The national cultural statistics export (issue 7): per grant with an accepted follow-up
report, participants by age group and gender in fixed columns whose totals sum right, activities,
target groups and municipalities reached; by year; for staff who work with grants only."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from decisions import national_statistics
from decisions import services as decision_services
from decisions.models import FollowUpReport
from organisations.models import Organisation
from tests import factories

PARTICIPANTS = {
    "0-12": {"women": 40, "men": 35, "other": 2},
    "65+": {"women": 7, "men": 3},
}


def fill_and_submit(report, signatory, **overrides) -> FollowUpReport:
    fields = {
        "what_was_done": "Tolv föreställningar i fem byar runt Storsjön.",
        "participants": PARTICIPANTS,
        "target_groups": ["children_youth", "older_people"],
        "municipalities": ["2380", "2309"],
        "activities_count": 12,
        "perspectives": {"accessibility": "Teckentolkning vid två föreställningar."},
        "actual_budget": [{"kind": "cost", "category": "fees", "amount": "70000"}],
        "used_amount": Decimal("30000"),
    }
    decision_services.report_save(report=report, actor=signatory, **(fields | overrides))
    return decision_services.report_submit(report=report, actor=signatory)


def accepted(decision, officer, **overrides) -> FollowUpReport:
    report = decision.follow_up_report
    signatory = decision.application.organisation.memberships.get(role="signatory").user
    submitted = fill_and_submit(report, signatory, **overrides)
    return decision_services.report_accept(report=submitted, actor=officer)


@pytest.fixture
def reports(approved, call, officer, decider, delegation):
    """The approved grant's report accepted; a second grant's report only submitted; a third
    grant of 2024, a sole trader's without consent, accepted with an odd participants value."""
    first = accepted(approved.decision, officer)
    waiting = factories.decide(factories.proposal(call, officer), decider)
    signatory = waiting.application.organisation.memberships.get().user
    fill_and_submit(waiting.follow_up_report, signatory)
    trader = factories.organisation(
        factories.user(),
        name="Nils Nilsson Bildkonst",
        org_number="850101-1236",
        org_type=Organisation.Type.SOLE_TRADER,
        municipality="2309",
    )
    earlier = factories.decide(
        factories.proposal(call, officer, organisation_obj=trader),
        decider,
        decision_date=date(2024, 9, 2),
    )
    third = accepted(
        earlier,
        officer,
        participants={"13-19": {"women": "5", "men": -3, "other": "many"}, "30-40": {"men": 9}},
        municipalities=["2309"],
        activities_count=None,
    )
    return {"first": first, "waiting": waiting, "third": third}


def download(client, **params) -> list[dict]:
    response = client.get(reverse("national_statistics:download"), params)
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == national_statistics.COLUMNS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_columns_are_fixed():
    participant_columns = [c for c in national_statistics.COLUMNS if c.startswith("participants_")]
    assert participant_columns[:3] == [
        "participants_0_12_women",
        "participants_0_12_men",
        "participants_0_12_other",
    ]
    assert "participants_65_plus_other" in participant_columns
    assert participant_columns[-4:] == [
        "participants_women",
        "participants_men",
        "participants_other",
        "participants_total",
    ]
    assert len(participant_columns) == 4 * 3 + 3 + 1


def test_only_accepted_reports_are_counted(client, reports, officer):
    client.force_login(officer)
    cases = [row["case_number"] for row in download(client)]
    assert cases == [
        reports["third"].decision.application.case_number,
        reports["first"].decision.application.case_number,
    ]
    assert reports["waiting"].application.case_number not in cases


def test_a_row_holds_what_the_report_reached(client, reports, officer):
    client.force_login(officer)
    row = next(r for r in download(client) if r["case_number"].endswith("0001"))
    assert row["decision_year"] == str(reports["first"].decision.decision_date.year)
    assert row["programme"] == "Projektbidrag kultur"
    assert row["organisation"] == "Storsjöteatern ideell förening"
    assert row["organisation_type"] == "Ideell förening"
    assert row["organisation_municipality_code"] == "2380"
    assert row["amount"] == "50000,00"
    assert row["activities"] == "12"
    assert row["municipalities_reached_codes"] == "2380 2309"
    assert row["municipalities_reached"] == "Östersund, Krokom"
    assert row["municipalities_reached_count"] == "2"
    assert row["target_groups_reached"] == "Barn och unga, Äldre"
    assert row["participants_0_12_women"] == "40"
    assert row["participants_0_12_men"] == "35"
    assert row["participants_0_12_other"] == "2"
    assert row["participants_13_19_women"] == "0"
    assert row["participants_65_plus_women"] == "7"
    assert row["participants_65_plus_other"] == "0"
    assert row["participants_women"] == "47"
    assert row["participants_men"] == "38"
    assert row["participants_other"] == "2"
    assert row["participants_total"] == "87"


def test_the_totals_are_the_sums_of_their_row(client, reports, officer):
    client.force_login(officer)
    for row in download(client):
        cells = {key: int(value) for key, value in row.items() if key.startswith("participants_")}
        for gender in ("women", "men", "other"):
            by_age = [v for k, v in cells.items() if k.endswith(f"_{gender}") and k.count("_") > 1]
            assert cells[f"participants_{gender}"] == sum(by_age)
        assert cells["participants_total"] == sum(
            cells[f"participants_{gender}"] for gender in ("women", "men", "other")
        )


def test_odd_counts_and_unknown_groups_count_nothing(client, reports, officer):
    client.force_login(officer)
    row = next(r for r in download(client) if r["decision_year"] == "2024")
    assert row["participants_13_19_women"] == "5"
    assert row["participants_13_19_men"] == "0"
    assert row["participants_13_19_other"] == "0"
    assert row["participants_total"] == "5"
    assert row["activities"] == ""


def test_a_sole_traders_name_is_not_handed_on_without_consent(client, reports, officer):
    client.force_login(officer)
    response = client.get(reverse("national_statistics:download"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Nilsson" not in text
    assert "850101" not in text
    assert "Enskild firma (namnet publiceras inte)" in text


def test_filtered_by_year(client, reports, officer):
    client.force_login(officer)
    rows = download(client, year=2024)
    assert [row["case_number"] for row in rows] == [
        reports["third"].decision.application.case_number
    ]
    response = client.get(reverse("national_statistics:download"), {"year": 2024})
    assert response["Content-Disposition"] == 'attachment; filename="kulturstatistik-2024.csv"'


def test_the_page_lists_the_years_and_explains_the_columns(client, reports, decider):
    client.force_login(decider)
    page = client.get(reverse("national_statistics:page")).content.decode()
    assert '<option value="2024">2024</option>' in page
    assert "participants_65_plus_women" in page
    assert "Participants, 65 years and over: Women" in page


def test_an_administrator_may_download(client, reports):
    client.force_login(factories.user("admin@example.org", "administrator"))
    assert len(download(client)) == 2


@pytest.mark.parametrize("who", ["finance", "applicant"])
def test_finance_officers_and_applicants_are_refused(request, client, reports, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("national_statistics:page")).status_code == 403
    assert client.get(reverse("national_statistics:download")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, reports):
    for name in ("national_statistics:page", "national_statistics:download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/konto/logga-in/" in response["Location"]


def test_the_queries_do_not_grow_with_the_reports(
    client, django_assert_num_queries, reports, officer, call, decider
):
    client.force_login(officer)

    def fetch():
        b"".join(client.get(reverse("national_statistics:download")).streaming_content)

    # The session, the user, the user's own and group permissions, the rows.
    with django_assert_num_queries(5):
        fetch()
    accepted(factories.decide(factories.proposal(call, officer), decider), officer)
    client.force_login(officer)
    with django_assert_num_queries(5):
        fetch()
