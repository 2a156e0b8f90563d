"""The pages this foundation serves: start page, login by e-mail, accessibility statement."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories


def test_start_page_lists_open_calls_only(client, call, programme):
    closed = factories.call(programme, open_now=False, title_sv="Stängd utlysning 2025")
    response = client.get("/")
    assert response.status_code == 200
    assert call.title_sv in response.content.decode()
    assert closed.title_sv not in response.content.decode()


def test_start_page_in_english(client, call):
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert call.title_en in response.content.decode()


def test_login_by_email(client, officer):
    response = client.post(
        reverse("accounts:login"),
        {"username": "OFFICER@example.org", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == officer


def test_login_with_wrong_password_keeps_email_and_says_why(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "officer@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="officer@example.org"' in page
    assert "error-summary" in page
    assert client.get("/").context["user"].is_anonymous


def test_login_url_is_the_documented_one():
    with translation.override("sv"):
        assert reverse("accounts:login") == "/konto/logga-in/"
    with translation.override("en"):
        assert reverse("accounts:login") == "/en/konto/logga-in/"


@pytest.mark.django_db
def test_accessibility_statement(client):
    response = client.get("/tillganglighet/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_logout_is_post_only(client, officer):
    client.force_login(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").context["user"].is_anonymous


@pytest.mark.django_db
def test_swedish_unless_english_is_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/en/", 302)]
    assert '<html lang="en">' in response.content.decode()
