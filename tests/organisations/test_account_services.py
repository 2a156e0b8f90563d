"""The account services: sign-up, activation, changes to a person's own details and password."""

import pytest

from audit.services import entries_for
from organisations import services
from organisations.models import User
from tests import factories
from tests.assertions import refused

PASSWORD = "Storsjöodjuret-1894"


def sign_up(**overrides) -> User:
    fields = {
        "full_name": " Nils Nykomling ",
        "email": "Nils@Example.org",
        "password": PASSWORD,
        "language": "en",
    }
    return services.user_sign_up(**(fields | overrides))


@pytest.mark.django_db
def test_sign_up_creates_an_inactive_pending_user():
    user = sign_up()
    assert user.email == "nils@example.org"
    assert user.full_name == "Nils Nykomling"
    assert not user.is_active
    assert services.user_is_pending(user)
    [entry] = entries_for(user)
    assert entry.data == {"email": "nils@example.org", "language": "en", "replaced_pending": False}


def test_sign_up_refuses_a_registered_address(applicant):
    error = refused(sign_up, email="APPLICANT-A@example.org")
    assert error.code == "email_registered"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("password", "password"), ("language", "de"), ("full_name", " ")]
)
def test_sign_up_refuses_bad_details(field, value):
    error = refused(sign_up, **{field: value})
    assert error.code == "invalid"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_activation_is_once_only():
    user = sign_up()
    token = services.account_activation_token.make_token(user)
    services.user_activate(user=user)
    user.refresh_from_db()
    assert user.is_active
    assert not services.account_activation_token.check_token(user, token)
    assert refused(services.user_activate, user=user).code == "not_pending"


def test_an_account_in_use_is_never_pending(applicant, organisation):
    User.objects.filter(pk=applicant.pk).update(is_active=False)
    applicant.refresh_from_db()
    assert not services.user_is_pending(applicant)
    assert refused(services.user_activate, user=applicant).code == "not_pending"


def test_user_update_records_only_what_changed(applicant):
    services.user_update(
        user=applicant, actor=applicant, full_name="Alva Sökande", phone=" 063-12 34 56 "
    )
    [entry] = entries_for(applicant)
    assert entry.data == {"phone": {"old": "", "new": "063-12 34 56"}}
    services.user_update(user=applicant, actor=applicant, phone="063-12 34 56")
    assert entries_for(applicant).count() == 1


def test_user_update_is_for_ones_own_details(applicant, applicant_b):
    assert refused(services.user_update, user=applicant, actor=applicant_b, full_name="X").code == (
        "forbidden"
    )


@pytest.mark.parametrize(
    "fields", [{"email": "new@example.org"}, {"is_staff": True}, {"language": "de"}]
)
def test_user_update_refuses_other_fields_and_values(applicant, fields):
    refused(services.user_update, user=applicant, actor=applicant, **fields)
    applicant.refresh_from_db()
    assert applicant.email == "applicant-a@example.org"
    assert not applicant.is_staff


def test_password_set_validates_and_never_logs_the_password(applicant):
    refused(
        services.user_password_set, user=applicant, password="123", actor=applicant, via="change"
    )
    services.user_password_set(user=applicant, password=PASSWORD, actor=applicant, via="change")
    applicant.refresh_from_db()
    assert applicant.check_password(PASSWORD)
    assert PASSWORD not in str(entries_for(applicant).last().data)
    assert not applicant.check_password(factories.PASSWORD)
