"""Every applicant page reads wholly in the language asked for (issue 3, item 9).

The catalogue test (test_translations.py) proves every marked string has a Swedish translation;
this one proves the pages use them: a Swedish page shows none of the catalogue's English source
texts, and an English page none of its Swedish translations. A string left unmarked, or marked
but shown without translation, is found here.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.translation import trans_real

from grants import services
from tests import factories

#: Shorter texts (“Budget”, “Status”) are the same in both languages or too common to tell.
MIN_LENGTH = 18


class _Text(HTMLParser):
    """Collect the text a person reads: element text and the labels of buttons and fields."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip = 0

    # A textarea holds what is typed, not the page's own text: the assessment suggests the
    # letter's conditions in the letter's language, whatever the officer reads the page in.
    SKIPPED = {"script", "style", "textarea"}

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip += 1
        values = dict(attrs)
        for name in ("aria-label", "title", "placeholder", "alt"):
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _catalogue() -> list[tuple[str, str]]:
    """Return (English, Swedish) pairs that differ and that no placeholder splits."""
    catalog = trans_real.translation("sv")._catalog
    pairs = []
    for english, swedish in catalog.items():
        if not isinstance(english, str) or not english or english == swedish:
            continue
        if "%" in english or "{" in english or "<" in english:
            continue
        english, swedish = " ".join(english.split()), " ".join(swedish.split())
        if len(english) >= MIN_LENGTH and len(swedish) >= MIN_LENGTH:
            pairs.append((english, swedish))
    return pairs


@pytest.fixture
def pages(organisation, call, applicant, member):
    """Return the applicant pages of every kind, with a draft and a submitted application."""
    draft = factories.draft(organisation, call, applicant)
    submitted = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    steps = ["project", "activity", "perspectives", "budget", "attachments", "review"]
    return [
        reverse("start"),
        reverse("calls:detail", args=[call.pk]),
        reverse("portal:dashboard"),
        reverse("portal:application", args=[draft.pk]),
        reverse("portal:application", args=[submitted.pk]),
        reverse("portal:withdraw", args=[submitted.pk]),
        reverse("apply:start", args=[call.pk]),
        *[reverse("apply:step", args=[draft.pk, step]) for step in steps],
        reverse("apply:receipt", args=[submitted.pk]),
        reverse("accounts:account"),
        reverse("accounts:password_change"),
        reverse("organisations:register"),
        reverse("organisations:detail", args=[organisation.pk]),
        reverse("organisations:payout_account", args=[organisation.pk]),
        reverse("organisations:documents", args=[organisation.pk]),
        reverse("organisations:invite", args=[organisation.pk]),
        reverse("accessibility"),
    ]


def _read(client, path: str, language: str) -> str:
    # The paths were reversed in English (the tests' language, under /en/): put them in this one.
    swedish = path.removeprefix("/en")
    localised = swedish if language == "sv" else f"/en{swedish}"
    response = client.get(localised)
    assert response.status_code == 200, localised
    return visible_text(response.content.decode())


def test_swedish_pages_show_no_english_source_text(client, applicant, pages):
    client.force_login(applicant)
    pairs = _catalogue()
    assert len(pairs) > 300  # the catalogue was read

    for path in pages:
        text = _read(client, path, "sv")
        left = [english for english, _swedish in pairs if english in text]
        assert not left, f"{path} shows English: {left}"


def test_english_pages_show_no_swedish_translation(client, applicant, pages):
    client.force_login(applicant)
    pairs = _catalogue()

    for path in pages:
        text = _read(client, path, "en")
        left = [swedish for _english, swedish in pairs if swedish in text]
        assert not left, f"{path} shows Swedish: {left}"


def test_anonymous_pages_in_both_languages(client):
    pairs = _catalogue()
    for name in ("accounts:login", "accounts:signup", "accounts:password_reset"):
        swedish = _read(client, reverse(name), "sv")
        english = _read(client, reverse(name), "en")
        assert not [e for e, _ in pairs if e in swedish], name
        assert not [s for _, s in pairs if s in english], name


@pytest.fixture
def officer_pages(officer, decider, secretary, delegation, call, organisation, applicant):
    """Return the officer workspace's pages, each with the staff user who reads it."""
    from datetime import date

    from decisions.services import CommitteeMeeting, committee_decide

    submitted = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    under_review = services.application_start_review(
        application=services.application_submit(
            application=factories.draft(organisation, call, applicant), actor=applicant
        ),
        actor=officer,
    )
    proposed = factories.proposal(call, officer)
    services.internal_note_add(application=proposed, actor=officer, body="Ringt föreningen.")
    committee = committee_decide(
        applications=[factories.proposal(call, officer, requested="150000")],
        actor=secretary,
        committee=CommitteeMeeting("Regionala utvecklingsnämnden", date(2026, 11, 19), "§ 90"),
    )
    return [
        (officer, reverse("casework:queue")),
        (officer, reverse("casework:queue") + f"?q=Storsjö&call={call.pk}"),
        (officer, reverse("casework:case", args=[submitted.pk])),
        (officer, reverse("casework:case", args=[under_review.pk])),
        (officer, reverse("casework:case", args=[proposed.pk])),
        (officer, reverse("casework:request_completion", args=[under_review.pk])),
        (officer, reverse("casework:declare_conflict", args=[under_review.pk])),
        (officer, reverse("casework:assess", args=[under_review.pk])),
        (officer, reverse("deciding:calls")),
        (officer, reverse("deciding:call", args=[call.pk])),
        (decider, reverse("deciding:proposals")),
        (decider, reverse("deciding:decide", args=[proposed.pk])),
        (decider, reverse("deciding:return", args=[proposed.pk])),
        (secretary, reverse("deciding:committee")),
        (secretary, reverse("deciding:committee") + f"?call={call.pk}"),
        (secretary, reverse("deciding:committee_decision", args=[committee.pk])),
    ]


def test_officer_pages_read_wholly_in_each_language(client, officer_pages):
    pairs = _catalogue()

    for user, path in officer_pages:
        client.force_login(user)
        swedish = _read(client, path, "sv")
        english = _read(client, path, "en")
        assert not [e for e, _ in pairs if e in swedish], f"{path} shows English"
        assert not [s for _, s in pairs if s in english], f"{path} shows Swedish"
