"""Brute force and e-mail bombing: the login lockout (django-axes) and the e-mail throttle."""

import logging
import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from organisations import throttle
from organisations.models import User
from tests import factories

LOGIN = "/en/konto/logga-in/"
HOME = "203.0.113.7"
OFFICE = "198.51.100.20"
NEW_PASSWORD = "Storsjöodjuret-1894"


def log_in(client, password, *, email="applicant-a@example.org", ip=HOME):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def lock_out(client, email="applicant-a@example.org", ip=HOME):
    responses = [log_in(client, f"wrong-{n}", email=email, ip=ip) for n in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    return responses[-1]


# --- Login lockout --------------------------------------------------------------------------------


def test_settings_lock_the_address_and_client_pair_after_five_tries():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_five_wrong_passwords_lock_out_with_a_friendly_page(client, applicant):
    response = lock_out(client)

    assert response.status_code == 429
    assert "accounts/locked_out.html" in {t.name for t in response.templates}
    page = response.content.decode()
    assert "<h1>Too many attempts to log in</h1>" in page
    assert "for 15 minutes" in page
    assert "Wait 15 minutes and try again" in page
    assert reverse("accounts:password_reset") in page
    assert 'class="site-header"' in page


def test_the_right_password_is_refused_until_the_wait_is_over(client, applicant):
    lock_out(client)

    response = log_in(client, factories.PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client, factories.PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(applicant.pk)


def test_another_client_can_still_log_in_to_the_locked_account(client, applicant):
    lock_out(client, ip=HOME)

    response = log_in(client, factories.PASSWORD, ip=OFFICE)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(applicant.pk)


def test_the_locked_client_can_still_log_in_to_another_account(client, applicant, applicant_b):
    lock_out(client, email="applicant-a@example.org")

    response = log_in(client, factories.PASSWORD, email="applicant-b@example.org")

    assert response.status_code == 302


def test_capital_letters_do_not_give_more_tries(client, applicant):
    emails = [
        "applicant-a@example.org",
        "Applicant-A@example.org",
        "APPLICANT-A@EXAMPLE.ORG",
        "applicant-A@example.org",
        " applicant-a@Example.org",
    ]
    codes = [log_in(client, "wrong", email=email).status_code for email in emails]

    assert codes == [200, 200, 200, 200, 429]
    assert log_in(client, factories.PASSWORD).status_code == 429


def test_a_successful_login_starts_the_count_again(client, applicant):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, factories.PASSWORD).status_code == 302
    client.logout()

    codes = [log_in(client, "wrong").status_code for _ in range(4)]

    assert codes == [200] * 4


def test_an_unknown_address_is_locked_out_the_same_way(client, db):
    """The lockout must not tell which addresses have accounts."""
    response = lock_out(client, email="nobody@example.org")

    assert "accounts/locked_out.html" in {t.name for t in response.templates}


def test_a_new_password_from_the_e_mailed_link_ends_the_lockout(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    lock_out(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "applicant-a@example.org"})
    [message] = mailoutbox
    link = re.search(r"https?://testserver(\S+)", message.body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = log_in(client, NEW_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(applicant.pk)


def test_the_client_address_comes_from_the_proxy_when_there_is_one(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert throttle.client_ip(request) == "10.0.0.1"

    settings.PROXY_COUNT = 1
    assert throttle.client_ip(request) == "203.0.113.7"
    settings.PROXY_COUNT = 2
    assert throttle.client_ip(request) == "1.2.3.4"
    settings.PROXY_COUNT = 3
    assert throttle.client_ip(request) == "10.0.0.1"


# --- E-mail throttle -------------------------------------------------------------------------------


def test_allow_counts_within_the_window():
    assert [throttle.allow("k", 3, 60) for _ in range(5)] == [True, True, True, False, False]
    assert throttle.allow("other", 3, 60)


def sign_up(client, capture, email="nils@example.org", ip=HOME):
    data = {
        "full_name": "Nils Nykomling",
        "email": email,
        "language": "en",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), data, REMOTE_ADDR=ip)


def test_a_fourth_sign_up_e_mail_to_one_address_is_not_sent(
    client, db, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    responses = [sign_up(client, django_capture_on_commit_callbacks) for _ in range(3)]
    assert len(mailoutbox) == 3

    with caplog.at_level(logging.WARNING, logger="organisations.throttle"):
        fourth = sign_up(client, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 3
    assert (fourth.status_code, fourth.url) == (responses[0].status_code, responses[0].url)
    assert fourth.url == reverse("accounts:signup_done")
    assert "sign-up e-mail not sent" in caplog.text
    assert "nils@example.org" not in caplog.text


def test_a_fourth_password_reset_to_one_address_is_not_sent(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    responses = []
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            # From different clients: the limit is per address too.
            responses.append(
                client.post(
                    reverse("accounts:password_reset"),
                    {"email": "Applicant-A@example.org"},
                    REMOTE_ADDR=f"192.0.2.{n}",
                )
            )

    assert len(mailoutbox) == 3
    assert {(r.status_code, r.url) for r in responses} == {
        (302, reverse("accounts:password_reset_done"))
    }


def test_sign_up_resend_and_reset_share_the_count_per_address(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:resend_activation"), {"email": "nils@example.org"})
        client.post(reverse("accounts:resend_activation"), {"email": "nils@example.org"})
        response = client.post(reverse("accounts:resend_activation"), {"email": "nils@example.org"})

    assert len(mailoutbox) == 3
    assert response.url == reverse("accounts:signup_done")


def test_a_throttled_sign_up_changes_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        sign_up(client, django_capture_on_commit_callbacks)
    password_before = User.objects.get(email="nils@example.org").password

    data = {"full_name": "Someone Else", "password1": "Other-pass-1894", "password2": ""}
    data["password2"] = data["password1"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"email": "nils@example.org", "language": "en"} | data,
            REMOTE_ADDR=HOME,
        )

    user = User.objects.get(email="nils@example.org")
    assert (user.full_name, user.password) == ("Nils Nykomling", password_before)


def test_one_client_may_ask_for_twenty_e_mails_an_hour(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(21):
        sign_up(client, django_capture_on_commit_callbacks, email=f"person-{n}@example.org")

    assert len(mailoutbox) == 20
    assert not User.objects.filter(email="person-20@example.org").exists()

    sign_up(client, django_capture_on_commit_callbacks, email="person-21@example.org", ip=OFFICE)
    assert len(mailoutbox) == 21


def test_forms_with_mistakes_do_not_count(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(25):
        client.post(reverse("accounts:password_reset"), {"email": "applicant-a@example"})
        client.post(reverse("accounts:signup"), {"email": "applicant-a@example.org"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "applicant-a@example.org"})

    assert len(mailoutbox) == 1
