"""The statistics page (/statistik/) and its CSV: the figures of a small seeded set by every
dimension, the filters, what the public and staff see, the CSV files, and the query counts."""

import codecs
import csv
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Payment
from decisions.workflow import PaymentState
from grants import services
from grants.models import Application, StrategyArea
from grants.statistics import TABLES, Statistics, statistics_years
from organisations.models import Organisation
from tests import factories


def grant(call, officer, decider, organisation, *, requested, amount, on, **fields):
    """Decide an application of ``organisation`` to ``call`` on the day ``on``; ``amount`` None
    rejects it. ``fields`` set the application's lists before it is submitted."""
    application = factories.draft(
        organisation,
        call,
        organisation.memberships.get(role="signatory").user,
        requested=Decimal(requested),
    )
    Application.objects.filter(pk=application.pk).update(**fields)
    signatory = organisation.memberships.get(role="signatory").user
    application = services.application_submit(
        application=Application.objects.get(pk=application.pk), actor=signatory
    )
    services.application_start_review(application=application, actor=officer)
    recommendation = "reject" if amount is None else "approve_partly"
    if amount == requested:
        recommendation = "approve"
    application = factories.assess(
        application,
        officer,
        amount=None if amount is None else Decimal(amount),
        recommendation=recommendation,
    )
    outcome = {"approve": "approved", "approve_partly": "approved_partly", "reject": "rejected"}
    decision = factories.decide(
        application, decider, outcome=outcome[recommendation], decision_date=on
    )
    # Received a month before the decision, as the case would have been.
    received = timezone.make_aware(datetime(on.year, on.month, 1) - timedelta(days=30))
    Application.objects.filter(pk=application.pk).update(submitted_at=received)
    return decision


@pytest.fixture
def seeded(organisation, officer, decider, delegation, finance, finance_2):
    """Four decisions in 2025 (three grants, one rejection) and one grant in 2024, in two
    programmes; one instalment paid."""
    culture = factories.programme()
    dialogue = factories.programme(
        name_sv="Dialogbidrag",
        name_en="Dialogue grants",
        strategy_area=StrategyArea.DIALOGUE,
        case_prefix="DIA",
    )
    culture_call = factories.call(culture, title_sv="Kultur 2025", title_en="Culture 2025")
    dialogue_call = factories.call(
        dialogue, title_sv="Dialog 2025", title_en="Dialogue 2025", budget=Decimal("500000")
    )
    foundation = factories.organisation(
        factories.user(),
        verified_by=finance,
        name="Stiftelsen Åre",
        org_type=Organisation.Type.FOUNDATION,
        municipality="2321",
    )
    first = grant(
        culture_call, officer, decider, organisation,
        requested="50000", amount="50000", on=date(2025, 3, 10),
        target_groups=["children_youth"], municipalities=["2380", "2309"],
        perspectives={"accessibility": "Rullstolsplatser."}, agenda_goals=[4, 10],
    )  # fmt: skip
    grant(
        culture_call, officer, decider, foundation,
        requested="80000", amount="30000", on=date(2025, 4, 1),
        target_groups=["children_youth", "sami"], municipalities=["2321"],
        perspectives={"accessibility": "Syntolkning.", "indigenous_minority": "På sydsamiska."},
        agenda_goals=[10],
    )  # fmt: skip
    grant(
        dialogue_call, officer, decider, organisation,
        requested="40000", amount=None, on=date(2025, 5, 5),
        target_groups=["older_people"], municipalities=["2380"],
        perspectives={"equality": "Alla välkomna."}, agenda_goals=[16],
    )  # fmt: skip
    grant(
        dialogue_call, officer, decider, foundation,
        requested="20000", amount="20000", on=date(2025, 6, 1),
        target_groups=["everyone"], municipalities=["2321"],
        perspectives={"gender_equality": "Jämn fördelning.", "equality": ""}, agenda_goals=[5],
    )  # fmt: skip
    grant(
        culture_call, officer, decider, organisation,
        requested="60000", amount="60000", on=date(2024, 11, 11),
        target_groups=["children_youth"], municipalities=["2380"],
        perspectives={}, agenda_goals=[4],
    )  # fmt: skip
    payable = Payment.objects.filter(decision=first, state=PaymentState.PAYABLE)
    factories.pay_out(payable, finance, finance_2)
    return {
        "culture": culture,
        "dialogue": dialogue,
        "culture_call": culture_call,
        "dialogue_call": dialogue_call,
    }


def figures(table, *, staff=False):
    """Return the table's rows as {key: (grants, granted)} (or with the staff figures)."""
    if staff:
        return {
            row.key: (row.decided, row.grants, row.rejected, row.requested, row.granted)
            for row in table.rows
            if row.decided
        }
    return {row.key: (row.grants, row.granted) for row in table.rows if row.grants}


def kr(amount: str) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


# The figures


def test_the_public_figures_of_the_year_by_every_dimension(seeded):
    statistics = Statistics(year=2025)
    assert (statistics.total.grants, statistics.total.granted) == (3, kr("100000"))
    culture, dialogue = seeded["culture"].pk, seeded["dialogue"].pk
    assert figures(statistics.table("programme")) == {
        str(culture): (2, kr("80000")),
        str(dialogue): (1, kr("20000")),
    }
    assert figures(statistics.table("strategy-area")) == {
        "culture_civil_society": (2, kr("80000")),
        "dialogue": (1, kr("20000")),
    }
    assert figures(statistics.table("call")) == {
        str(seeded["culture_call"].pk): (2, kr("80000")),
        str(seeded["dialogue_call"].pk): (1, kr("20000")),
    }
    assert figures(statistics.table("organisation-municipality")) == {
        "2380": (1, kr("50000")),
        "2321": (2, kr("50000")),
    }
    assert figures(statistics.table("activity-municipality")) == {
        "2380": (1, kr("50000")),
        "2309": (1, kr("50000")),
        "2321": (2, kr("50000")),
    }
    assert figures(statistics.table("organisation-type")) == {
        "association": (1, kr("50000")),
        "foundation": (2, kr("50000")),
    }
    assert figures(statistics.table("target-group")) == {
        "children_youth": (2, kr("80000")),
        "sami": (1, kr("30000")),
        "everyone": (1, kr("20000")),
    }
    # A perspective counts when the application says something about it: "equality" was empty.
    assert figures(statistics.table("perspective")) == {
        "accessibility": (2, kr("80000")),
        "indigenous_minority": (1, kr("30000")),
        "gender_equality": (1, kr("20000")),
    }
    assert figures(statistics.table("agenda-goal")) == {
        "4": (1, kr("50000")),
        "10": (2, kr("80000")),
        "5": (1, kr("20000")),
    }
    assert figures(statistics.table("year")) == {
        "2024": (1, kr("60000")),
        "2025": (3, kr("100000")),
    }


def test_every_value_of_a_fixed_list_has_a_row_and_the_labels_are_readable(seeded):
    statistics = Statistics(year=2025)
    goals = statistics.table("agenda-goal")
    assert len(goals.rows) == 17
    assert goals.rows[9].label == "10. Reduced inequalities"
    municipalities = {row.key: row.label for row in statistics.table("activity-municipality").rows}
    assert municipalities["2321"] == "Åre"
    assert len(municipalities) == 9
    programmes = [row.label for row in statistics.table("programme").rows]
    assert programmes == ["Project grants for culture", "Dialogue grants"]


def test_the_bars_are_shares_of_the_largest_row(seeded):
    rows = {row.key: row.share for row in Statistics(year=2025).table("target-group").rows}
    assert rows["children_youth"] == Decimal("100.00")
    assert rows["sami"] == Decimal("37.50")
    assert rows["older_people"] == Decimal("0")


def test_staff_figures_count_the_decided_and_rejected(seeded):
    statistics = Statistics(year=2025, staff=True)
    total = statistics.total
    assert (total.decided, total.grants, total.rejected) == (4, 3, 1)
    assert total.requested == kr("190000")
    assert total.approval_rate == Decimal("75.0")
    assert figures(statistics.table("programme"), staff=True)[str(seeded["dialogue"].pk)] == (
        2,
        1,
        1,
        kr("60000"),
        kr("20000"),
    )
    assert figures(statistics.table("target-group"), staff=True)["older_people"] == (
        1,
        0,
        1,
        kr("40000"),
        kr("0"),
    )
    assert statistics.received == 4


def test_the_public_statistics_count_grants_only(seeded):
    statistics = Statistics(year=2025)
    assert statistics.total.decided is None
    assert statistics.received is None
    assert figures(statistics.table("target-group")).get("older_people") is None


def test_budget_used_per_call(seeded):
    budget = {call.call_id: call for call in Statistics(year=2025).budget}
    culture = budget[seeded["culture_call"].pk]
    # The call's budget against the grants of the year's decisions (not the 2024 one).
    assert (culture.budget, culture.granted, culture.paid) == (
        kr("2000000"),
        kr("80000"),
        kr("40000"),
    )
    assert culture.share == Decimal("4.0")
    assert culture.remaining == kr("1920000")
    assert culture.received is None
    dialogue = budget[seeded["dialogue_call"].pk]
    assert (dialogue.granted, dialogue.paid, dialogue.share) == (
        kr("20000"),
        kr("0"),
        Decimal("4.0"),
    )
    staff = {call.call_id: call.received for call in Statistics(year=2025, staff=True).budget}
    assert staff == {seeded["culture_call"].pk: 3, seeded["dialogue_call"].pk: 2}


def test_the_year_and_programme_filters(seeded):
    assert statistics_years() == [2025, 2024]
    earlier = Statistics(year=2024)
    assert (earlier.total.grants, earlier.total.granted) == (1, kr("60000"))
    assert [call.call_id for call in earlier.budget] == [seeded["culture_call"].pk]
    dialogue = Statistics(year=2025, programme=seeded["dialogue"])
    assert (dialogue.total.grants, dialogue.total.granted) == (1, kr("20000"))
    assert figures(dialogue.table("organisation-type")) == {"foundation": (1, kr("20000"))}
    assert figures(dialogue.table("year")) == {"2025": (1, kr("20000"))}
    assert [call.call_id for call in dialogue.budget] == [seeded["dialogue_call"].pk]


def test_no_decisions_no_years(db):
    assert statistics_years() == []


# The page


def page(client, **params):
    return client.get(reverse("statistics:page"), params)


def test_the_page_shows_the_latest_year_by_default(client, seeded):
    response = page(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert "All programmes, decisions in 2025" in text
    assert "100,000 kr" in text or "100 000 kr" in text or "100\xa0000 kr" in text
    for title in list(TABLES.values()):
        assert f"{title}</h2>" in text
    assert "Budget used per call</h2>" in text
    assert f"{reverse('statistics:csv', args=['programme'])}?year=2025" in text


def test_the_public_never_sees_staff_figures_or_names(client, seeded, applicant):
    for visitor in (None, applicant):
        if visitor:
            client.force_login(visitor)
        text = page(client).content.decode()
        assert "Approval rate" not in text
        assert "Rejected" not in text
        assert "applications received" not in text
        assert "Applications received" not in text
        assert "Storsjöteatern" not in text
        assert "Stiftelsen Åre" not in text


@pytest.mark.parametrize("who", ["officer", "decider", "secretary"])
def test_caseworkers_see_the_staff_figures(request, client, seeded, who):
    client.force_login(request.getfixturevalue(who))
    text = page(client).content.decode()
    assert "Approval rate" in text
    assert "75.0 %" in text
    assert "applications received in 2025" in text
    assert "Applications received" in text


def test_the_page_filters_by_year_and_programme(client, seeded):
    text = page(client, year=2024).content.decode()
    assert "All programmes, decisions in 2024" in text
    text = page(client, year=2025, programme=seeded["dialogue"].pk).content.decode()
    assert "Dialogue grants, decisions in 2025" in text
    assert "Project grants for culture</span>" not in text
    assert f"programme={seeded['dialogue'].pk}" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "1999"}, "There are no statistics for “1999”"),
        ({"year": "förra året"}, "There are no statistics for “förra året”"),
        ({"programme": "9999"}, "There is no programme “9999”"),
        ({"programme": "x"}, "There is no programme “x”"),
    ],
)
def test_a_bad_filter_gives_a_message(client, seeded, params, message):
    response = page(client, **params)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "Check the following" in text
    csv_response = client.get(reverse("statistics:csv", args=["programme"]), params)
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_the_page_without_any_decision(client, db):
    response = page(client)
    assert response.status_code == 200
    assert "No decisions have been made yet" in response.content.decode()


def test_an_unknown_table_is_not_found(client, seeded):
    assert client.get(reverse("statistics:csv", args=["salaries"])).status_code == 404


# The CSV


def read_csv(response):
    content = response.content
    assert content.startswith(codecs.BOM_UTF8)
    text = content[len(codecs.BOM_UTF8) :].decode()
    assert "\r\n" in text
    return list(csv.reader(text.splitlines(), delimiter=";"))


def test_the_public_csv_of_a_table(client, seeded):
    response = client.get(reverse("statistics:csv", args=["target-group"]), {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="statistik-target-group-2025.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == ["Code", "Target group", "Grants", "Granted (SEK)"]
    assert ["children_youth", "Children and young people", "2", "80000,00"] in rows
    assert ["sami", "The Sami", "1", "30000,00"] in rows
    assert len(rows) == 1 + 7


def test_the_staff_csv_has_the_staff_columns(client, seeded, officer):
    client.force_login(officer)
    url = reverse("statistics:csv", args=["programme"])
    response = client.get(url, {"year": 2025, "programme": seeded["dialogue"].pk})
    disposition = (
        f'attachment; filename="statistik-programme-2025-programme-{seeded["dialogue"].pk}.csv"'
    )
    assert response["Content-Disposition"] == disposition
    rows = read_csv(response)
    assert rows[0][2:6] == ["Decided applications", "Grants", "Rejected", "Approval rate (%)"]
    assert rows[1:] == [
        [
            str(seeded["dialogue"].pk),
            "Dialogue grants",
            "2",
            "1",
            "1",
            "50,0",
            "60000,00",
            "20000,00",
        ]
    ]


def test_the_budget_csv(client, seeded):
    rows = read_csv(client.get(reverse("statistics:csv", args=["budget"])))
    assert rows[0] == [
        "Call",
        "Programme",
        "Budget (SEK)",
        "Granted (SEK)",
        "Share of the budget granted (%)",
        "Paid (SEK)",
        "Remaining (SEK)",
    ]
    assert rows[1] == [
        "Culture 2025",
        "Project grants for culture",
        "2000000,00",
        "80000,00",
        "4,0",
        "40000,00",
        "1920000,00",
    ]


def test_csv_text_is_never_a_formula(client, seeded):
    seeded["dialogue"].name_en = '=HYPERLINK("http://evil")'
    seeded["dialogue"].save()
    rows = read_csv(client.get(reverse("statistics:csv", args=["programme"])))
    assert rows[2][1] == '\'=HYPERLINK("http://evil")'


# Query counts: constant, whatever the number of applications


def test_query_counts(client, seeded, officer, django_assert_num_queries):
    from django.core.cache import cache

    # Anonymous, computed: the data version, years, programmes, the year's figures by every
    # dimension, the calls, the years' figures, and what is paid per call.
    with django_assert_num_queries(7):
        assert page(client).status_code == 200
    # The same again, from the cache: the data version, years, programmes and the calls.
    with django_assert_num_queries(4):
        assert page(client).status_code == 200
    cache.clear()
    with django_assert_num_queries(7):
        assert page(client, programme=seeded["culture"].pk).status_code == 200
    # A CSV runs only the queries of its table.
    cache.clear()
    with django_assert_num_queries(4):
        client.get(reverse("statistics:csv", args=["target-group"]))
    cache.clear()
    with django_assert_num_queries(6):
        client.get(reverse("statistics:csv", args=["budget"]))
    client.force_login(officer)
    # Staff: the session, the user and their permissions (2), the received applications and the
    # received per call on top.
    cache.clear()
    with django_assert_num_queries(13):
        assert page(client).status_code == 200


def test_a_new_decision_shows_at_once_though_the_figures_are_cached(
    client, seeded, organisation, officer, decider
):
    from grants.statistics import Statistics

    assert Statistics(year=2025).total.grants == 3
    assert page(client).status_code == 200  # computed and cached
    grant(
        seeded["culture_call"], officer, decider, organisation,
        requested="10000", amount="10000", on=date(2025, 8, 1),
        target_groups=["children_youth"], municipalities=["2380"],
        perspectives={}, agenda_goals=[4],
    )  # fmt: skip
    assert Statistics(year=2025).total.grants == 4
    assert Statistics(year=2025).total.granted == kr("110000")


def test_a_payment_paid_shows_at_once_in_the_budget(client, seeded, finance, finance_2):
    from grants.statistics import Statistics

    before = {row.call_id: row.paid for row in Statistics(year=2025).budget}
    payable = Payment.objects.filter(
        decision__application__call=seeded["dialogue_call"],
        decision__decision_date__year=2025,
        state=PaymentState.PAYABLE,
    )
    assert payable.exists()
    factories.pay_out(payable, finance, finance_2)
    after = {row.call_id: row.paid for row in Statistics(year=2025).budget}
    assert after[seeded["dialogue_call"].pk] > before[seeded["dialogue_call"].pk]
