"""The case queue (/handlaggning/): who gets in, filters, search, sorting, paging, counts, jäv."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from decisions import services as decision_services
from decisions.models import FollowUpReport
from grants import selectors, services
from grants.models import Application, CompletionRequest
from organisations.models import Organisation
from organisations.services import membership_add
from tests import factories

QUEUE = "/en/handlaggning/"


def page_of(client, **params) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def case_numbers(client, **params) -> list[str]:
    """Return the case numbers listed, in the order shown."""
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [application.case_number for application in response.context["page"].cases]


def submit(organisation, call, applicant, *, requested=Decimal("50000"), title=None):
    application = factories.draft(organisation, call, applicant, requested=requested)
    if title:
        Application.objects.filter(pk=application.pk).update(title=title)
        application.refresh_from_db()
    return services.application_submit(application=application, actor=applicant)


def copies(application, count: int, *, start: int = 1) -> list[Application]:
    """Write ``count`` more submitted cases like ``application``, each a day older than the last."""
    prefix = application.case_number.rsplit("/", 1)[0]
    rows = [
        Application(
            organisation_id=application.organisation_id,
            call_id=application.call_id,
            author_id=application.author_id,
            title=f"Kopia {number}",
            requested_amount=Decimal(10000 + number * 100),
            state="submitted",
            case_number=f"{prefix}/{9000 + number:04d}",
            submitted_at=application.submitted_at - timedelta(days=number),
        )
        for number in range(start, start + count)
    ]
    return Application.objects.bulk_create(rows)


# Who gets in


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]


@pytest.mark.django_db
def test_applicants_and_finance_get_403(client, applicant, finance, submitted):
    for user in (applicant, finance):
        client.force_login(user)

        response = client.get(QUEUE)

        assert response.status_code == 403
        assert submitted.case_number not in response.content.decode()


@pytest.mark.django_db
def test_officers_decision_makers_and_secretaries_see_the_queue(
    client, officer, decider, secretary, submitted
):
    for user in (officer, decider, secretary):
        client.force_login(user)

        assert submitted.case_number in page_of(client)


@pytest.mark.django_db
def test_the_queue_is_read_only(client, officer):
    client.force_login(officer)

    assert client.post(QUEUE).status_code == 405


# What a row shows


@pytest.mark.django_db
def test_a_row_shows_the_case_and_links_to_it(client, officer, submitted, draft, call, applicant):
    other_draft = factories.draft(submitted.organisation, call, applicant)
    Application.objects.filter(pk=other_draft.pk).update(title="Ett utkast som ingen ser")
    client.force_login(officer)

    page = page_of(client)

    assert f'href="/en/handlaggning/{submitted.pk}/">{submitted.case_number}</a>' in page
    assert submitted.title in page
    assert "Storsjöteatern ideell förening" in page
    assert "Non-profit association" in page
    assert call.title_en in page and call.programme.name_en in page
    assert "50,000 kr" in page
    assert '<span class="status">Submitted</span>' in page
    assert "Unassigned" in page
    assert "Ett utkast som ingen ser" not in page


@pytest.mark.django_db
def test_withdrawn_drafts_never_reached_the_region_and_are_not_listed(
    client, officer, draft, applicant
):
    services.application_withdraw(application=draft, actor=applicant)
    client.force_login(officer)

    assert case_numbers(client) == []
    assert draft.title not in page_of(client)


@pytest.mark.django_db
def test_the_assigned_officer_is_named(client, officer, under_review):
    client.force_login(officer)

    page = page_of(client)

    assert "Karin Handläggare" in page
    assert "Under review" in page


@pytest.mark.django_db
def test_an_overdue_completion_request_is_flagged(client, officer, under_review):
    request = services.application_request_completion(
        application=under_review,
        actor=officer,
        message="Skicka en ny budget.",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    client.force_login(officer)
    assert "Completion overdue" not in page_of(client)

    CompletionRequest.objects.filter(pk=request.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )

    assert "Completion overdue (due" in page_of(client)


# Filters and search


@pytest.fixture
def two_cases(organisation, call, applicant, applicant_b, finance, programme):
    """A case of the fixture organisation in Östersund, and one of a foundation in Åre applying
    to another programme's call for a larger amount."""
    first = submit(organisation, call, applicant, requested=Decimal("20000"), title="Sommarteater")
    other_programme = factories.programme(name_en="Operating grants", case_prefix="VERK")
    other_call = factories.call(other_programme, title_en="Operating grants 2026")
    foundation = factories.organisation(
        applicant_b,
        verified_by=finance,
        name="Åre Kulturstiftelse",
        org_type=Organisation.Type.FOUNDATION,
        municipality="2321",
        org_number="802477-9996",
    )
    second = submit(
        foundation, other_call, applicant_b, requested=Decimal("150000"), title="Vinterfestival"
    )
    return first, second


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["second", "first"]),
        ({"state": "submitted"}, ["second", "first"]),
        ({"state": "under_review"}, []),
        ({"municipality": "2321"}, ["second"]),
        ({"org_type": "association"}, ["first"]),
        ({"officer": "unassigned"}, ["second", "first"]),
        ({"officer": "me"}, []),
        ({"amount_min": "100000"}, ["second"]),
        ({"amount_max": "20000"}, ["first"]),
        ({"amount_min": "10000", "amount_max": "30000"}, ["first"]),
        ({"overdue": "on"}, []),
        ({"q": "vinterFEST"}, ["second"]),
        ({"q": "kulturstiftelse"}, ["second"]),
        ({"q": "802477-9996"}, ["second"]),
        ({"q": "8024779996"}, ["second"]),
        ({"q": "  sommarteater "}, ["first"]),
        ({"q": "ingenting"}, []),
    ],
)
@pytest.mark.parametrize("by_ids_up_to", [1000, 0], ids=["few matches", "many matches"])
def test_filters_and_search(
    client, officer, two_cases, params, expected, by_ids_up_to, monkeypatch
):
    """A search reads its page by ids when it matches few cases, by the sort order when many."""
    monkeypatch.setattr(selectors, "SEARCH_BY_IDS_UP_TO", by_ids_up_to)
    first, second = two_cases
    client.force_login(officer)
    cases = {"first": first.case_number, "second": second.case_number}

    page = client.get(QUEUE, params).context["page"]

    assert [application.case_number for application in page.cases] == [
        cases[name] for name in expected
    ]
    assert page.total == len(expected)


@pytest.mark.django_db
def test_filter_by_call_programme_and_case_number(client, officer, two_cases):
    first, second = two_cases
    client.force_login(officer)

    assert case_numbers(client, call=second.call_id) == [second.case_number]
    assert case_numbers(client, programme=first.call.programme_id) == [first.case_number]
    assert case_numbers(client, q=second.case_number.lower()) == [second.case_number]


@pytest.mark.django_db
def test_filter_by_assigned_officer(client, officer, officer_2, two_cases):
    first, second = two_cases
    services.application_start_review(application=first, actor=officer)
    services.application_start_review(application=second, actor=officer_2)
    client.force_login(officer)

    assert case_numbers(client, officer="me") == [first.case_number]
    assert case_numbers(client, officer=officer_2.pk) == [second.case_number]
    assert case_numbers(client, officer="unassigned") == []
    page = page_of(client)
    # Every officer who may handle cases is a choice, decision makers are not.
    assert f'<option value="{officer_2.pk}">Erik Handläggare</option>' in page


@pytest.mark.django_db
def test_filter_by_overdue_completion(client, officer, two_cases):
    first, second = two_cases
    for application in two_cases:
        services.application_request_completion(
            application=application,
            actor=officer,
            message="Komplettera budgeten.",
            due_date=timezone.localdate() + timedelta(days=3),
        )
    CompletionRequest.objects.filter(application=first).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(officer)

    assert case_numbers(client, overdue="on") == [first.case_number]


@pytest.mark.django_db
def test_invalid_filters_are_explained_and_ignored(client, officer, two_cases):
    client.force_login(officer)

    response = client.get(QUEUE, {"amount_min": "5000", "amount_max": "1000", "state": "nope"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The highest amount cannot be lower than the lowest amount." in page
    assert "Select a valid choice." in page
    assert len(response.context["page"].cases) == 2


# Counts, sorting and paging


@pytest.mark.django_db
def test_counts_per_state_ignore_the_state_filter_but_not_the_others(client, officer, two_cases):
    first, _second = two_cases
    services.application_start_review(application=first, actor=officer)
    client.force_login(officer)

    page = client.get(QUEUE, {"state": "under_review"}).context["page"]
    counts = {entry.state: entry.count for entry in page.state_counts}

    assert counts == {"submitted": 1, "under_review": 1}
    assert page.total == 1
    assert page.all_states_total == 2
    filtered = client.get(QUEUE, {"state": "under_review", "municipality": "2321"})
    # The state filtered by is shown even when no case is in it.
    assert {e.state: e.count for e in filtered.context["page"].state_counts} == {
        "submitted": 1,
        "under_review": 0,
    }
    html = filtered.content.decode()
    assert 'href="?state=submitted&amp;municipality=2321"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["second", "first"]),
        ("-submitted", ["second", "first"]),
        ("submitted", ["first", "second"]),
        ("amount", ["first", "second"]),
        ("-amount", ["second", "first"]),
        ("organisation", ["first", "second"]),  # Storsjöteatern before Åre (å is last)
        ("-organisation", ["second", "first"]),
        ("case_number", ["first", "second"]),  # KUL before VERK
        ("state", ["second", "first"]),
        ("-state", ["first", "second"]),
    ],
)
def test_sorting(client, officer, two_cases, sort, expected):
    first, second = two_cases
    services.application_start_review(application=first, actor=officer)
    client.force_login(officer)
    cases = {"first": first.case_number, "second": second.case_number}

    assert case_numbers(client, sort=sort) == [cases[name] for name in expected]


@pytest.mark.django_db
def test_sortable_headers_say_how_they_sort(client, officer, submitted):
    client.force_login(officer)

    page = page_of(client, sort="amount", state="submitted")

    assert 'aria-sort="ascending"' in page
    assert 'href="?sort=-amount&amp;state=submitted"' in page
    assert page.count("aria-sort=") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["-submitted", "amount", "organisation", "-case_number"])
def test_every_page_holds_the_cases_of_a_full_listing_in_order(client, officer, submitted, sort):
    """Pages in the second half are read from the other end; they must still line up."""
    copies(submitted, 59)
    client.force_login(officer)

    everything = case_numbers(client, sort=sort, per_page=100)
    paged = [
        number
        for page in (1, 2, 3)
        for number in case_numbers(client, sort=sort, per_page=25, page=page)
    ]

    assert len(everything) == 60
    assert paged == everything


@pytest.mark.django_db
def test_pages_keep_the_filters(client, officer, submitted):
    copies(submitted, 59)
    client.force_login(officer)

    response = client.get(QUEUE, {"state": "submitted", "per_page": "25", "page": "2"})

    html = response.content.decode()
    assert "Page 2 of 3" in html
    assert 'href="?state=submitted&amp;per_page=25&amp;page=1"' in html
    assert 'href="?state=submitted&amp;per_page=25&amp;page=3"' in html
    assert "Cases 26–50, page 2 of 3" in html


@pytest.mark.django_db
def test_a_page_out_of_range_shows_the_nearest_page(client, officer, submitted):
    copies(submitted, 59)
    client.force_login(officer)

    assert client.get(QUEUE, {"page": "99"}).context["page"].number == 2
    assert client.get(QUEUE, {"page": "x"}).context["page"].number == 1
    assert client.get(QUEUE, {"per_page": "7"}).context["page"].per_page == 50


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(
    client, officer, submitted, django_assert_num_queries
):
    """Session, user, permissions (2), jäv, calls, officers, counts per state, the page."""
    Application.objects.filter(pk=submitted.pk).update(assigned_officer=officer)
    copies(submitted, 2)
    client.force_login(officer)
    with django_assert_num_queries(9):
        assert len(client.get(QUEUE, {"per_page": 25}).context["page"].cases) == 3

    copies(submitted, 57, start=3)
    with django_assert_num_queries(9):
        assert len(client.get(QUEUE, {"per_page": 100}).context["page"].cases) == 60
    with django_assert_num_queries(9):
        assert len(client.get(QUEUE, {"per_page": 25, "page": 3}).context["page"].cases) == 10


@pytest.mark.django_db
def test_the_query_count_of_a_search_with_jav_does_not_grow_with_the_rows(
    client, officer, submitted, django_assert_num_queries
):
    """As above, and the case numbers of the jäv cases: one more query."""
    other = factories.organisation(factories.user(), name="Annan förening")
    services.conflict_declare(user=officer, organisation=other, reason="Jäv", actor=officer)
    copies(submitted, 2)
    client.force_login(officer)
    search = {"q": "storsjö"}
    with django_assert_num_queries(10):
        assert len(client.get(QUEUE, {**search, "per_page": 25}).context["page"].cases) == 3

    copies(submitted, 57, start=3)
    with django_assert_num_queries(10):
        assert len(client.get(QUEUE, {**search, "per_page": 100}).context["page"].cases) == 60


# Jäv


@pytest.fixture
def conflicted(client, officer, two_cases):
    """The officer has declared jäv for the foundation behind the second case."""
    _first, second = two_cases
    services.conflict_declare(
        user=officer, organisation=second.organisation, reason="Styrelseledamot", actor=officer
    )
    client.force_login(officer)
    return second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "vinterfest"},
        {"q": "kulturstift"},
        {"q": "802477-9996"},
        {"amount_min": "100000"},
        {"sort": "-amount"},
        {"municipality": "2321"},
        {"state": "submitted"},
    ],
)
def test_jav_cases_show_only_their_case_number_whatever_is_searched(client, conflicted, params):
    """The search terms are fragments: the page repeats what was searched for."""
    page = page_of(client, **params)

    assert "Cases where you have a conflict of interest (jäv)" in page
    assert f"<li>{conflicted.case_number}</li>" in page
    assert f'href="/en/handlaggning/{conflicted.pk}/"' not in page
    assert "Vinterfestival" not in page
    assert "Åre Kulturstiftelse" not in page
    assert "150,000" not in page and "150000" not in page


@pytest.mark.django_db
def test_jav_cases_are_left_out_of_the_list_and_the_counts(client, conflicted, two_cases):
    first, _second = two_cases

    page = client.get(QUEUE).context["page"]

    assert [application.case_number for application in page.cases] == [first.case_number]
    assert page.total == 1
    assert {entry.state: entry.count for entry in page.state_counts} == {"submitted": 1}
    assert case_numbers(client, q="Vinterfestival") == []


@pytest.mark.django_db
def test_the_jav_section_follows_the_call_and_programme_filters_only(client, conflicted, two_cases):
    first, second = two_cases

    assert second.case_number in page_of(client, call=second.call_id, q="nothing")
    assert second.case_number not in page_of(client, call=first.call_id)
    assert second.case_number not in page_of(client, programme=first.call.programme_id)
    assert second.case_number in page_of(client, programme=second.call.programme_id)


@pytest.mark.django_db
def test_membership_is_jav_in_the_queue(client, officer, two_cases):
    first, second = two_cases
    membership_add(organisation=first.organisation, user=officer, role="member", actor=None)
    client.force_login(officer)

    page = page_of(client, q="Sommarteater")

    assert case_numbers(client) == [second.case_number]
    assert f"<li>{first.case_number}</li>" in page
    assert "Storsjöteatern" not in page
    assert "Sommarteater</td>" not in page


@pytest.mark.django_db
def test_no_jav_section_without_jav(client, officer, submitted):
    client.force_login(officer)

    assert "conflict of interest" not in page_of(client)


# Overdue final reports (issue 7)


def report_overdue_since(application, days: int) -> None:
    """Make the case's final report due ``days`` days ago (not yet submitted)."""
    FollowUpReport.objects.filter(decision__application=application).update(
        due_date=timezone.localdate() - timedelta(days=days)
    )


def report_completion_requested(application, applicant, officer, *, overdue_days=None):
    """Submit the case's report and have the officer ask for completion; the request's due date
    is ``overdue_days`` ago, or in a month."""
    report = application.decision.follow_up_report
    decision_services.report_save(
        report=report,
        actor=applicant,
        what_was_done="Tolv föreställningar.",
        participants={"0-12": {"women": 4, "men": 3, "other": 0}},
        municipalities=["2380"],
        actual_budget=[{"kind": "cost", "category": "fees", "amount": "70000"}],
        used_amount=Decimal("50000"),
    )
    decision_services.report_submit(report=report, actor=applicant)
    request = decision_services.report_request_completion(
        report=report,
        actor=officer,
        message="Redovisa deltagarna.",
        due_date=timezone.localdate() + timedelta(days=30),
    )
    if overdue_days is not None:
        CompletionRequest.objects.filter(pk=request.pk).update(
            due_date=timezone.localdate() - timedelta(days=overdue_days)
        )
    return application


@pytest.fixture
def granted(call, officer, decider, delegation):
    """Three granted cases of three new organisations, none of them overdue."""
    return [factories.decide(factories.proposal(call, officer), decider).application for _ in "abc"]


@pytest.mark.django_db
def test_overdue_reports_are_a_tab_of_their_own(client, officer, approved, granted):
    on_time, completion_overdue, completion_on_time = granted
    report_overdue_since(approved, 12)
    for application in (completion_overdue, completion_on_time):
        signatory = application.organisation.memberships.get(role="signatory").user
        report_completion_requested(
            application,
            signatory,
            officer,
            overdue_days=3 if application == completion_overdue else None,
        )
    client.force_login(officer)

    response = client.get(QUEUE, {"report_overdue": "on"})

    page = response.context["page"]
    assert {application.case_number for application in page.cases} == {
        approved.case_number,
        completion_overdue.case_number,
    }
    assert page.total == 2
    assert page.overdue_reports == 2
    html = response.content.decode()
    assert "Overdue reports <span" in html
    assert 'href="?report_overdue=on" aria-current="true"' in html
    due = (timezone.localdate() - timedelta(days=12)).strftime("%m/%d/%Y")
    assert f"Final report overdue: due {due}, 12 days late" in html
    assert "Final report overdue: due" in html and "3 days late" in html
    # A report's overdue completion request is told once, as the report overdue.
    assert "Completion overdue" not in html
    # Without the filter every case is listed, and the tab counts the overdue ones.
    everything = client.get(QUEUE).context["page"]
    assert everything.total == 4
    assert everything.overdue_reports == 2


@pytest.mark.django_db
def test_the_overdue_tab_keeps_the_other_filters(client, officer, approved, granted):
    report_overdue_since(approved, 1)
    report_overdue_since(granted[0], 1)
    client.force_login(officer)

    page = client.get(QUEUE, {"municipality": "2380", "q": approved.case_number}).context["page"]

    assert page.overdue_reports == 1
    assert case_numbers(client, report_overdue="on", q=granted[0].case_number) == [
        granted[0].case_number
    ]


@pytest.mark.django_db
def test_a_report_due_today_or_submitted_is_not_overdue(client, officer, approved, granted):
    report_overdue_since(approved, 0)
    signatory = granted[0].organisation.memberships.get(role="signatory").user
    report_overdue_since(granted[0], 5)
    report_completion_requested(granted[0], signatory, officer)
    client.force_login(officer)

    assert case_numbers(client, report_overdue="on") == []
    assert "Final report overdue" not in page_of(client)


@pytest.mark.django_db
def test_closed_and_repayment_claimed_cases_are_not_overdue(
    client, officer, decider, finance, finance_2, approved
):
    factories.pay_out(approved.decision.payments.filter(state="payable"), finance, finance_2)
    factories.repayment_claim(approved.decision, decider)
    report_overdue_since(approved, 30)
    client.force_login(officer)

    assert case_numbers(client, report_overdue="on") == []


@pytest.mark.django_db
def test_jav_cases_are_left_out_of_the_overdue_tab(client, officer, approved, granted):
    report_overdue_since(approved, 12)
    report_overdue_since(granted[0], 12)
    services.conflict_declare(
        user=officer, organisation=approved.organisation, reason="Styrelseledamot", actor=officer
    )
    client.force_login(officer)

    response = client.get(QUEUE, {"report_overdue": "on"})

    page = response.context["page"]
    assert [application.case_number for application in page.cases] == [granted[0].case_number]
    assert page.overdue_reports == 1
    html = response.content.decode()
    assert f"<li>{approved.case_number}</li>" in html
    assert f'href="/en/handlaggning/{approved.pk}/"' not in html
    assert approved.organisation.name not in html


@pytest.mark.django_db
def test_a_new_application_of_an_organisation_with_an_overdue_report_is_flagged(
    client, officer, approved, organisation, call, applicant
):
    new = submit(organisation, call, applicant, title="Vintersagor")
    client.force_login(officer)
    marker = f"The organisation's final report for {approved.case_number} is overdue"
    assert marker not in page_of(client)

    report_overdue_since(approved, 40)

    html = page_of(client)
    assert marker in html
    assert html.count(marker) == 1  # on the new case's row, not on the overdue case's own
    [row] = [a for a in client.get(QUEUE).context["page"].cases if a.pk == new.pk]
    assert row.overdue_report_case == approved.case_number


@pytest.mark.django_db
def test_the_query_count_with_overdue_reports_does_not_grow_with_the_rows(
    client, officer, approved, organisation, call, applicant, django_assert_num_queries
):
    """As above: the overdue count is in the counts' query, the flags in the page's."""
    report_overdue_since(approved, 12)
    new = submit(organisation, call, applicant)
    client.force_login(officer)
    with django_assert_num_queries(9):
        assert len(client.get(QUEUE, {"per_page": 25}).context["page"].cases) == 2
    with django_assert_num_queries(9):
        page = client.get(QUEUE, {"per_page": 25, "report_overdue": "on"}).context["page"]
        assert len(page.cases) == 1

    copies(new, 40)
    with django_assert_num_queries(9):
        page = client.get(QUEUE, {"per_page": 100}).context["page"]
        assert len(page.cases) == 42
        assert sum(1 for a in page.cases if a.overdue_report_case) == 41
