"""The decision letter download (decisions:letter): members only, inline PDF, 404 until produced."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from decisions.models import Decision
from tests import factories


@pytest.fixture
def decision(approved):
    return approved.decision


@pytest.fixture
def with_letter(decision):
    # Decision letters are rendered in issue 5; store a stand-in PDF as that code will.
    decision.letter.save("letter.pdf", ContentFile(factories.PDF_BYTES), save=True)
    return Decision.objects.get(pk=decision.pk)


def letter_url(decision) -> str:
    return reverse("decisions:letter", args=[decision.pk])


def test_url_is_the_documented_one(decision):
    from django.utils import translation

    with translation.override("sv"):
        assert letter_url(decision) == f"/mina-sidor/beslut/{decision.pk}/beslutsbrev.pdf"


def test_signatory_gets_the_letter_inline(client, applicant, with_letter):
    client.force_login(applicant)

    response = client.get(letter_url(with_letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    case = with_letter.application.case_number.replace(" ", "-").replace("/", "-")
    assert response["Content-Disposition"] == f'inline; filename="beslut-{case}.pdf"'
    assert b"".join(response.streaming_content) == factories.PDF_BYTES


def test_member_gets_the_letter_too(client, member, with_letter):
    client.force_login(member)

    assert client.get(letter_url(with_letter)).status_code == 200


def test_case_page_links_to_the_letter_once_it_exists(client, applicant, with_letter):
    client.force_login(applicant)

    html = client.get(
        reverse("portal:application", args=[with_letter.application.pk])
    ).content.decode()

    assert letter_url(with_letter) in html
    assert "being produced" not in html


def test_no_letter_yet_is_404(client, applicant, decision):
    client.force_login(applicant)

    assert client.get(letter_url(decision)).status_code == 404


def test_other_organisation_gets_404(client, applicant_b, with_letter):
    client.force_login(applicant_b)

    assert client.get(letter_url(with_letter)).status_code == 404


def test_staff_without_membership_gets_404(client, officer, with_letter):
    client.force_login(officer)

    assert client.get(letter_url(with_letter)).status_code == 404


def test_anonymous_is_sent_to_login(client, with_letter):
    response = client.get(letter_url(with_letter))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_missing_decision_is_404(client, applicant):
    client.force_login(applicant)

    assert client.get(reverse("decisions:letter", args=[99999])).status_code == 404
