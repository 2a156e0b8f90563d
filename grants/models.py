"""Programmes, calls, applications and their assessment (DESIGN §4)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from grants.workflow import ApplicationState, ApplicationWorkflow
from organisations.files import private_storage
from organisations.models import Municipality, Organisation, OrganisationDocument, StoredFile

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class StrategyArea(models.TextChoices):
    """The development areas of the region's democracy strategy."""

    CULTURE_CIVIL_SOCIETY = "culture_civil_society", _("Culture and civil society")
    CARE = "care", _("Good and close care")
    DIALOGUE = "dialogue", _("Stronger dialogue with citizens")
    COMMUNICATION = "communication", _("Stronger communication")
    THREATS_HATE = "threats_hate", _("Work against threats and hate")
    INTERNAL = "internal", _("Internal processes")


class TargetGroup(models.TextChoices):
    CHILDREN_YOUTH = "children_youth", _("Children and young people")
    OLDER_PEOPLE = "older_people", _("Older people")
    DISABILITIES = "disabilities", _("People with disabilities")
    NATIONAL_MINORITIES = "national_minorities", _("National minorities")
    SAMI = "sami", _("The Sami")
    NEWLY_ARRIVED = "newly_arrived", _("Newly arrived")
    EVERYONE = "everyone", _("Everyone")


class Perspective(models.TextChoices):
    """The five perspectives for sustainable development in the region's strategy."""

    ACCESSIBILITY = "accessibility", _("Accessibility")
    CHILDREN_YOUTH = "children_youth", _("Child and youth perspective")
    GENDER_EQUALITY = "gender_equality", _("Gender equality")
    EQUALITY = "equality", _("Equality")
    INDIGENOUS_MINORITY = "indigenous_minority", _("Indigenous and minority perspective")


class AttachmentKind(models.TextChoices):
    """What a programme can require; the organisation document kinds are met by yearly documents."""

    PROJECT_PLAN = "project_plan", _("Project plan")
    BUDGET_SPECIFICATION = "budget_specification", _("Budget specification")
    ACTIVITY_PLAN = "activity_plan", _("Activity plan")
    COOPERATION_LETTER = "cooperation_letter", _("Letter of intent from a partner")
    CV = "cv", _("CV of the artist or project manager")
    WORK_SAMPLE = "work_sample", _("Work sample")
    STATUTES = "statutes", _("Statutes")
    ANNUAL_MEETING_MINUTES = "annual_meeting_minutes", _("Annual meeting minutes")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    ACTIVITY_REPORT = "activity_report", _("Activity report")
    OTHER = "other", _("Other")


ORGANISATION_DOCUMENT_KINDS = set(OrganisationDocument.Kind.values)


class ApplicationPart(models.TextChoices):
    """The parts of an application, one per step of the form; a completion request names some."""

    PROJECT = "project", _("The project")
    ACTIVITY = "activity", _("Activity, period and target groups")
    PERSPECTIVES = "perspectives", _("Perspectives and Agenda 2030")
    BUDGET = "budget", _("Budget")
    ATTACHMENTS = "attachments", _("Attachments")


class Programme(models.Model):
    """A form of grant (bidragsform) with its rules."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project grant")
        OPERATING = "operating", _("Operating grant")
        EVENT = "event", _("Event support")
        OTHER = "other", _("Other")

    class AppealKind(models.TextChoices):
        MUNICIPAL_LAW = "municipal_law", _("Judicial review under the Local Government Act")
        ADMINISTRATIVE = "administrative", _("Administrative appeal (state-funded programmes)")

    class PaymentTrigger(models.TextChoices):
        ON_DECISION = "on_decision", _("On the decision")
        ON_REQUEST = "on_request", _("On the grantee's requisition")
        ON_REPORT_ACCEPTED = "on_report_accepted", _("When the final report is accepted")

    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    strategy_area = models.CharField(
        _("strategy area"),
        max_length=30,
        choices=StrategyArea.choices,
        default=StrategyArea.CULTURE_CIVIL_SOCIETY,
    )
    eligible_org_types = models.JSONField(
        _("eligible organisation types"),
        default=list,
        help_text=_("Codes of the organisation types that may apply."),
    )
    min_amount = models.DecimalField(_("minimum amount (SEK)"), **MONEY)
    max_amount = models.DecimalField(_("maximum amount (SEK)"), **MONEY)
    cofinancing_share = models.DecimalField(
        _("required co-financing share"),
        max_digits=4,
        decimal_places=3,
        default=ZERO,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the total cost the applicant must finance elsewhere, 0–1."),
    )
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    payment_plan = models.JSONField(
        _("payment plan template"),
        default=list,
        help_text=_('Instalments, e.g. [{"share": "0.8", "trigger": "on_decision"}, ...].'),
    )
    report_due_months = models.PositiveSmallIntegerField(
        _("report due, months after the activity ends"), default=2
    )
    account = models.CharField(_("account"), max_length=10)
    cost_centre = models.CharField(_("cost centre"), max_length=20)
    activity_code = models.CharField(_("activity"), max_length=20, blank=True)
    project_code = models.CharField(_("project"), max_length=20, blank=True)
    case_prefix = models.CharField(_("case number prefix"), max_length=10)
    appeal_kind = models.CharField(
        _("appeal text"),
        max_length=20,
        choices=AppealKind.choices,
        default=AppealKind.MUNICIPAL_LAW,
    )
    publish_grants = models.BooleanField(_("publish granted support"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name_sv"]
        constraints = [
            models.CheckConstraint(condition=Q(min_amount__gt=0), name="programme_min_positive"),
            models.CheckConstraint(
                condition=Q(max_amount__gte=models.F("min_amount")),
                name="programme_max_at_least_min",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_sv

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" else self.description_sv


class Criterion(models.Model):
    """An assessment criterion of a programme, with its weight in the weighted score."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=4, decimal_places=2, validators=[MinValueValidator(0)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_sv


class Call(models.Model):
    """A call for applications (utlysning) within a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    budget = models.DecimalField(_("budget (SEK)"), **MONEY)
    planned_decision_date = models.DateField(_("planned decision date"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="call_budget_positive"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_sv

    def is_open(self, at=None) -> bool:
        """Return whether the call accepts submissions at the given moment (default: now)."""
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class Application(ApplicationWorkflow):
    """An organisation's application to a call, carried through its lifecycle by the workflow."""

    class LetterLanguage(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_applications",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    activity_starts = models.DateField(_("activity starts"), null=True, blank=True)
    activity_ends = models.DateField(_("activity ends"), null=True, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    municipalities = models.JSONField(
        _("municipalities where the activity takes place"), default=list, blank=True
    )
    perspectives = models.JSONField(
        _("the five perspectives"),
        default=dict,
        blank=True,
        help_text=_("The applicant's own account, by perspective."),
    )
    agenda_goals = models.JSONField(_("Agenda 2030 goals"), default=list, blank=True)
    requested_amount = models.DecimalField(
        _("requested amount (SEK)"), null=True, blank=True, **MONEY
    )
    letter_language = models.CharField(
        _("letter language"), max_length=2, choices=LetterLanguage.choices, default="sv"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
        null=True,
        blank=True,
        verbose_name=_("assigned officer"),
    )
    case_number = models.CharField(
        _("case number"), max_length=30, unique=True, null=True, blank=True
    )
    submission_requested_at = models.DateTimeField(_("submission requested"), null=True, blank=True)
    submission_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("submission requested by"),
    )
    submitted_copy = models.FileField(
        _("copy as submitted (PDF)"),
        upload_to="applications/submitted/",
        storage=private_storage,
        blank=True,
    )
    submitted_copy_sha256 = models.CharField(_("SHA-256 of the copy"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        permissions = [
            ("handle_application", _("Can handle and assess applications")),
            ("decide_application", _("Can decide applications within delegation")),
            ("record_committee_decision", _("Can record committee decisions")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="application_requested_positive",
            ),
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT)
                | Q(state=ApplicationState.WITHDRAWN, case_number__isnull=True)
                | Q(case_number__isnull=False),
                name="application_submitted_has_case_number",
            ),
            models.CheckConstraint(
                condition=Q(activity_starts__isnull=True)
                | Q(activity_ends__isnull=True)
                | Q(activity_ends__gte=models.F("activity_starts")),
                name="application_activity_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "state"]),
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["assigned_officer", "state"]),
            models.Index(fields=["-submitted_at"]),
        ]

    def __str__(self):
        return f"{self.case_number or _('Draft')} – {self.title}"

    # Budget

    def budget_totals(self) -> dict[str, Decimal]:
        """Return total costs, other income and the requested amount."""
        totals = {
            row["kind"]: row["total"]
            for row in self.budget_lines.values("kind").annotate(total=Sum("amount"))
        }
        return {
            "costs": totals.get(BudgetLine.Kind.COST) or ZERO,
            "income": totals.get(BudgetLine.Kind.INCOME) or ZERO,
            "requested": self.requested_amount or ZERO,
        }

    def budget_balances(self) -> bool:
        """Return whether costs equal other income plus the requested amount (and are not zero)."""
        totals = self.budget_totals()
        return totals["costs"] > 0 and totals["costs"] == totals["income"] + totals["requested"]

    def cofinancing_sufficient(self) -> bool:
        """Return whether income other than the grant covers the programme's required share."""
        share = self.call.programme.cofinancing_share
        if not share:
            return True
        totals = self.budget_totals()
        return totals["income"] >= (totals["costs"] * share).quantize(Decimal("0.01"))

    # Attachments

    def missing_attachment_kinds(self) -> list[str]:
        """Return the required attachment kinds neither attached nor on file for the organisation.

        Yearly organisation documents count for this year's and last year's applications, since
        an annual report describes the year before.
        """
        required = list(self.call.programme.required_attachments)
        if not required:
            return []
        attached = set(self.attachments.values_list("kind", flat=True))
        year = (self.submitted_at or timezone.now()).year
        on_file = set(
            self.organisation.documents.filter(year__in=[year, year - 1]).values_list(
                "kind", flat=True
            )
        )
        return [
            kind
            for kind in required
            if kind not in attached
            and not (kind in ORGANISATION_DOCUMENT_KINDS and kind in on_file)
        ]

    @property
    def municipality_labels(self) -> list[str]:
        labels = dict(Municipality.choices)
        return [str(labels.get(code, code)) for code in self.municipalities]


COST_CATEGORIES = [
    "fees",
    "premises",
    "travel",
    "marketing",
    "material",
    "accessibility",
    "other_cost",
]


class BudgetLine(models.Model):
    """A cost or an income line of the application's budget; the requested amount is separate."""

    class Kind(models.TextChoices):
        COST = "cost", _("Cost")
        INCOME = "income", _("Income")

    class Category(models.TextChoices):
        FEES = "fees", _("Fees and salaries")
        PREMISES = "premises", _("Premises")
        TRAVEL = "travel", _("Travel and accommodation")
        MARKETING = "marketing", _("Marketing")
        MATERIAL = "material", _("Material and equipment")
        ACCESSIBILITY = "accessibility", _("Accessibility measures")
        OTHER_COST = "other_cost", _("Other costs")
        OWN_CONTRIBUTION = "own_contribution", _("Own contribution")
        OTHER_FUNDER = "other_funder", _("Other funders")
        TICKET_SALES = "ticket_sales", _("Ticket sales and fees")
        SPONSORSHIP = "sponsorship", _("Sponsorship")
        OTHER_INCOME = "other_income", _("Other income")

    COST_CATEGORIES = COST_CATEGORIES

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (SEK)"), **MONEY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "kind", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budgetline_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="cost", category__in=COST_CATEGORIES)
                | (Q(kind="income") & ~Q(category__in=COST_CATEGORIES)),
                name="budgetline_category_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount}"


def attachment_path(instance, filename):
    """Store under the application; the uploaded name is never used on disk."""
    return f"applications/{instance.application_id}/{instance.kind}/{filename}"


class Attachment(StoredFile):
    """A file attached to an application; private, served only to those allowed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class CompletionRequest(models.Model):
    """An officer's request for completion (komplettering) of an application or its report."""

    class Subject(models.TextChoices):
        APPLICATION = "application", _("Application")
        REPORT = "report", _("Final report")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="completion_requests"
    )
    subject = models.CharField(
        _("concerns"), max_length=20, choices=Subject.choices, default=Subject.APPLICATION
    )
    message = models.TextField(_("message"))
    parts = models.JSONField(_("parts to complete"), default=list, blank=True)
    due_date = models.DateField(_("due date"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    reply = models.TextField(_("reply"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("completion request")
        verbose_name_plural = _("completion requests")
        ordering = ["-requested_at"]
        constraints = [
            # At most one unanswered request per application at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True),
                name="completionrequest_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.requested_at:%Y-%m-%d}"


class CaseMessage(models.Model):
    """A message in the case between the applicant's organisation and the officer.

    Both sides see every message; internal notes are not messages.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(_("from the region"))
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read by the recipient"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["application", "created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self):
        return f"{self.application} – {self.created_at:%Y-%m-%d %H:%M}"


class Assessment(models.Model):
    """The officer's assessment (beredning) and proposal; the weighted score is computed."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Approve")
        APPROVE_PARTLY = "approve_partly", _("Approve in part")
        REJECT = "reject", _("Reject")
        DISMISS = "dismiss", _("Dismiss")

    class Rating(models.TextChoices):
        STRENGTHENS = "strengthens", _("Strengthens")
        NEUTRAL = "neutral", _("Neutral")
        WEAKENS = "weakens", _("Weakens")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="assessment"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    perspectives = models.JSONField(
        _("perspectives"),
        default=dict,
        blank=True,
        help_text=_('By perspective: {"rating": ..., "comment": ...}.'),
    )
    agenda_goals = models.JSONField(_("Agenda 2030 goals"), default=list, blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    proposed_amount = models.DecimalField(
        _("proposed amount (SEK)"), null=True, blank=True, **MONEY
    )
    reasons = models.TextField(_("reasons"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gte=0),
                name="assessment_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{_('Assessment')} – {self.application}"

    def weighted_score(self) -> Decimal | None:
        """Return the weighted mean of the criterion scores, 1–5, or None before any score."""
        scores = list(self.scores.select_related("criterion"))
        total_weight = sum((score.criterion.weight for score in scores), ZERO)
        if not total_weight:
            return None
        weighted = sum((score.criterion.weight * score.score for score in scores), ZERO)
        return (weighted / total_weight).quantize(Decimal("0.01"))

    def missing_parts(self) -> list[str]:
        """Return what the assessment still lacks before it can be proposed, in plain words."""
        missing = []
        scored = set(self.scores.values_list("criterion_id", flat=True))
        criteria = self.application.call.programme.criteria.all()
        for criterion in criteria:
            if criterion.id not in scored:
                missing.append(str(_("a score for “%(name)s”") % {"name": criterion.name}))
        for key, label in Perspective.choices:
            if (self.perspectives.get(key) or {}).get("rating") not in self.Rating.values:
                missing.append(str(_("a rating of the perspective “%(name)s”") % {"name": label}))
        if not self.recommendation:
            missing.append(str(_("a recommendation")))
        if not self.reasons.strip():
            missing.append(str(_("reasons")))
        requested = self.application.requested_amount
        amount = self.proposed_amount
        if self.recommendation == self.Recommendation.APPROVE and amount != requested:
            missing.append(str(_("a proposed amount equal to the amount applied for")))
        elif self.recommendation == self.Recommendation.APPROVE_PARTLY and not (
            amount and requested and 0 < amount < requested
        ):
            missing.append(str(_("a proposed amount above 0 and below the amount applied for")))
        return missing

    def is_complete(self) -> bool:
        return not self.missing_parts()


class CriterionScore(models.Model):
    """A score 1–5 with a short comment for one criterion in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterionscore_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="criterionscore_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ConflictOfInterest(models.Model):
    """A declared jäv (KL 6 kap 28–32 §§): the user may not handle the organisation's cases."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="conflict_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation.name}"


class InternalNote(models.Model):
    """A note staff write in a case (tjänsteanteckning); applicants never see it. Never edited."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self):
        return f"{self.application.case_number}: {self.body[:40]}"


class CaseNumberSequence(models.Model):
    """The last case number given per prefix and year; its row is locked while a number is taken."""

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="casenumber_prefix_year"),
        ]

    def __str__(self):
        return f"{self.prefix} {self.year}: {self.last_value}"
