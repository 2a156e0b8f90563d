"""The call overview of the officer workspace: budget, requested, proposed, decided, remaining,
the warning when the proposals exceed the budget, and the cases by state."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions import selectors
from grants import services
from organisations.services import membership_add
from tests import factories


def calls_url():
    return reverse("deciding:calls")


def call_url(call):
    return reverse("deciding:call", args=[call.pk])


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def figures(call, officer, decider, delegation, applicant, organisation):
    """A call of 2 000 000 kr with a case in each stage that counts differently.

    Applied for: 50 000 (under review) + 40 000 (proposed) + 60 000 (approved, 45 000 granted)
    + 70 000 (rejected) = 220 000; the draft and the withdrawn application do not count.
    Proposed: 40 000. Decided: 45 000.
    """
    factories.draft(organisation, call, applicant, requested=Decimal("99000"))  # a draft
    withdrawn = factories.draft(organisation, call, applicant, requested=Decimal("88000"))
    withdrawn = services.application_submit(application=withdrawn, actor=applicant)
    services.application_withdraw(application=withdrawn, actor=applicant)
    under_review = factories.draft(organisation, call, applicant, requested=Decimal("50000"))
    under_review = services.application_submit(application=under_review, actor=applicant)
    services.application_start_review(application=under_review, actor=officer)
    proposed = factories.proposal(call, officer, requested="40000")
    approved = factories.proposal(
        call, officer, requested="60000", amount="45000", recommendation="approve_partly"
    )
    factories.decide(approved, decider, "approved_partly", amount=Decimal("45000"))
    rejected = factories.proposal(call, officer, requested="70000", recommendation="reject")
    factories.decide(rejected, decider, "rejected")
    return {"proposed": proposed, "approved": approved}


def test_the_figures_of_a_call(figures, call):
    [figured] = selectors.calls_with_budget_figures()

    assert figured.budget == Decimal("2000000")
    assert figured.requested == Decimal("220000")
    assert figured.proposed == Decimal("40000")
    assert figured.decided == Decimal("45000")
    assert figured.remaining == Decimal("1955000")
    assert figured.remaining_after_proposals == Decimal("1915000")
    assert figured.count_proposed == figured.count_approved == figured.count_rejected == 1
    assert figured.count_withdrawn == figured.count_under_review == 1
    assert figured.cases == 5  # the draft is the applicant's own


def test_a_proposal_to_reject_proposes_nothing(call, officer):
    factories.proposal(call, officer, requested="40000", recommendation="reject")

    [figured] = selectors.calls_with_budget_figures()

    assert figured.proposed == 0
    assert figured.requested == Decimal("40000")


def test_the_calls_page_shows_every_call_with_its_figures(
    client, officer, figures, call, programme
):
    now = timezone.now()
    factories.call(programme, open_now=False, title_en="Closed call", budget=Decimal("100000"))
    factories.call(
        programme,
        title_en="Upcoming call",
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
    )
    client.force_login(officer)

    response = client.get(calls_url())

    assert response.status_code == 200
    html = page(response)
    assert f'href="{call_url(call)}"' in html
    for text in (
        "Project grants for culture 2026",
        "Closed call",
        "Upcoming call",
        "Not yet open",
        "Open",
        "Closed",
        "2,000,000 kr",
        "220,000 kr",
        "40,000 kr",
        "45,000 kr",
        "1,915,000 kr",
        "conflict of interest (jäv)",
    ):
        assert text in html, text
    assert "Over budget" not in html


def test_the_call_page_shows_the_budget_and_the_cases_by_state(client, decider, figures, call):
    client.force_login(decider)

    response = client.get(call_url(call))

    assert response.status_code == 200
    html = page(response)
    for text in (
        "2,000,000 kr",
        "220,000 kr",
        "40,000 kr",
        "45,000 kr",
        "1,955,000 kr",
        "1,915,000 kr",
    ):
        assert text in html, text
    queue = reverse("casework:queue")
    for state in ("proposed", "approved", "rejected", "withdrawn", "under_review"):
        assert f'href="{queue}?call={call.pk}&amp;state={state}"' in html
    assert f"?call={call.pk}&amp;state=submitted" not in html  # no case: no link
    assert "Warning" not in html
    assert "namnd/?call=" not in html  # the committee is the secretary's


def test_the_secretary_is_linked_to_the_committee_decision(client, secretary, call):
    client.force_login(secretary)

    html = page(client.get(call_url(call)))

    assert f'href="{reverse("deciding:committee")}?call={call.pk}"' in html


def test_a_warning_when_the_proposals_exceed_the_budget(client, officer, decider, delegation):
    call = factories.call(budget=Decimal("100000"))
    approved = factories.proposal(call, officer, requested="60000")
    factories.decide(approved, decider)
    factories.proposal(call, officer, requested="50000")
    client.force_login(officer)

    html = page(client.get(call_url(call)))

    assert 'role="alert"' in html
    assert "Warning: the proposals exceed the budget." in html
    assert "go 10,000 kr over the call's budget" in html
    assert "−10,000 kr" in html or "-10,000 kr" in html
    assert "Over budget" in page(client.get(calls_url()))


def test_cases_with_jav_count_in_the_figures(client, officer, call, applicant, organisation):
    factories.proposal(
        call, factories.user("other-officer@example.org", "officer"), organisation_obj=organisation
    )
    membership_add(organisation=organisation, user=officer, role="member", actor=None)
    client.force_login(officer)

    html = page(client.get(call_url(call)))

    assert "50,000 kr" in html
    assert "Sommarteater" not in html and organisation.name not in html


@pytest.mark.parametrize("size", [1, 3])
def test_the_calls_page_takes_the_same_queries_for_any_number_of_calls(
    client, officer, programme, size, django_assert_num_queries
):
    for _ in range(size):
        call = factories.call(programme)
        factories.proposal(call, officer)
    client.force_login(officer)

    # Session, user, the user's permissions (2), the calls, their figures (3 grouped sums).
    with django_assert_num_queries(8):
        response = client.get(calls_url())

    assert len(re.findall(r'href="/en/handlaggning/utlysningar/\d+/"', page(response))) == size


@pytest.mark.parametrize("size", [1, 3])
def test_the_call_page_takes_the_same_queries_for_any_number_of_cases(
    client, officer, call, size, django_assert_num_queries
):
    for _ in range(size):
        factories.proposal(call, officer)
    client.force_login(officer)

    # Session, user, the user's permissions (2), the call, its figures (3 grouped sums).
    with django_assert_num_queries(8):
        response = client.get(call_url(call))

    assert response.context["call"].count_proposed == size


def test_a_missing_call_is_404(client, officer):
    client.force_login(officer)

    assert client.get(reverse("deciding:call", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", ["officer", "decider", "secretary"])
def test_every_caseworker_sees_the_calls(request, client, who, call):
    client.force_login(request.getfixturevalue(who))

    assert client.get(calls_url()).status_code == 200
    assert client.get(call_url(call)).status_code == 200


@pytest.mark.parametrize("who", ["finance", "applicant"])
def test_finance_and_applicants_get_403(request, client, who, call):
    client.force_login(request.getfixturevalue(who))

    assert client.get(calls_url()).status_code == 403
    assert client.get(call_url(call)).status_code == 403


def test_the_calls_need_a_login(client, call):
    for url in (calls_url(), call_url(call)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/konto/logga-in/" in response["Location"]
