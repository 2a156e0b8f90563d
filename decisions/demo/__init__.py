"""The demo data: reference data from ``fixtures/``, the rest built through the real services.

``load`` is what ``manage.py load_demo`` runs: it loads the users, programmes, criteria and
delegation rules, then lets ``DemoBuilder`` create organisations, calls, applications in every
state, decisions, payments and batches, all in one transaction.
"""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from decisions.demo.builder import Built, DemoBuilder
from grants.models import Application, Programme
from organisations.models import Organisation

FIXTURES = [
    Path(settings.BASE_DIR) / "fixtures" / name
    for name in ("demo_users.json", "demo_contacts.json", "demo_programmes.json")
]

#: The demo users of DESIGN §9, all with the password ``DEMO_PASSWORD``.
DEMO_USERS = [
    "applicant-a@example.org",
    "applicant-b@example.org",
    "member-a@example.org",
    "officer@example.org",
    "officer-2@example.org",
    "decider@example.org",
    "secretary@example.org",
    "finance@example.org",
    "finance-2@example.org",
    "admin@example.org",
]
DEMO_PASSWORD = "bidrag-demo"  # noqa: S105 - the published password of the demo users


def is_loaded() -> bool:
    """Return whether the demo is in the database: applicant A's organisation has applications."""
    return Application.objects.filter(organisation__memberships__user__email=DEMO_USERS[0]).exists()


def holds_other_data() -> bool:
    """Return whether the database holds programmes or organisations the demo did not make."""
    return Programme.objects.exists() or Organisation.objects.exists()


def load(*, say: Callable[[str], None] = lambda line: None) -> Built:
    """Load the reference data and build the rest of the demo, in one transaction."""
    with transaction.atomic():
        call_command("loaddata", *map(str, FIXTURES), verbosity=0)
        say(f"Reference data loaded from {', '.join(path.name for path in FIXTURES)}")
        return DemoBuilder(say=say).build()
