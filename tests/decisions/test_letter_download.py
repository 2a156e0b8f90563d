"""The applicant's letters (decisions:letter, decisions:repayment_letter): members of the
organisation only, inline PDF, 404 until produced; the portal's case page links them."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from decisions import services as decision_services
from decisions.delivery import decision_letter_store, repayment_letter_store
from decisions.workflow import PaymentState
from grants import services
from tests import factories
from tests.decisions.test_follow_up import pay


@pytest.fixture
def decision(approved):
    return approved.decision


@pytest.fixture
def with_letter(decision):
    """The decision with its letter rendered and stored, as the task after the decision does."""
    stored, stored_now = decision_letter_store(decision)
    assert stored_now
    return stored


def claim_of(application, actor, finance, finance_2, **overrides):
    """Pay the case's payable instalment, then claim part of it back."""
    pay(application.decision.payments.filter(state=PaymentState.PAYABLE), finance, finance_2)
    fields = {
        "amount": Decimal("10000"),
        "reasons": "Två av fem föreställningar blev inte av.",
        "due_date": timezone.localdate() + timedelta(days=30),
    }
    return decision_services.repayment_claim_create(
        decision=application.decision, actor=actor, **(fields | overrides)
    )


@pytest.fixture
def claim(approved, decider, finance, finance_2):
    return claim_of(approved, decider, finance, finance_2)


@pytest.fixture
def claim_with_letter(claim):
    stored, stored_now = repayment_letter_store(claim)
    assert stored_now
    return stored


def another_claim_with_letter(organisation, call, applicant, officer, decider, finance, finance_2):
    """Return a repayment claim, with its letter, on another granted case of the organisation."""
    draft = factories.draft(organisation, call, applicant)
    submitted = services.application_submit(application=draft, actor=applicant)
    services.application_start_review(application=submitted, actor=officer)
    application = factories.decide(factories.assess(submitted, officer), decider).application
    claim = claim_of(application, decider, finance, finance_2)
    return repayment_letter_store(claim)[0]


def letter_url(decision) -> str:
    return reverse("decisions:letter", args=[decision.pk])


def repayment_url(claim, decision=None) -> str:
    return reverse("decisions:repayment_letter", args=[(decision or claim.decision).pk, claim.pk])


def stem(application) -> str:
    return application.case_number.replace(" ", "-").replace("/", "-")


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_urls_are_the_documented_ones(decision, claim):
    with translation.override("sv"):
        assert letter_url(decision) == f"/mina-sidor/beslut/{decision.pk}/beslutsbrev.pdf"
        assert (
            repayment_url(claim) == f"/mina-sidor/beslut/{decision.pk}/aterkrav/{claim.pk}/brev.pdf"
        )


# The decision letter


def test_signatory_gets_the_letter_inline(client, applicant, with_letter):
    client.force_login(applicant)

    response = client.get(letter_url(with_letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'inline; filename="beslut-{stem(with_letter.application)}.pdf"'
    )
    content = content_of(response)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == with_letter.letter_sha256


def test_member_gets_the_letter_too(client, member, with_letter):
    client.force_login(member)

    response = client.get(letter_url(with_letter))

    assert response.status_code == 200
    assert hashlib.sha256(content_of(response)).hexdigest() == with_letter.letter_sha256


def test_case_page_links_to_the_letter_once_it_exists(client, applicant, decision):
    client.force_login(applicant)
    page = reverse("portal:application", args=[decision.application.pk])

    before = client.get(page).content.decode()
    decision_letter_store(decision)
    after = client.get(page).content.decode()

    assert letter_url(decision) not in before
    assert "The decision letter is being produced" in before
    assert letter_url(decision) in after
    assert "being produced" not in after


def test_no_letter_yet_is_404(client, applicant, decision):
    client.force_login(applicant)

    assert client.get(letter_url(decision)).status_code == 404


def test_a_lost_letter_file_is_404(client, applicant, with_letter):
    with_letter.letter.storage.delete(with_letter.letter.name)
    client.force_login(applicant)

    assert client.get(letter_url(with_letter)).status_code == 404


@pytest.mark.parametrize("who", ["applicant_b", "officer", "finance"])
def test_anyone_outside_the_organisation_gets_404(client, request, with_letter, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(letter_url(with_letter))

    assert response.status_code == 404
    assert with_letter.application.case_number not in response.content.decode()


def test_post_is_not_allowed(client, applicant, applicant_b, with_letter):
    for user in (applicant, applicant_b):
        client.force_login(user)
        assert client.post(letter_url(with_letter)).status_code == 405


def test_anonymous_is_sent_to_login(client, with_letter):
    for method in (client.get, client.post):
        response = method(letter_url(with_letter))

        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_missing_decision_is_404(client, applicant):
    client.force_login(applicant)

    assert client.get(reverse("decisions:letter", args=[99999])).status_code == 404


# Repayment letters


@pytest.mark.parametrize("who", ["applicant", "member"])
def test_members_get_the_repayment_letter_inline(client, request, claim_with_letter, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(repayment_url(claim_with_letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    case = stem(claim_with_letter.decision.application)
    assert response["Content-Disposition"] == (
        f'inline; filename="aterkrav-{case}-{claim_with_letter.pk}.pdf"'
    )
    content = content_of(response)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == claim_with_letter.letter_sha256


def test_repayment_letter_not_yet_produced_is_404(client, applicant, claim):
    client.force_login(applicant)

    assert client.get(repayment_url(claim)).status_code == 404


@pytest.mark.parametrize("who", ["applicant_b", "officer", "decider", "finance"])
def test_anyone_outside_the_organisation_gets_404_for_the_repayment_letter(
    client, request, claim_with_letter, who
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(repayment_url(claim_with_letter))

    assert response.status_code == 404
    assert claim_with_letter.decision.application.case_number not in response.content.decode()


def test_post_to_the_repayment_letter_is_not_allowed(
    client, applicant, applicant_b, claim_with_letter
):
    for user in (applicant, applicant_b):
        client.force_login(user)
        assert client.post(repayment_url(claim_with_letter)).status_code == 405


def test_anonymous_is_sent_to_login_for_the_repayment_letter(client, claim_with_letter):
    for method in (client.get, client.post):
        response = method(repayment_url(claim_with_letter))

        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_a_claim_of_another_decision_is_404_under_this_one(
    client, applicant, officer, decider, finance, finance_2, organisation, call, claim_with_letter
):
    other = another_claim_with_letter(
        organisation, call, applicant, officer, decider, finance, finance_2
    )
    client.force_login(applicant)

    assert client.get(repayment_url(other)).status_code == 200
    assert client.get(repayment_url(other, claim_with_letter.decision)).status_code == 404
    assert client.get(repayment_url(claim_with_letter, other.decision)).status_code == 404


def test_missing_claim_is_404(client, applicant, decision):
    client.force_login(applicant)

    response = client.get(reverse("decisions:repayment_letter", args=[decision.pk, 99999]))

    assert response.status_code == 404


def test_case_page_links_the_repayment_letter_once_it_exists(client, member, claim):
    client.force_login(member)
    page = reverse("portal:application", args=[claim.decision.application.pk])

    before = client.get(page).content.decode()
    repayment_letter_store(claim)
    after = client.get(page).content.decode()

    assert repayment_url(claim) not in before
    assert "The repayment letter is being produced" in before
    assert repayment_url(claim) in after
    assert "Open the repayment letter (PDF)" in after
    assert "The repayment letter is being produced" not in after
