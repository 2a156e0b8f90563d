"""The settings read from the environment, and the production mode that refuses unsafe ones.

Each case imports ``config.settings`` in a fresh interpreter with exactly the environment it
names, because the settings are read once, at import.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_SECRET = secrets.token_urlsafe(50)
PRODUCTION_ENV = {
    "BIDRAG_ENV": "production",
    "SECRET_KEY": PRODUCTION_SECRET,
    "ALLOWED_HOSTS": "bidrag.example.org",
}
PRINT_SETTINGS = """
import json
from config import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": getattr(s, "SESSION_COOKIE_SECURE", False),
    "CSRF_COOKIE_SECURE": getattr(s, "CSRF_COOKIE_SECURE", False),
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "PORT": db.get("PORT", ""),
    "USER": db.get("USER", ""),
}))
"""


def import_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings in a new interpreter with only ``env`` (and PATH) set."""
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded(**env: str) -> dict:
    """Return the settings printed by a successful import with ``env``."""
    result = import_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off in production"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"SECRET_KEY": ""}, "the demo key is refused"),
        (
            {"SECRET_KEY": "bidrag-demo-secret-key-do-not-use-in-production"},
            "the demo key is refused",
        ),
        ({"SECRET_KEY": "too-short-to-be-a-real-secret"}, "Set SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "Set ALLOWED_HOSTS in production"),
        ({"ALLOWED_HOSTS": " , "}, "Set ALLOWED_HOSTS in production"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = import_settings(**{**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_a_missing_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}

    result = import_settings(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "the demo key is refused" in result.stderr


def test_production_accepts_a_proper_environment():
    production = loaded(**{**PRODUCTION_ENV, "ALLOWED_HOSTS": "bidrag.example.org,www.example.org"})

    assert production["DEBUG"] is False
    assert production["ALLOWED_HOSTS"] == ["bidrag.example.org", "www.example.org"]
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True


def test_development_defaults_work_without_configuration():
    development = loaded()

    assert development["DEBUG"] is True
    assert "127.0.0.1" in development["ALLOWED_HOSTS"]
    assert development["ENGINE"] == "django.db.backends.sqlite3"
    assert development["NAME"] == str(BASE_DIR / "bidrag.sqlite3")


def test_database_url_is_honoured():
    database = loaded(DATABASE_URL="postgres://grants:s3cret@db.example.org:5433/bidrag_prod")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "bidrag_prod"
    assert database["HOST"] == "db.example.org"
    assert database["PORT"] == 5433
    assert database["USER"] == "grants"


def test_swedish_is_the_default_language_and_english_is_available():
    assert settings.LANGUAGE_CODE == "sv"
    assert {code for code, _name in settings.LANGUAGES} == {"sv", "en"}
    assert settings.USE_I18N is True


def test_time_zone_is_stockholm():
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
