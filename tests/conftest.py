"""Shared fixtures: the people of DESIGN §1 and an application at each stage of its life."""

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import translation

from grants import services
from tests import factories


def pytest_collection_modifyitems(config, items):
    """Skip tests that need real PostgreSQL connections when the suite runs on SQLite."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); SQLite run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_and_fast_passwords(settings):
    """Read service messages in English whatever the catalogues say; hash passwords cheaply."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # The demo fixtures carry real PBKDF2 hashes.
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: the e-mail throttle counts in it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _private_media(tmp_path_factory):
    """Keep the files uploaded during the test run in a temporary folder."""
    from django.conf import settings

    storages = settings.STORAGES | {
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("private"), "base_url": None},
        }
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture
def officer(db):
    return factories.user("officer@example.org", "officer", full_name="Karin Handläggare")


@pytest.fixture
def officer_2(db):
    return factories.user("officer-2@example.org", "officer", full_name="Erik Handläggare")


@pytest.fixture
def decider(db):
    return factories.user(
        "decider@example.org", "decision_maker", full_name="Anna Chef", title="Kulturchef"
    )


@pytest.fixture
def secretary(db):
    return factories.user("secretary@example.org", "secretary", full_name="Sara Sekreterare")


@pytest.fixture
def finance(db):
    return factories.user("finance@example.org", "finance", full_name="Fredrik Ekonom")


@pytest.fixture
def finance_2(db):
    return factories.user("finance-2@example.org", "finance", full_name="Frida Ekonom")


@pytest.fixture
def applicant(db):
    return factories.user("applicant-a@example.org", full_name="Alva Sökande")


@pytest.fixture
def applicant_b(db):
    return factories.user("applicant-b@example.org", full_name="Bo Sökande")


@pytest.fixture
def programme(db):
    return factories.programme()


@pytest.fixture
def call(programme):
    return factories.call(programme)


@pytest.fixture
def delegation(decider):
    return factories.delegation(decider)


@pytest.fixture
def organisation(applicant, finance):
    return factories.organisation(
        applicant, verified_by=finance, name="Storsjöteatern ideell förening"
    )


@pytest.fixture
def member(organisation):
    member = factories.user("member-a@example.org", full_name="Maja Medlem")
    from organisations.services import membership_add

    membership_add(organisation=organisation, user=member, role="member", actor=None)
    return member


@pytest.fixture
def draft(organisation, call, applicant):
    return factories.draft(organisation, call, applicant)


@pytest.fixture
def submitted(draft, applicant):
    return services.application_submit(application=draft, actor=applicant)


@pytest.fixture
def under_review(submitted, officer):
    return services.application_start_review(application=submitted, actor=officer)


@pytest.fixture
def proposed(under_review, officer):
    return factories.assess(under_review, officer)


@pytest.fixture
def approved(proposed, decider, delegation):
    decision = factories.decide(proposed, decider)
    return decision.application


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
