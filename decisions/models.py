"""Decisions, delegation, payments, repayment claims and follow-up reports (DESIGN §5–§7)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from decisions.workflow import (
    BatchState,
    BatchWorkflow,
    PaymentState,
    PaymentWorkflow,
    RepaymentWorkflow,
)
from grants.models import MONEY, Application, Programme
from organisations.files import private_storage
from organisations.models import PayoutAccount, StoredFile


class DelegationRule(models.Model):
    """A decision maker's (or a group's) right to decide up to an amount, in a programme or all."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegation_rules",
        verbose_name=_("user"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegation_rules",
        verbose_name=_("programme"),
        help_text=_("Leave empty for every programme."),
    )
    max_amount = models.DecimalField(_("maximum amount (SEK)"), **MONEY)
    reference = models.CharField(
        _("delegation reference"),
        max_length=200,
        help_text=_("The point in the delegation rules, as cited in the letter."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("delegation rule")
        verbose_name_plural = _("delegation rules")
        ordering = ["max_amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount__gt=0), name="delegationrule_amount_positive"
            ),
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(user__isnull=True))
                | (Q(group__isnull=True) & Q(user__isnull=False)),
                name="delegationrule_group_xor_user",
            ),
        ]

    def __str__(self):
        holder = self.user or self.group
        scope = self.programme or _("all programmes")
        return f"{holder}: {scope} ≤ {self.max_amount} kr ({self.reference})"


class CommitteeDecision(models.Model):
    """The proposals of one call decided together at a committee meeting (samlingsbeslut).

    The decision list (the minutes' appendix) is rendered once after the decisions commit,
    stored with its SHA-256 and never changed.
    """

    call = models.ForeignKey(
        "grants.Call",
        on_delete=models.PROTECT,
        related_name="committee_decisions",
        verbose_name=_("call"),
    )
    body = models.CharField(_("committee"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    paragraph = models.CharField(_("minutes §"), max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    decision_list = models.FileField(
        _("decision list"), upload_to="decision-lists/%Y/", storage=private_storage, blank=True
    )
    decision_list_sha256 = models.CharField(_("decision list SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        ordering = ["-meeting_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "meeting_date", "paragraph"], name="committee_decision_unique"
            ),
        ]

    def __str__(self):
        # The paragraph is stored as written in the minutes, "§ 87".
        return f"{self.body} {self.meeting_date} {self.paragraph}"


class Decision(models.Model):
    """The decision on an application; the letter is rendered from ``snapshot`` only."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        APPROVED_PARTLY = "approved_partly", _("Approved in part")
        REJECTED = "rejected", _("Rejected")
        DISMISSED = "dismissed", _("Dismissed")

    GRANTING = (Outcome.APPROVED, Outcome.APPROVED_PARTLY)

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    amount = models.DecimalField(_("granted amount (SEK)"), **MONEY)
    requested_amount = models.DecimalField(_("requested amount (SEK)"), **MONEY)
    reasons = models.TextField(_("reasons"))
    conditions = models.TextField(_("conditions"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decisions_made",
        verbose_name=_("decided by"),
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decisions_presented",
        verbose_name=_("presenter"),
    )
    delegation_rule = models.ForeignKey(
        DelegationRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("delegation rule"),
    )
    delegation_reference = models.CharField(_("delegation reference"), max_length=200, blank=True)
    committee_body = models.CharField(_("committee"), max_length=200, blank=True)
    committee_meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    committee_paragraph = models.CharField(_("minutes §"), max_length=20, blank=True)
    committee_decision = models.ForeignKey(
        CommitteeDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("committee decision"),
    )
    decision_date = models.DateField(_("decision date"))
    report_due_date = models.DateField(_("report due"), null=True, blank=True)
    letter_language = models.CharField(_("letter language"), max_length=2, default="sv")
    snapshot = models.JSONField(_("snapshot"), default=dict, encoder=DjangoJSONEncoder)
    letter = models.FileField(
        _("letter"), upload_to="letters/%Y/", storage=private_storage, blank=True
    )
    letter_sha256 = models.CharField(_("letter SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome__in=["approved", "approved_partly"]) & Q(amount__gt=0))
                | (Q(outcome__in=["rejected", "dismissed"]) & Q(amount=0)),
                name="decision_amount_matches_outcome",
            ),
            models.CheckConstraint(
                condition=Q(amount__lte=F("requested_amount")),
                name="decision_amount_at_most_requested",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gt=0), name="decision_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(delegation_rule__isnull=False)
                | (
                    Q(committee_meeting_date__isnull=False)
                    & ~Q(committee_body="")
                    & ~Q(committee_paragraph="")
                ),
                name="decision_by_delegation_or_committee",
            ),
        ]
        indexes = [models.Index(fields=["decision_date"])]

    def __str__(self):
        return f"{self.application.case_number}: {self.get_outcome_display()}"

    @property
    def is_grant(self) -> bool:
        return self.outcome in self.GRANTING

    @property
    def is_committee_decision(self) -> bool:
        return self.committee_meeting_date is not None


class LetterText(models.Model):
    """A part of the letters that administrators word for a programme, or for every programme.

    A letter takes the programme's own text, else the one for every programme, else the
    built-in default (``decisions.letter_texts``). The text is copied into the decision's
    snapshot when the decision is made, so editing it never changes a letter already sent.
    """

    class Part(models.TextChoices):
        CONDITIONS = "conditions", _("Standard conditions of a grant")
        REPORT = "report", _("What the final report must contain")
        REPAYMENT = "repayment", _("When the grant may be claimed back")
        APPEAL = "appeal", _("How to appeal")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_texts",
        verbose_name=_("programme"),
        help_text=_("Leave empty for every programme that has no text of its own."),
    )
    part = models.CharField(_("part of the letter"), max_length=20, choices=Part.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Application.LetterLanguage.choices
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "As the letter prints it. A blank line starts a new paragraph; lines that begin "
            "with a dash are printed as a list."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        ordering = ["programme__name_sv", "part", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "part", "language"],
                condition=Q(programme__isnull=False),
                name="lettertext_unique_per_programme",
            ),
            models.UniqueConstraint(
                fields=["part", "language"],
                condition=Q(programme__isnull=True),
                name="lettertext_unique_for_all",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="lettertext_not_empty"),
        ]

    def __str__(self):
        scope = self.programme or _("every programme")
        return f"{self.get_part_display()} ({self.language}): {scope}"


class PaymentBatch(BatchWorkflow):
    """A payment batch (utbetalningsunderlag): created by one finance officer, attested by another."""

    payment_date = models.DateField(_("payment date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at"]
        permissions = [("attest_paymentbatch", _("Can attest payment batches"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(attested_by__isnull=True) | ~Q(attested_by=F("created_by")),
                name="paymentbatch_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[BatchState.DRAFT, BatchState.CANCELLED])
                | Q(attested_by__isnull=False),
                name="paymentbatch_attested_by_someone",
            ),
        ]

    def __str__(self):
        return _("Payment batch %(id)s, %(date)s") % {"id": self.pk, "date": self.payment_date}


class Payment(PaymentWorkflow):
    """An instalment of a decided grant; the payee is copied onto it when it is batched."""

    class Trigger(models.TextChoices):
        ON_DECISION = "on_decision", _("On the decision")
        ON_REQUEST = "on_request", _("On requisition")
        ON_REPORT_ACCEPTED = "on_report_accepted", _("When the final report is accepted")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    instalment = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount (SEK)"), **MONEY)
    trigger = models.CharField(_("paid"), max_length=30, choices=Trigger.choices)
    requested_at = models.DateTimeField(_("requisitioned"), null=True, blank=True)
    payout_account = models.ForeignKey(
        PayoutAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("payout account"),
    )
    payee_name = models.CharField(_("payee"), max_length=200, blank=True)
    payee_org_number = models.CharField(_("payee org. no."), max_length=11, blank=True)
    payee_account_kind = models.CharField(
        _("account kind"), max_length=20, choices=PayoutAccount.Kind.choices, blank=True
    )
    payee_account_number = models.CharField(_("account number"), max_length=40, blank=True)
    payee_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["decision", "instalment"]
        permissions = [("manage_payments", _("Can manage payments and payment batches"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["decision", "instalment"], name="payment_instalment_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[PaymentState.PLANNED, PaymentState.PAYABLE])
                | Q(state=PaymentState.CANCELLED)
                | Q(payout_account__isnull=False),
                name="payment_batched_has_payee",
            ),
        ]
        indexes = [models.Index(fields=["state", "trigger"])]

    def __str__(self):
        return _("Payment %(instalment)s of %(case)s: %(amount)s kr") % {
            "instalment": self.instalment,
            "case": self.decision.application.case_number,
            "amount": self.amount,
        }


class PaymentBatchItem(models.Model):
    """A payment's place in a batch. A payment is in at most one batch that is not cancelled."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="batch_items")
    active = models.BooleanField(
        _("active"), default=True, help_text=_("False once the batch is cancelled.")
    )

    class Meta:
        verbose_name = _("payment in batch")
        verbose_name_plural = _("payments in batch")
        constraints = [
            models.UniqueConstraint(
                fields=["payment"], condition=Q(active=True), name="payment_in_one_active_batch"
            ),
            models.UniqueConstraint(fields=["batch", "payment"], name="batchitem_unique"),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.payment_id}"


class BatchExport(models.Model):
    """A file made from an attested payment batch, stored once with its SHA-256: every later
    download of the format gives these same bytes."""

    class Format(models.TextChoices):
        CSV = "csv", _("Payment list (CSV)")
        XLSX = "xlsx", _("Payment list (Excel)")
        PAIN001 = "pain001", _("Bank file (ISO 20022 pain.001)")
        SIE = "sie", _("Ledger file (SIE 4I)")

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="exports")
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file = models.FileField(_("file"), upload_to="batches/%Y/", storage=private_storage)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment batch file")
        verbose_name_plural = _("payment batch files")
        ordering = ["batch", "format"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "format"], name="batchexport_one_per_format"),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.get_format_display()}"


class RepaymentClaim(RepaymentWorkflow):
    """A claim to pay back part or all of a grant (återkrav)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="repayment_claims"
    )
    amount = models.DecimalField(_("amount (SEK)"), **MONEY)
    reasons = models.TextField(_("reasons"))
    due_date = models.DateField(_("due date"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    settlement_note = models.TextField(_("settlement note"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, encoder=DjangoJSONEncoder)
    letter = models.FileField(
        _("letter"), upload_to="repayments/%Y/", storage=private_storage, blank=True
    )
    letter_sha256 = models.CharField(_("letter SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("repayment claim")
        verbose_name_plural = _("repayment claims")
        ordering = ["-claimed_at"]
        permissions = [("settle_repaymentclaim", _("Can settle repayment claims"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]

    def __str__(self):
        return _("Repayment claim %(amount)s kr, %(case)s") % {
            "amount": self.amount,
            "case": self.decision.application.case_number,
        }


#: The age groups and genders the report counts participants by, as the national cultural
#: statistics ask (DESIGN §7); the keys of ``FollowUpReport.participants``.
PARTICIPANT_AGE_GROUPS = [
    ("0-12", _("0–12 years")),
    ("13-19", _("13–19 years")),
    ("20-64", _("20–64 years")),
    ("65+", _("65 years and over")),
]
PARTICIPANT_GENDERS = [
    ("women", _("Women")),
    ("men", _("Men")),
    ("other", _("Other or not stated")),
]


class FollowUpReport(models.Model):
    """The grantee's follow-up report (slutredovisning) on what the grant achieved."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="follow_up_report"
    )
    due_date = models.DateField(_("due date"))
    what_was_done = models.TextField(_("what was done"), blank=True)
    participants = models.JSONField(
        _("participants"),
        default=dict,
        blank=True,
        help_text=_('By age group and gender, e.g. {"0-12": {"women": 10, "men": 8, "other": 1}}.'),
    )
    target_groups = models.JSONField(_("target groups reached"), default=list, blank=True)
    municipalities = models.JSONField(_("municipalities reached"), default=list, blank=True)
    activities_count = models.PositiveIntegerField(_("number of activities"), null=True, blank=True)
    perspectives = models.JSONField(
        _("the five perspectives in practice"), default=dict, blank=True
    )
    actual_budget = models.JSONField(
        _("actual costs and income"),
        default=list,
        blank=True,
        help_text=_('Lines of {"kind", "category", "description", "amount"}.'),
    )
    used_amount = models.DecimalField(_("grant used (SEK)"), null=True, blank=True, **MONEY)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_amount__isnull=True) | Q(used_amount__gte=0),
                name="report_used_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["due_date", "submitted_at"])]

    def __str__(self):
        return _("Follow-up report, %(case)s") % {"case": self.decision.application.case_number}

    def missing_parts(self) -> list[str]:
        """Return what the report still lacks before it can be submitted, in plain words."""
        missing = []
        if not self.what_was_done.strip():
            missing.append(str(_("what was done")))
        if not self.participants:
            missing.append(str(_("participants by age group and gender")))
        if not self.municipalities:
            missing.append(str(_("municipalities reached")))
        if not self.actual_budget:
            missing.append(str(_("actual costs and income")))
        if self.used_amount is None:
            missing.append(str(_("the amount of the grant used")))
        return missing

    def is_complete(self) -> bool:
        return not self.missing_parts()


def report_attachment_path(instance, filename):
    return f"reports/{instance.report_id}/{filename}"


class ReportAttachment(StoredFile):
    """A file attached to a follow-up report."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=report_attachment_path, storage=private_storage)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self):
        return self.original_name


class Reminder(models.Model):
    """A reminder about a follow-up report e-mailed to the grantee, recorded so each is sent once.

    A reminder is about one due date: a completion request's new due date gets reminders of its
    own. When each kind is sent is declared once, in ``decisions.reminders.STEPS``.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        DUE = "due", _("On the due date")
        OVERDUE = "overdue", _("Overdue")
        OVERDUE_AGAIN = "overdue_again", _("Still overdue")

    report = models.ForeignKey(
        FollowUpReport,
        on_delete=models.PROTECT,
        related_name="reminders",
        verbose_name=_("follow-up report"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_date = models.DateField(_("due date reminded of"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            # Each reminder once, even when two runs of send_reminders overlap.
            models.UniqueConstraint(
                fields=["report", "kind", "due_date"], name="reminder_once_per_due_date"
            ),
        ]

    def __str__(self):
        return _("Reminder for %(case)s: %(kind)s (due %(date)s)") % {
            "kind": self.get_kind_display(),
            "case": self.report.decision.application.case_number,
            "date": self.due_date,
        }
