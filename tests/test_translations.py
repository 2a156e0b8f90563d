"""Swedish first, English complete: every string in the Swedish catalogue is translated."""

import subprocess
from pathlib import Path

from django.utils import translation

from grants.workflow import ApplicationState

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def entries(*flags: str) -> list[str]:
    output = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in output.splitlines() if line.startswith("msgid ")][1:]


def test_no_untranslated_or_fuzzy_swedish_strings():
    assert entries("--untranslated") == []
    assert entries("--only-fuzzy") == []


def test_state_labels_are_the_designs():
    with translation.override("sv"):
        labels = [str(label) for _, label in ApplicationState.choices]
    assert labels == [
        "Utkast",
        "Inkommen",
        "Komplettering begärd",
        "Under handläggning",
        "Förslag till beslut",
        "Beviljad",
        "Avslagen",
        "Återtagen",
        "Slutrapport inkommen",
        "Slutrapport ska kompletteras",
        "Återkrav",
        "Avslutad",
    ]
