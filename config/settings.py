"""Bidrag's settings, read from the environment in this one place.

The defaults make the demo work with no configuration at all (SQLite, console e-mail, tasks run
immediately). Production sets ``BIDRAG_ENV=production``; the system then refuses to start with
DEBUG on, the demo secret key or no ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEMO_SECRET_KEY = "bidrag-demo-secret-key-do-not-use-in-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    """Return the environment variable ``name`` read as a yes/no value."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return the comma-separated environment variable ``name`` as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BIDRAG_ENV = os.environ.get("BIDRAG_ENV", "development")
PRODUCTION = BIDRAG_ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production (BIDRAG_ENV=production).")
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random value in production; the demo key is refused."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS in production.")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_fsm",
    "django_filters",
    "import_export",
    "django_tasks_db",
    "axes",
    "audit",
    "organisations",
    "grants",
    "decisions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a refused login into the "locked out" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "config.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'bidrag.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's web process and task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "start"
# django-axes counts failed logins and refuses the login, before any password is checked, once
# there are too many; then ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
# Attachments, documents and letters are never served by URL: only through views that check
# permission. They live outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# A form of several attachments may carry more than Django's default 2.5 MB of fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Where the service is reached, for links in e-mails sent outside a request (tasks, commands).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A session ends twelve hours after login (not after every request: that would write the session
# on every page). A draft is saved at every step and kept in the browser, so nothing typed is
# lost when it ends.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
# Sign-up confirmation, password reset and invitation links stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Reverse proxies in front of Django that append the client's address to X-Forwarded-For. 0: the
# client is REMOTE_ADDR. Behind one proxy REMOTE_ADDR is the proxy, the same for everyone, so
# set 1; the login lockout and the e-mail throttle would otherwise count all visitors as one.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# The cache counts e-mails asked for per address and client (organisations/throttle.py). The
# default is per process: several web processes need a shared one, e.g. CACHE_BACKEND=database
# (then run `manage.py createcachetable`).
_CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "database": "django.core.cache.backends.db.DatabaseCache",
}
_cache_choice = os.environ.get("CACHE_BACKEND", "locmem")
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKENDS.get(_cache_choice, _cache_choice),
        "LOCATION": os.environ.get(
            "CACHE_LOCATION", "bidrag_cache" if _cache_choice == "database" else "bidrag"
        ),
    }
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one e-mail address
# from one client address, that pair may not log in for AXES_COOLOFF_MINUTES; every further try
# starts the wait again, and choosing a new password through the e-mailed link ends it. The pair,
# not the address alone: locking by address would let anyone lock out a treasurer by typing
# wrong passwords for them; the treasurer's own computer still gets in. The attempts are kept in
# the database (shared by all web processes) until the wait is over.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
_cooloff_minutes = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
if AXES_FAILURE_LIMIT < 1 or _cooloff_minutes < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# EmailAuthenticationForm's field is "username"; counted in small letters, since the login
# ignores case and "Anna@…" must not give another five tries.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "organisations.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "organisations.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "organisations.views.accounts.locked_out"
# No table of every successful login with address and browser (data minimisation).
AXES_DISABLE_ACCESS_LOG = True

# At most this many account e-mails (sign-up, confirmation link again, password reset) in an
# hour to one address, and from one client address; past that the page reads the same but
# nothing is sent.
EMAIL_LIMIT_PER_ADDRESS = int(os.environ.get("EMAIL_LIMIT_PER_ADDRESS", "3"))
EMAIL_LIMIT_PER_IP = int(os.environ.get("EMAIL_LIMIT_PER_IP", "20"))

# E-mail (Django 6.1 mailers). EMAIL_BACKEND picks the backend: console in development,
# SMTP in production; "file" writes each message to EMAIL_FILE_PATH.
EMAIL_BACKEND_CHOICE = os.environ.get("EMAIL_BACKEND", "smtp" if PRODUCTION else "console")
_MAIL_BACKENDS = {
    "console": ("django.core.mail.backends.console.EmailBackend", {}),
    "file": (
        "django.core.mail.backends.filebased.EmailBackend",
        {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))},
    ),
    "smtp": (
        "django.core.mail.backends.smtp.EmailBackend",
        {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        },
    ),
}
# Anything else is a dotted path to another backend, e.g. an e-mail service provider's.
_backend, _options = _MAIL_BACKENDS.get(EMAIL_BACKEND_CHOICE, (EMAIL_BACKEND_CHOICE, {}))
MAILERS = {"default": {"BACKEND": _backend, "OPTIONS": _options}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Region Jämtland Härjedalen <bidrag@regionjh.se>"
)

# ImmediateBackend runs a task at once (tests, demo); production runs the database-backed worker
# (`manage.py db_worker`) with TASK_BACKEND=django_tasks_db.DatabaseBackend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASK_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# Four-eyes: the presenter (föredragande) may not decide a case whose amount is above this.
FOUR_EYES_ABOVE = int(os.environ.get("FOUR_EYES_ABOVE", "0"))

# The issuing authority, shown on letters and in payment files.
REGION = {
    "name": "Region Jämtland Härjedalen",
    "address": ["Box 654", "831 27 Östersund"],
    "org_number": "232100-0214",
    # The account payments are made from (pain.001's debtor): its Bankgiro number, or an IBAN
    # when set, and the bank's BIC. The demo's are made up but valid.
    "bankgiro": os.environ.get("REGION_BANKGIRO", "5050-1006"),
    "iban": os.environ.get("REGION_IBAN", ""),
    "bic": os.environ.get("REGION_BIC", "HANDSESS"),
    # How the bank knows the region as initiator of the file (default: the org. no.).
    "initiator_id": os.environ.get("REGION_BANK_INITIATOR_ID", ""),
    # The ledger (SIE): the bank account the grants are paid from.
    "ledger_bank_account": os.environ.get("REGION_LEDGER_BANK_ACCOUNT", "1930"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.tasks": {"level": "WARNING"},
        # django-axes reports every login at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every stage of every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
