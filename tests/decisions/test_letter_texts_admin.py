"""Administrators word the letters' texts in the admin: per programme or for every programme."""

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import LogEntry
from decisions.letter_texts import default_text, letter_texts_for
from decisions.models import LetterText
from organisations.models import User
from tests import factories


@pytest.fixture
def admin_session(client, db):
    superuser = User.objects.create_superuser(
        email="admin@example.org", password=factories.PASSWORD, full_name="Ada Administratör"
    )
    client.force_login(superuser)
    return client


def test_a_new_text_starts_from_the_built_in_one(admin_session):
    url = reverse("admin:decisions_lettertext_add") + "?part=report&language=sv"

    html = admin_session.get(url).content.decode()

    with translation.override("sv"):
        expected = default_text(part="report", language="sv")
    assert expected.splitlines()[0] in html


def test_an_administrator_words_the_appeal_text_of_a_programme(admin_session, programme):
    text = "Beslutet överklagas hos Kammarkollegiet inom tre veckor från delgivningen."

    response = admin_session.post(
        reverse("admin:decisions_lettertext_add"),
        {"programme": programme.pk, "part": "appeal", "language": "sv", "text": text},
    )

    assert response.status_code == 302
    saved = LetterText.objects.get()
    assert saved.programme == programme
    assert letter_texts_for(programme=programme, language="sv")["appeal"] == text
    assert letter_texts_for(programme=programme, language="en")["appeal"] == default_text(
        part="appeal", language="en", appeal_kind=programme.appeal_kind
    )
    assert LogEntry.objects.filter(action__endswith="lettertext.created").exists()


def test_the_change_page_shows_the_built_in_text_beside_it(admin_session, programme):
    own = LetterText.objects.create(
        programme=None, part="repayment", language="en", text="Our own grounds."
    )

    html = admin_session.get(
        reverse("admin:decisions_lettertext_change", args=[own.pk])
    ).content.decode()

    assert "Our own grounds." in html
    assert default_text(part="repayment", language="en").splitlines()[0] in html


def test_a_second_text_for_the_same_part_is_refused_with_a_message(admin_session, programme):
    LetterText.objects.create(programme=programme, part="report", language="sv", text="Först.")

    response = admin_session.post(
        reverse("admin:decisions_lettertext_add"),
        {"programme": programme.pk, "part": "report", "language": "sv", "text": "Andra."},
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert LetterText.objects.count() == 1


def test_an_empty_text_is_refused(admin_session):
    response = admin_session.post(
        reverse("admin:decisions_lettertext_add"),
        {"programme": "", "part": "report", "language": "sv", "text": "   "},
    )

    assert response.status_code == 200
    assert not LetterText.objects.exists()
