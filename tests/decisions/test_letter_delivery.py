"""Storing and sending letters (decisions.delivery): after the decision commits, its letter is
rendered once, stored with its SHA-256 and e-mailed to the organisation; a re-run keeps it."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from audit.services import entries_for
from decisions import services as decision_services
from decisions.delivery import (
    decision_letter_send,
    letter_filename,
    repayment_letter_filename,
    repayment_letter_send,
)
from decisions.letters import DecisionLetter, file_stem, render_decision_letter
from decisions.models import Decision, RepaymentClaim
from decisions.services import CommitteeMeeting
from decisions.workflow import PaymentState
from grants import services
from grants.models import Application
from organisations.services import membership_add
from tests import factories


def stored(obj) -> bytes:
    with obj.letter.open("rb") as file:
        return file.read()


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def letter_attachments(message) -> list:
    return [a for a in message.attachments if a[0].endswith(".pdf")]


@pytest.fixture
def co_signatory(organisation, applicant):
    """A second signatory of the organisation: the decision goes to every signatory."""
    person = factories.user("kassor@example.org", full_name="Kim Kassör")
    membership_add(organisation=organisation, user=person, role="signatory", actor=applicant)
    return person


@pytest.fixture
def proposal_by_member(organisation, call, member, applicant, officer):
    """A proposal written by a member (not a signatory) and submitted by the signatory."""
    draft = factories.draft(organisation, call, member)
    submitted = services.application_submit(application=draft, actor=applicant)
    under_review = services.application_start_review(application=submitted, actor=officer)
    return factories.assess(under_review, officer)


def decide_and_deliver(capture, application, actor, outcome="approved", **kwargs) -> Decision:
    """Decide and run what is queued on commit: the task that stores and sends the letter."""
    with capture(execute=True):
        decision = factories.decide(application, actor, outcome, **kwargs)
    return Decision.objects.get(pk=decision.pk)


# After the decision commits


def test_the_decision_stores_its_letter_and_mails_it_to_signatories_and_author(
    django_capture_on_commit_callbacks,
    proposal_by_member,
    decider,
    delegation,
    applicant,
    co_signatory,
    member,
):
    decision = decide_and_deliver(django_capture_on_commit_callbacks, proposal_by_member, decider)

    content = stored(decision)
    assert decision.letter.name
    assert content.startswith(b"%PDF-")
    assert decision.letter_sha256 == hashlib.sha256(content).hexdigest()
    assert content == render_decision_letter(decision)
    (entry,) = entries_for(decision).filter(action="decisions.decision.letter_stored")
    assert entry.actor is None
    assert entry.data == {"sha256": decision.letter_sha256, "size": len(content)}

    (message,) = mail.outbox
    assert sorted(message.to) == sorted([applicant.email, co_signatory.email, member.email])
    stem = file_stem(decision.application.case_number)
    assert letter_filename(decision) == f"beslut-{stem}.pdf"
    ((name, attached, mimetype),) = letter_attachments(message)
    assert (name, mimetype) == (f"beslut-{stem}.pdf", "application/pdf")
    assert attached == content
    assert len(message.attachments) == 1


def test_the_letter_is_not_in_storage_before_the_decision_commits(proposed, decider, delegation):
    decision = factories.decide(proposed, decider)

    assert not Decision.objects.get(pk=decision.pk).letter
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_decision_mail_is_in_the_letter_language(
    django_capture_on_commit_callbacks, proposed, decider, delegation, language
):
    Application.objects.filter(pk=proposed.pk).update(letter_language=language)

    decision = decide_and_deliver(django_capture_on_commit_callbacks, proposed, decider)

    (message,) = mail.outbox
    case_number = decision.application.case_number
    with translation.override(language):
        assert message.subject == gettext("Decision on your application %(case_number)s") % {
            "case_number": case_number
        }
        assert f"{gettext('Case number')}: {case_number}" in message.body
        assert f"{gettext('Granted amount')}: 50" in message.body
    assert decision.snapshot["language"] == language
    ((_name, attached, _mimetype),) = letter_attachments(message)
    assert PdfReader(io.BytesIO(attached)).trailer["/Root"]["/Lang"] == language


def test_a_rejection_is_mailed_with_its_letter(
    django_capture_on_commit_callbacks, proposed, decider, delegation, applicant
):
    decision = decide_and_deliver(
        django_capture_on_commit_callbacks,
        proposed,
        decider,
        "rejected",
        reasons="Ansökan ligger utanför programmets syfte.",
    )

    assert decision.letter
    (message,) = mail.outbox
    assert message.to == [applicant.email]
    ((name, attached, _mimetype),) = letter_attachments(message)
    assert name == letter_filename(decision)
    assert attached == stored(decision)
    assert "Ansökan ligger utanför programmets syfte." in pdf_text(attached)


# Once only


def test_sending_again_neither_replaces_the_letter_nor_mails_twice(
    django_capture_on_commit_callbacks, proposed, decider, delegation, applicant
):
    decision = decide_and_deliver(django_capture_on_commit_callbacks, proposed, decider)
    name, digest, content = decision.letter.name, decision.letter_sha256, stored(decision)

    result = decision_letter_send.enqueue(
        decision_id=decision.pk, to=[applicant.email], context={"case_number": "x"}
    )
    returned = decision_letter_send.call(
        decision_id=decision.pk, to=[applicant.email], context={"case_number": "x"}
    )

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == returned == digest
    again = Decision.objects.get(pk=decision.pk)
    assert (again.letter.name, again.letter_sha256, stored(again)) == (name, digest, content)
    assert len(mail.outbox) == 1
    assert entries_for(decision).filter(action="decisions.decision.letter_stored").count() == 1


def test_a_letter_that_cannot_be_rendered_is_not_stored_and_the_mail_goes_without_it(
    django_capture_on_commit_callbacks, monkeypatch, proposed, decider, delegation, applicant
):
    def broken(self):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(DecisionLetter, "render", broken)

    decision = decide_and_deliver(django_capture_on_commit_callbacks, proposed, decider)

    assert not decision.letter
    assert decision.letter_sha256 == ""
    assert not entries_for(decision).filter(action="decisions.decision.letter_stored").exists()
    (message,) = mail.outbox
    assert message.to == [applicant.email]
    assert message.attachments == []
    assert decision.application.case_number in message.subject

    # The task fails, so a worker records the failure and it can be run again.
    result = decision_letter_send.enqueue(
        decision_id=decision.pk, to=[applicant.email], context={"case_number": "x"}
    )
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "builtins.RuntimeError"
    # Running it again does not send the organisation the same e-mail again.
    assert len(mail.outbox) == 1
    notice = "decisions.decision.notice_sent_without_letter"
    assert entries_for(decision).filter(action=notice).count() == 1
    with pytest.raises(RuntimeError, match="no fonts"):
        decision_letter_send.call(decision_id=decision.pk, to=[applicant.email], context={})
    assert not Decision.objects.get(pk=decision.pk).letter
    assert len(mail.outbox) == 1

    # Once rendering works again, a re-run stores the letter and sends it.
    monkeypatch.undo()
    mail.outbox.clear()
    decision_letter_send.call(decision_id=decision.pk, to=[applicant.email], context={})
    decision = Decision.objects.get(pk=decision.pk)
    assert decision.letter
    (message,) = mail.outbox
    assert letter_attachments(message)[0][1] == stored(decision)


# Many at once


def test_a_committee_decision_stores_one_letter_per_case(
    django_capture_on_commit_callbacks, call, officer, secretary
):
    proposals = [
        factories.proposal(call, officer),
        factories.proposal(call, officer, amount="30000", recommendation="approve_partly"),
        factories.proposal(call, officer, recommendation="reject"),
    ]
    meeting = CommitteeMeeting(
        body="Regionala utvecklingsnämnden",
        meeting_date=timezone.localdate() - timedelta(days=1),
        paragraph="§ 12",
    )

    with django_capture_on_commit_callbacks(execute=True):
        record = decision_services.committee_decide(
            applications=proposals, actor=secretary, committee=meeting
        )

    decisions = list(record.decisions.select_related("application").order_by("pk"))
    assert len(decisions) == 3
    for decision in decisions:
        content = stored(decision)
        assert decision.letter_sha256 == hashlib.sha256(content).hexdigest()
        assert "§ 12" in pdf_text(content)
    assert len({decision.letter_sha256 for decision in decisions}) == 3
    letters = {
        attachment[0]: attachment[1]
        for message in mail.outbox
        for attachment in letter_attachments(message)
    }
    assert letters == {letter_filename(decision): stored(decision) for decision in decisions}
    assert len(mail.outbox) == 3


# The repayment letter


@pytest.fixture
def paid(approved, finance, finance_2):
    """The approved case with its first instalment (40 000 of 50 000 kr) paid out."""
    payable = approved.decision.payments.filter(state=PaymentState.PAYABLE)
    factories.pay_out(payable, finance, finance_2)
    return approved


def test_a_repayment_claim_stores_its_letter_and_mails_it(
    django_capture_on_commit_callbacks, paid, decider, applicant
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = factories.repayment_claim(paid.decision, decider, amount=Decimal("20000"))

    claim = RepaymentClaim.objects.get(pk=claim.pk)
    content = stored(claim)
    assert content.startswith(b"%PDF-")
    assert claim.letter_sha256 == hashlib.sha256(content).hexdigest()
    (entry,) = entries_for(claim).filter(action="decisions.repayment.letter_stored")
    assert entry.data == {"sha256": claim.letter_sha256, "size": len(content)}
    repayment_mails = [m for m in mail.outbox if letter_attachments(m)]
    (message,) = repayment_mails
    assert message.to == [applicant.email]
    stem = file_stem(paid.case_number)
    assert repayment_letter_filename(claim) == f"aterkrav-{stem}-{claim.pk}.pdf"
    ((name, attached, mimetype),) = letter_attachments(message)
    assert (name, mimetype, attached) == (
        repayment_letter_filename(claim),
        "application/pdf",
        content,
    )
    assert "Hälften av föreställningarna ställdes in." in pdf_text(content)

    # A re-run keeps the letter and sends nothing.
    repayment_letter_send.call(claim_id=claim.pk, to=[applicant.email], context={})
    assert RepaymentClaim.objects.get(pk=claim.pk).letter_sha256 == claim.letter_sha256
    assert len([m for m in mail.outbox if letter_attachments(m)]) == 1
