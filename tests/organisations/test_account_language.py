"""The language a visitor chooses sticks: saved on the account, kept in a cookie, and the
Swedish addresses send an English reader to the /en/ copy of the same page."""

import pytest
from django.conf import settings

from audit.services import entries_for
from organisations.models import User

COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, language, next_url, action="/konto/sprak/"):
    return client.post(action, {"language": language, "next": next_url})


def test_the_header_switch_posts_to_the_language_view(client, db):
    page = client.get("/").content.decode()
    assert 'action="/konto/sprak/"' in page
    assert 'action="/en/konto/sprak/"' in client.get("/en/").content.decode()


def test_an_anonymous_visitor_switches_to_english_and_back(client, db):
    response = switch(client, "en", "/tillganglighet/")
    assert response.url == "/en/tillganglighet/"
    assert response.cookies[COOKIE].value == "en"

    response = client.get("/tillganglighet/?a=1")
    assert response.status_code == 302
    assert response.url == "/en/tillganglighet/?a=1"
    assert 'lang="en"' in client.get(response.url).content.decode()

    response = switch(client, "sv", "/en/tillganglighet/", action="/en/konto/sprak/")
    assert response.url == "/tillganglighet/"
    assert response.cookies[COOKIE].value == "sv"
    page = client.get("/tillganglighet/")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.content.decode()


def test_a_logged_in_user_switching_saves_the_language(client, applicant):
    client.force_login(applicant)
    response = switch(client, "en", "/konto/")
    assert response.url == "/en/konto/"
    applicant.refresh_from_db()
    assert applicant.language == "en"
    entry = entries_for(applicant).last()
    assert entry.action == "organisations.user.changed"
    assert entry.data == {"language": {"old": "sv", "new": "en"}}

    switch(client, "sv", "/en/konto/", action="/en/konto/sprak/")
    applicant.refresh_from_db()
    assert applicant.language == "sv"
    assert client.get("/konto/").status_code == 200


def test_the_language_view_is_post_only_and_ignores_unknown_languages(client, applicant):
    client.force_login(applicant)
    assert client.get("/konto/sprak/").status_code == 405
    switch(client, "de", "/")
    applicant.refresh_from_db()
    assert applicant.language == "sv"


def test_no_redirect_without_a_choice_or_for_swedish(client, db):
    assert client.get("/").status_code == 200
    client.cookies[COOKIE] = "sv"
    assert client.get("/").status_code == 200


def test_english_cookie_redirects_the_start_page(client, db):
    client.cookies[COOKIE] = "en"
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/en/"
    assert "Cookie" in response["Vary"]


def test_saved_language_redirects_when_there_is_no_cookie(client, applicant):
    User.objects.filter(pk=applicant.pk).update(language="en")
    client.force_login(applicant)
    response = client.get("/mina-sidor/")
    assert response.url == "/en/mina-sidor/"


def test_the_cookie_wins_over_the_saved_language(client, applicant):
    User.objects.filter(pk=applicant.pk).update(language="en")
    client.force_login(applicant)
    client.cookies[COOKIE] = "sv"
    assert client.get("/mina-sidor/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/login/", "/i18n/setlang/", "/finns-inte/"])
def test_some_addresses_are_never_redirected(client, db, path):
    client.cookies[COOKIE] = "en"
    response = client.get(path)
    assert not (response.status_code == 302 and response.url.startswith("/en/"))


def test_posts_are_never_redirected(client, applicant):
    client.cookies[COOKIE] = "en"
    response = client.post("/konto/logga-in/", {"username": "x@example.org", "password": "x"})
    assert response.status_code == 200


def test_accept_language_is_still_ignored(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
