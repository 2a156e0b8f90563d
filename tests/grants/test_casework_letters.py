"""The case's letters for staff (casework:decision_letter, casework:repayment_letter) and the
decision section of the case page that links them."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import LogEntry
from decisions.delivery import decision_letter_store, repayment_letter_store
from decisions.models import RepaymentClaim
from tests.decisions.test_letter_download import another_claim_with_letter, claim_of


@pytest.fixture
def with_letter(approved):
    return decision_letter_store(approved.decision)[0]


@pytest.fixture
def claim(approved, decider, finance, finance_2):
    return claim_of(approved, decider, finance, finance_2)


@pytest.fixture
def claim_with_letter(claim):
    return repayment_letter_store(claim)[0]


@pytest.fixture
def letters(with_letter, claim_with_letter):
    """The approved case with its decision letter and a repayment claim with its letter."""
    return claim_with_letter


def decision_letter_url(application) -> str:
    return reverse("casework:decision_letter", args=[application.pk])


def repayment_letter_url(claim, application=None) -> str:
    application = application or claim.decision.application
    return reverse("casework:repayment_letter", args=[application.pk, claim.pk])


def both_urls(claim) -> list[str]:
    return [decision_letter_url(claim.decision.application), repayment_letter_url(claim)]


def case_page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("casework:case", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def stem(application) -> str:
    return application.case_number.replace(" ", "-").replace("/", "-")


def test_urls_are_the_documented_ones(claim):
    application = claim.decision.application
    with translation.override("sv"):
        assert decision_letter_url(application) == f"/handlaggning/{application.pk}/beslutsbrev.pdf"
        assert repayment_letter_url(claim) == (
            f"/handlaggning/{application.pk}/aterkrav/{claim.pk}/brev.pdf"
        )


# Who may open the letters


@pytest.mark.parametrize("who", ["officer", "officer_2", "decider", "secretary"])
def test_caseworkers_open_the_letters_inline(client, request, letters, who):
    client.force_login(request.getfixturevalue(who))
    decision = letters.decision
    case = stem(decision.application)

    response = client.get(decision_letter_url(decision.application))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == f'inline; filename="beslut-{case}.pdf"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == decision.letter_sha256

    response = client.get(repayment_letter_url(letters))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'inline; filename="aterkrav-{case}-{letters.pk}.pdf"'
    )
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == letters.letter_sha256


def test_anonymous_is_sent_to_login(client, letters):
    for address in both_urls(letters):
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302, address
            assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "member", "applicant_b", "finance"])
def test_applicants_and_finance_are_refused(client, request, letters, who):
    client.force_login(request.getfixturevalue(who))

    for address in both_urls(letters):
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 403, address
            assert letters.decision.application.case_number not in response.content.decode()


@pytest.mark.parametrize("jav", ["conflicted", "staff_member"])
def test_jav_opens_no_letter(client, request, letters, jav):
    """Jäv by declaration and by membership: the case page's 403, and nothing of the case; a
    POST is refused as on the case page (405) before the case is read."""
    client.force_login(request.getfixturevalue(jav))
    application = letters.decision.application
    entries = LogEntry.objects.count()

    for address in both_urls(letters):
        response = client.get(address)
        page = response.content.decode()
        assert response.status_code == 403, address
        assert response["Content-Type"].startswith("text/html")
        assert "conflict of interest" in page
        assert application.case_number not in page
        assert application.title not in page

        response = client.post(address)
        assert response.status_code == 405, address
        assert application.case_number not in response.content.decode()

    assert LogEntry.objects.count() == entries


def test_post_is_not_allowed(client, officer, letters):
    client.force_login(officer)

    for address in both_urls(letters):
        assert client.post(address).status_code == 405, address


# What is not there


def test_no_decision_letter_yet_is_404(client, officer, approved):
    client.force_login(officer)

    assert client.get(decision_letter_url(approved)).status_code == 404


def test_no_repayment_letter_yet_is_404(client, officer, with_letter, claim):
    client.force_login(officer)

    assert client.get(repayment_letter_url(claim)).status_code == 404


def test_an_undecided_case_has_no_letter(client, officer, under_review):
    client.force_login(officer)

    assert client.get(decision_letter_url(under_review)).status_code == 404


def test_a_draft_and_a_missing_case_are_404(client, officer, draft):
    client.force_login(officer)

    assert client.get(decision_letter_url(draft)).status_code == 404
    assert client.get(reverse("casework:decision_letter", args=[99999])).status_code == 404
    response = client.get(reverse("casework:repayment_letter", args=[draft.pk, 1]))
    assert response.status_code == 404


def test_a_claim_of_another_case_is_404_under_this_one(
    client, officer, decider, applicant, finance, finance_2, organisation, call, letters
):
    other = another_claim_with_letter(
        organisation, call, applicant, officer, decider, finance, finance_2
    )
    client.force_login(officer)
    this_case = letters.decision.application

    assert client.get(repayment_letter_url(other)).status_code == 200
    assert client.get(repayment_letter_url(other, this_case)).status_code == 404
    assert client.get(repayment_letter_url(letters, other.decision.application)).status_code == 404
    response = client.get(reverse("casework:repayment_letter", args=[this_case.pk, 99999]))
    assert response.status_code == 404


# The case page's decision section


def test_the_case_page_says_the_letter_is_being_produced(client, officer, approved):
    html = case_page(client, officer, approved)

    assert "The decision letter is being produced." in html
    assert decision_letter_url(approved) not in html
    assert "later version" not in html
    assert "Repayment claims" not in html


def test_the_case_page_links_the_letter_with_its_language_and_hash(client, officer, with_letter):
    html = case_page(client, officer, with_letter.application)

    assert f'href="{decision_letter_url(with_letter.application)}"' in html
    assert "Open the decision letter (PDF)" in html
    assert "Swedish" in html
    assert with_letter.letter_sha256 in html
    assert "The decision letter is being produced" not in html
    assert "later version" not in html


def test_the_case_page_lists_repayment_claims_with_their_letters(
    client, officer, with_letter, claim
):
    application = with_letter.application
    before = case_page(client, officer, application)
    repayment_letter_store(claim)
    after = case_page(client, officer, application)

    for html in (before, after):
        assert "Repayment claims" in html
        assert "10,000 kr" in html
        assert f'datetime="{claim.due_date:%Y-%m-%d}"' in html
        assert "Claimed" in html
    assert "The letter is being produced." in before
    assert repayment_letter_url(claim) not in before
    assert f'href="{repayment_letter_url(claim)}"' in after
    assert "Open the repayment letter (PDF)" in after
    assert "The letter is being produced." not in after


@pytest.mark.parametrize("extra_claims", [0, 5])
def test_the_decided_case_page_query_count_does_not_grow_with_claims(
    client, django_assert_num_queries, officer, decider, letters, extra_claims
):
    # Further claims made straight in the table: the service allows one open claim per case,
    # and this measures the page, not the service.
    for number in range(extra_claims):
        RepaymentClaim.objects.create(
            decision=letters.decision,
            amount=Decimal("100") + number,
            reasons="Ytterligare återkrav.",
            due_date=timezone.localdate() + timedelta(days=30),
            claimed_by=decider,
        )
    client.force_login(officer)
    page = reverse("casework:case", args=[letters.decision.application.pk])

    # The decision comes in one query with who decided, who presented and the follow-up report
    # (those were three more before), and its repayment claims in one more, however many.
    with django_assert_num_queries(29):
        response = client.get(page)

    assert response.status_code == 200
    assert response.content.decode().count("Open the repayment letter (PDF)") == 1
    assert response.content.decode().count("The letter is being produced.") == extra_claims
