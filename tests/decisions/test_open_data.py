"""The public register of granted support, /beviljade-bidrag/ (issue 7): only grants are listed;
nothing of a draft, an internal note or a personal identity number appears in the page, the CSV
or the JSON; a sole trader's name only with consent, and a search for it finds nothing without;
search and filters; the files' keys and values; and query counts that do not grow with the rows.
"""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from stdnum import luhn

from decisions import open_data
from decisions.models import Decision
from grants.models import Programme
from grants.services.notes import internal_note_add
from organisations.models import Organisation
from tests import factories

HIDDEN_NAME = "Nils Nilsson Bildkonst"
SHOWN_NAME = "Lisa Larsson Musik"
DRAFT_TITLE = "Hemligt utkast om vargar"
NOTE = "Intern anteckning: ringde kassören om revisionen"


def personnummer(body: str) -> str:
    """Return a valid personnummer (born 1985) with the given nine first digits."""
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


HIDDEN_NUMBER = personnummer("850101123")
SHOWN_NUMBER = personnummer("900202456")


def sole_trader(name: str, number: str, *, consent: bool, municipality: str = "2309"):
    organisation = factories.organisation(
        factories.user(),
        name=name,
        org_number=number,
        org_type=Organisation.Type.SOLE_TRADER,
        municipality=municipality,
    )
    Organisation.objects.filter(pk=organisation.pk).update(publish_consent=consent)
    return organisation


def grant(call, officer, decider, organisation, *, amount="40000", **kwargs) -> Decision:
    return factories.decide(
        factories.proposal(call, officer, requested=amount, organisation_obj=organisation),
        decider,
        **kwargs,
    )


@pytest.fixture
def register(approved, organisation, call, officer, decider, delegation):
    """The approved grant (Storsjöteatern, Östersund, 50 000 kr), a sole trader's grant without
    consent and one with consent (Krokom), a rejected case, a draft and an internal note."""
    hidden = grant(call, officer, decider, sole_trader(HIDDEN_NAME, HIDDEN_NUMBER, consent=False))
    shown = grant(call, officer, decider, sole_trader(SHOWN_NAME, SHOWN_NUMBER, consent=True))
    rejected = factories.decide(
        factories.proposal(call, officer, recommendation="reject"), decider, outcome="rejected"
    )
    draft = factories.draft(organisation, call, organisation.memberships.get().user)
    type(draft).objects.filter(pk=draft.pk).update(title=DRAFT_TITLE)
    internal_note_add(application=approved, actor=officer, body=NOTE)
    return {"approved": approved.decision, "hidden": hidden, "shown": shown, "rejected": rejected}


def page_of(client, **params) -> str:
    response = client.get(reverse("open_data:register"), params)
    assert response.status_code == 200
    return response.content.decode()


def csv_of(client, **params) -> list[list[str]]:
    response = client.get(reverse("open_data:register"), {"format": "csv", **params})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def json_of(client, **params) -> dict:
    response = client.get(reverse("open_data:register"), {"format": "json", **params})
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def every_format(client, **params) -> list[str]:
    csv_text = "\n".join(";".join(row) for row in csv_of(client, **params))
    return [page_of(client, **params), csv_text, json.dumps(json_of(client, **params))]


def digits(number: str) -> str:
    return number.replace("-", "")


# What is listed


def test_only_grants_are_listed(client, register):
    cases = {row["case_number"] for row in json_of(client)["results"]}
    assert cases == {
        register["approved"].application.case_number,
        register["hidden"].application.case_number,
        register["shown"].application.case_number,
    }
    for text in every_format(client):
        assert register["rejected"].application.case_number not in text


def test_a_programme_that_does_not_publish_is_left_out(client, register, programme):
    Programme.objects.filter(pk=programme.pk).update(publish_grants=False)
    assert json_of(client)["count"] == 0
    assert "No grants have been decided yet." in page_of(client)


def test_the_page_shows_case_organisation_programme_amount_date_and_municipality(client, register):
    decision = register["approved"]
    page = page_of(client)
    assert decision.application.case_number in page
    assert "Storsjöteatern ideell förening" in page
    assert "Project grants for culture" in page
    assert "50,000 kr" in page
    assert f'datetime="{decision.decision_date.isoformat()}"' in page
    assert "Östersund" in page
    assert "Krokom" in page  # where the activity takes place, and the sole traders' municipality


def test_the_page_is_public_and_the_same_when_logged_in(client, register, applicant):
    anonymous = page_of(client)
    client.force_login(applicant)
    signed_in = page_of(client)
    assert register["approved"].application.case_number in signed_in
    assert anonymous.count("<tr>") == signed_in.count("<tr>")


# Privacy


def test_a_sole_trader_without_consent_is_named_by_kind_only(client, register):
    for text in every_format(client):
        assert HIDDEN_NAME not in text
        assert HIDDEN_NUMBER not in text
        assert digits(HIDDEN_NUMBER) not in text
        assert HIDDEN_NUMBER[:6] not in text
    assert "Sole trader (name not published)" in page_of(client)
    row = next(
        row
        for row in json_of(client)["results"]
        if row["case_number"] == register["hidden"].application.case_number
    )
    assert row["organisation"] == "Enskild firma (namnet publiceras inte)"
    assert row["org_number"] == ""


def test_a_search_for_a_hidden_name_finds_nothing(client, register):
    for fragment in (HIDDEN_NAME, "Nilsson", HIDDEN_NUMBER):
        assert json_of(client, q=fragment)["count"] == 0
        assert csv_of(client, q=fragment)[1:] == []
        assert "No grants match the search." in page_of(client, q=fragment)


def test_a_sole_trader_who_consented_is_named_but_not_numbered(client, register):
    for text in every_format(client):
        assert SHOWN_NAME in text
        assert SHOWN_NUMBER not in text
        assert digits(SHOWN_NUMBER) not in text
    found = json_of(client, q="Larsson")["results"]
    assert [row["case_number"] for row in found] == [register["shown"].application.case_number]


def test_a_legal_persons_org_number_is_published(client, register, organisation):
    row = next(r for r in json_of(client)["results"] if r["organisation"] == organisation.name)
    assert row["org_number"] == organisation.org_number


def test_the_register_name_follows_the_organisations_own_rule(register):
    names = {row["case_number"]: row["organisation"] for row in open_data.granted_support()}
    for decision in register.values():
        if decision.is_grant:
            organisation = decision.application.organisation
            organisation.refresh_from_db()
            assert names[decision.application.case_number] == organisation.public_name


def test_nothing_of_a_draft_a_note_or_the_assessment_is_published(client, register):
    approved = register["approved"]
    for text in every_format(client):
        assert DRAFT_TITLE not in text
        assert NOTE not in text
        assert approved.application.title not in text
        assert approved.reasons not in text
        assert approved.application.assessment.reasons not in text
        assert "info@example.org" not in text


# Search and filters


def test_search_by_case_number_and_programme(client, register):
    case_number = register["shown"].application.case_number
    assert [r["case_number"] for r in json_of(client, q=case_number)["results"]] == [case_number]
    assert json_of(client, q="projektbidrag")["count"] == 3
    assert json_of(client, q="Storsjöteatern")["count"] == 1


def test_filters_by_year_programme_and_municipality(
    client, register, call, officer, decider, organisation_b
):
    other = factories.programme(name_sv="Arrangörsstöd", name_en="Support for organisers")
    earlier = grant(
        factories.call(other), officer, decider, organisation_b, decision_date=date(2024, 5, 6)
    )
    assert [r["case_number"] for r in json_of(client, year=2024)["results"]] == [
        earlier.application.case_number
    ]
    assert json_of(client, programme=other.pk)["count"] == 1
    assert json_of(client, municipality="2309")["count"] == 2
    page = page_of(client, year=2024)
    assert earlier.application.case_number in page
    assert register["approved"].application.case_number not in page
    assert '<option value="2024" selected>2024</option>' in page


def test_a_filter_value_that_makes_no_sense_is_ignored(client, register):
    assert json_of(client, year="last", programme="x", municipality="9999")["count"] == 3
    assert "Storsjöteatern" in page_of(client, year="last", page="many")


def test_newest_decision_first(client, register, call, officer, decider, organisation_b):
    older = grant(call, officer, decider, organisation_b, decision_date=date(2025, 1, 10))
    results = json_of(client)["results"]
    assert results[-1]["case_number"] == older.application.case_number
    dates = [row["decision_date"] for row in results]
    assert dates == sorted(dates, reverse=True)


def test_the_page_is_paged_and_keeps_the_filters(client, register, monkeypatch):
    monkeypatch.setattr("decisions.views.open_data.PAGE_SIZE", 2)
    page = page_of(client, q="projektbidrag")
    assert "Page 1 of 2" in page
    assert "?q=projektbidrag&amp;page=2" in page
    assert "Page 2 of 2" in page_of(client, q="projektbidrag", page=2)


# The files


def test_the_csv_has_the_english_keys_and_the_values(client, register):
    rows = csv_of(client, q="Storsjöteatern")
    assert rows[0] == list(open_data.FIELDS)
    row = dict(zip(rows[0], rows[1], strict=True))
    decision = register["approved"]
    assert row["case_number"] == decision.application.case_number
    assert row["decision_date"] == decision.decision_date.isoformat()
    assert row["organisation"] == "Storsjöteatern ideell förening"
    assert row["municipality_code"] == "2380"
    assert row["municipality"] == "Östersund"
    assert row["activity_municipalities"] == "Östersund, Krokom"
    assert row["programme"] == "Projektbidrag kultur"
    assert row["amount"] == "50000,00"


def test_the_csv_download_says_what_it_is(client, register):
    response = client.get(reverse("open_data:register"), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="beviljade-bidrag-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.streaming


def test_a_name_that_looks_like_a_formula_is_neutralised_in_the_csv(client, register, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(name="=HYPERLINK(1)")
    assert "'=HYPERLINK(1)" in [row[2] for row in csv_of(client)]


def test_the_json_has_the_count_licence_and_results(client, register):
    response = client.get(reverse("open_data:register"), {"format": "json", "q": "Storsjö"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(b"".join(response.streaming_content))
    assert data["licence"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert data["source"].endswith("/beviljade-bidrag/")
    assert data["count"] == 1
    decision = register["approved"]
    assert data["results"] == [
        {
            "case_number": decision.application.case_number,
            "decision_date": decision.decision_date.isoformat(),
            "organisation": "Storsjöteatern ideell förening",
            "org_number": decision.application.organisation.org_number,
            "municipality_code": "2380",
            "municipality": "Östersund",
            "activity_municipalities": ["Östersund", "Krokom"],
            "programme": "Projektbidrag kultur",
            "amount": "50000.00",
        }
    ]


def test_the_files_are_in_swedish_whatever_the_page_language(client, register):
    english = reverse("open_data:register")
    with translation.override("sv"):
        swedish = reverse("open_data:register")
    assert english.startswith("/en/") and not swedish.startswith("/en/")
    for format in ("csv", "json"):
        files = [
            b"".join(client.get(path, {"format": format}).streaming_content)
            for path in (english, swedish)
        ]
        if format == "json":
            files = [json.loads(content)["results"] for content in files]
        assert files[0] == files[1]
    assert {row["programme"] for row in json_of(client)["results"]} == {"Projektbidrag kultur"}


def test_an_amount_in_part_is_the_granted_amount(client, call, officer, decider, delegation):
    decision = factories.decide(
        factories.proposal(
            call, officer, requested="80000", amount="60000", recommendation="approve_partly"
        ),
        decider,
        outcome="approved_partly",
    )
    assert decision.amount == Decimal("60000")
    assert [row["amount"] for row in json_of(client)["results"]] == ["60000.00"]


# Queries


def add_grants(call, officer, decider, count: int) -> None:
    for _ in range(count):
        grant(call, officer, decider, None)


QUERIES = {"page": 4, "csv": 1, "json": 2}


@pytest.mark.parametrize("format", ["page", "csv", "json"])
def test_the_queries_do_not_grow_with_the_rows(
    client, django_assert_num_queries, register, call, officer, decider, format
):
    def fetch():
        params = {} if format == "page" else {"format": format}
        response = client.get(reverse("open_data:register"), params)
        if response.streaming:
            b"".join(response.streaming_content)

    with django_assert_num_queries(QUERIES[format]):
        fetch()
    add_grants(call, officer, decider, 3)
    with django_assert_num_queries(QUERIES[format]):
        fetch()


def test_a_logged_in_reader_costs_the_session_and_the_user(
    client, django_assert_num_queries, register, applicant
):
    client.force_login(applicant)
    with django_assert_num_queries(QUERIES["page"] + 2):
        client.get(reverse("open_data:register"))
