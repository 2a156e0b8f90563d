"""The account pages: sign-up with a confirmation link, login, password reset, the account page."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from audit.services import entries_for
from organisations import services
from organisations.models import User
from tests import factories

NEW_PASSWORD = "Storsjöodjuret-1894"
INVITATION = "/mina-sidor/organisationer/inbjudan/abc123/"


def sign_up(client, capture, **overrides):
    data = {
        "full_name": "Nils Nykomling",
        "email": "Nils@Example.org",
        "phone": "063-14 75 00",
        "language": "sv",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | overrides
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), data)


def link_in(message) -> str:
    """Return the path and query of the first link to this site in an e-mail."""
    url = re.search(r"https?://testserver(\S+)", message.body).group(1)
    return url


def logged_in_user(client):
    return client.session.get(SESSION_KEY)


# --- Sign-up ---------------------------------------------------------------------------------------


def test_sign_up_creates_an_inactive_user_and_mails_a_link(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="nils@example.org")
    assert not user.is_active
    assert (user.full_name, user.phone, user.language) == ("Nils Nykomling", "063-14 75 00", "sv")
    assert user.check_password(NEW_PASSWORD)
    [message] = mailoutbox
    assert message.to == ["nils@example.org"]
    assert link_in(message).startswith("/konto/aktivera/")
    [entry] = entries_for(user)
    assert entry.action == "organisations.user.signed_up"
    assert NEW_PASSWORD not in str(entry.data)
    assert logged_in_user(client) is None


def test_sign_up_page_shows_personal_data_notice_and_autocomplete(client, db):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert "public records" in page
    for token in ("name", "email", "tel", "new-password"):
        assert f'autocomplete="{token}"' in page


def test_failed_sign_up_keeps_what_was_typed_except_passwords(client, db, mailoutbox):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Nils Nykomling",
            "email": "nils@example.org",
            "phone": "063-14 75 00",
            "language": "en",
            "password1": NEW_PASSWORD,
            "password2": "something-else-entirely",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert 'value="Nils Nykomling"' in page
    assert 'value="nils@example.org"' in page
    assert 'value="063-14 75 00"' in page
    assert NEW_PASSWORD not in page
    assert not User.objects.exists()
    assert mailoutbox == []


def test_sign_up_applies_the_password_validators(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Nils Nykomling",
            "email": "nils@example.org",
            "language": "sv",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_confirmation_link_activates_and_logs_in(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "nils@example.org" in confirm_page.content.decode()
    user = User.objects.get(email="nils@example.org")
    assert not user.is_active, "opening the link (as a mail scanner does) must not use it up"

    response = client.post(link)
    assert response.status_code == 302
    assert response.url == "/mina-sidor/"
    user.refresh_from_db()
    assert user.is_active
    assert logged_in_user(client) == str(user.pk)
    assert [entry.action for entry in entries_for(user)] == [
        "organisations.user.signed_up",
        "organisations.user.activated",
    ]


def test_confirmation_link_works_only_once(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    client.post(link)
    client.post(reverse("accounts:logout"))

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 200
        assert response.templates[0].name == "accounts/activate_invalid.html"
        assert reverse("accounts:resend_activation") in response.content.decode()
    assert logged_in_user(client) is None


def test_expired_confirmation_link_fails(
    client, db, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    almost = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)
    monkeypatch.setattr(services.account_activation_token, "_now", lambda: almost)
    assert client.get(link).templates[0].name == "accounts/activate.html"

    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(services.account_activation_token, "_now", lambda: later)
    response = client.post(link)

    assert response.templates[0].name == "accounts/activate_invalid.html"
    assert not User.objects.get(email="nils@example.org").is_active


def test_a_tampered_link_fails(client, db, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    for broken in (link[:-3] + "xx/", link.replace("/aktivera/", "/aktivera/AAAA")):
        assert client.post(broken).templates[0].name == "accounts/activate_invalid.html"
    assert not User.objects.get(email="nils@example.org").is_active


def test_registered_email_gets_the_same_page_and_another_mail(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    fresh = sign_up(client, django_capture_on_commit_callbacks, email="someone-new@example.org")
    mailoutbox.clear()

    response = sign_up(client, django_capture_on_commit_callbacks, email="Applicant-A@example.org")

    assert response.status_code == 302
    assert response.url == fresh.url
    assert User.objects.filter(email__iexact="applicant-a@example.org").count() == 1
    applicant.refresh_from_db()
    assert applicant.full_name == "Alva Sökande"
    assert applicant.check_password(factories.PASSWORD)
    [message] = mailoutbox
    assert message.to == ["applicant-a@example.org"]
    assert "/konto/logga-in/" in message.body
    assert "/konto/glomt-losenord/" in message.body
    assert "/konto/aktivera/" not in message.body


def test_signing_up_again_replaces_a_pending_sign_up(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    first_link = link_in(mailoutbox[0])
    sign_up(client, django_capture_on_commit_callbacks, full_name="Nils Andra", language="en")

    user = User.objects.get(email="nils@example.org")
    assert (user.full_name, user.language) == ("Nils Andra", "en")
    second_link = link_in(mailoutbox[1])
    assert second_link.startswith("/en/konto/aktivera/")
    assert client.post(first_link).templates[0].name == "accounts/activate_invalid.html"
    assert client.post(second_link).status_code == 302


def test_next_survives_sign_up_and_confirmation(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    signup_url = reverse("accounts:signup") + f"?next={INVITATION}"
    page = client.get(signup_url).content.decode()
    assert f'value="{INVITATION}"' in page
    assert reverse("accounts:login") + f"?next={INVITATION}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup_url,
            {
                "full_name": "Nils Nykomling",
                "email": "nils@example.org",
                "language": "sv",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "next": INVITATION,
            },
        )
    assert INVITATION in response.url
    link = link_in(mailoutbox[0])
    assert "next=" in link

    assert client.get(link).context["next"] == INVITATION
    response = client.post(link, {"next": INVITATION})
    assert response.url == INVITATION


def test_an_english_user_lands_on_the_english_address(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, language="en")
    link = link_in(mailoutbox[0])
    response = client.post(link + f"?next={INVITATION}")
    assert response.url == "/en" + INVITATION
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_off_site_next_is_ignored(
    client, db, mailoutbox, django_capture_on_commit_callbacks, next_url
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Nils Nykomling",
                "email": "nils@example.org",
                "language": "sv",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "next": next_url,
            },
        )
    assert response.url == reverse("accounts:signup_done")
    link = link_in(mailoutbox[0])
    assert "next=" not in link
    response = client.post(link, {"next": next_url})
    assert response.url == "/mina-sidor/"


def test_resend_sends_a_new_link_only_to_a_pending_account(
    client, db, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    responses = []
    for email in ("nils@example.org", "nobody@example.org", "applicant-a@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(client.post(reverse("accounts:resend_activation"), {"email": email}))

    assert {response.url for response in responses} == {reverse("accounts:signup_done")}
    assert [message.to for message in mailoutbox] == [
        ["nils@example.org"],
        ["applicant-a@example.org"],
    ]
    assert "/konto/aktivera/" in mailoutbox[0].body
    assert "/konto/aktivera/" not in mailoutbox[1].body
    assert client.post(link_in(mailoutbox[0])).status_code == 302


def test_a_deactivated_account_cannot_be_signed_up_for_again(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    client.logout()
    User.objects.filter(pk=applicant.pk).update(is_active=False)

    sign_up(client, django_capture_on_commit_callbacks, email="applicant-a@example.org")

    applicant.refresh_from_db()
    assert not applicant.is_active
    assert applicant.check_password(factories.PASSWORD)
    assert "/konto/aktivera/" not in mailoutbox[0].body


# --- Login ------------------------------------------------------------------------------------------


def test_login_page_links_to_sign_up_reset_and_resend(client, db):
    page = client.get(reverse("accounts:login") + f"?next={INVITATION}").content.decode()
    assert reverse("accounts:signup") + "?next=" in page
    assert reverse("accounts:password_reset") in page
    assert reverse("accounts:resend_activation") in page
    assert 'autocomplete="current-password"' in page


def test_an_unconfirmed_user_cannot_log_in_and_the_page_does_not_say_why(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    unconfirmed = client.post(
        reverse("accounts:login"), {"username": "nils@example.org", "password": NEW_PASSWORD}
    )
    unknown = client.post(
        reverse("accounts:login"), {"username": "nobody@example.org", "password": NEW_PASSWORD}
    )
    assert unconfirmed.status_code == unknown.status_code == 200
    assert logged_in_user(client) is None
    assert unconfirmed.context["form"].errors == unknown.context["form"].errors


def test_login_goes_to_my_pages_or_next(client, applicant):
    response = client.post(
        "/konto/logga-in/", {"username": "applicant-a@example.org", "password": factories.PASSWORD}
    )
    assert response.url == "/mina-sidor/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"

    client.post(reverse("accounts:logout"))
    response = client.post(
        "/konto/logga-in/",
        {
            "username": "applicant-a@example.org",
            "password": factories.PASSWORD,
            "next": INVITATION,
        },
    )
    assert response.url == INVITATION


def test_login_continues_in_the_saved_language(client, applicant):
    User.objects.filter(pk=applicant.pk).update(language="en")
    response = client.post(
        "/konto/logga-in/",
        {
            "username": "applicant-a@example.org",
            "password": factories.PASSWORD,
            "next": "https://evil.example.com/",
        },
    )
    assert response.url == "/en/mina-sidor/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_swedish_user_logging_in_on_an_english_page_continues_in_swedish(client, applicant):
    response = client.post(
        "/en/konto/logga-in/",
        {"username": "applicant-a@example.org", "password": factories.PASSWORD},
    )
    assert response.url == "/mina-sidor/"


# --- Passwords --------------------------------------------------------------------------------------


def test_password_reset_mail_and_confirm_set_a_new_password(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": "APPLICANT-A@example.org"}
        )
    assert response.url == reverse("accounts:password_reset_done")
    [message] = mailoutbox
    assert message.to == ["applicant-a@example.org"]
    link = link_in(message)
    assert link.startswith("/en/konto/glomt-losenord/")

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.url == reverse("accounts:password_reset_complete")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    entry = entries_for(applicant).last()
    assert entry.action == "organisations.user.password_changed"
    assert entry.data == {"via": "reset"}
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_change_keeps_the_user_logged_in(client, applicant):
    client.force_login(applicant)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert 'autocomplete="current-password"' in page
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.url == reverse("accounts:account")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:account")).status_code == 200
    assert entries_for(applicant).last().data == {"via": "change"}


def test_password_change_needs_the_current_password(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    applicant.refresh_from_db()
    assert applicant.check_password(factories.PASSWORD)


# --- The account page -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accounts:account", "accounts:password_change"])
def test_account_pages_need_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_account_page_shows_details_and_organisations(
    client, applicant, organisation, django_assert_max_num_queries
):
    client.force_login(applicant)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:account"))
    page = response.content.decode()
    assert applicant.email in page
    assert reverse("organisations:detail", args=[organisation.pk]) in page
    assert organisation.display_org_number in page
    assert reverse("organisations:register") in page
    assert reverse("accounts:password_change") in page
    assert reverse("portal:dashboard") in page


def test_account_page_edits_details_with_audit(client, applicant):
    client.force_login(applicant)
    response = client.post(
        "/konto/", {"full_name": "Alva Sökande-Berg", "phone": "070-123 45 67", "language": "sv"}
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.phone) == ("Alva Sökande-Berg", "070-123 45 67")
    entry = entries_for(applicant).last()
    assert entry.action == "organisations.user.changed"
    assert entry.actor == applicant
    assert entry.data == {
        "full_name": {"old": "Alva Sökande", "new": "Alva Sökande-Berg"},
        "phone": {"old": "", "new": "070-123 45 67"},
    }


def test_account_page_changes_language_and_goes_to_the_english_page(client, applicant):
    client.force_login(applicant)
    response = client.post(
        "/konto/", {"full_name": applicant.full_name, "phone": "", "language": "en"}
    )
    assert response.url == "/en/konto/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    applicant.refresh_from_db()
    assert applicant.language == "en"


def test_account_page_keeps_what_was_typed_when_invalid(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:account"), {"full_name": "", "phone": "ring mig", "language": "sv"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert 'value="ring mig"' in page
    applicant.refresh_from_db()
    assert applicant.full_name == "Alva Sökande"
    assert not entries_for(applicant).filter(action="organisations.user.changed").exists()
