"""People and the organisations they act for, with their payout accounts and annual documents."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations import validators
from organisations.files import private_storage


class Municipality(models.TextChoices):
    """The county's eight municipalities, valued by their SCB codes."""

    RAGUNDA = "2303", "Ragunda"
    BRACKE = "2305", "Bräcke"
    KROKOM = "2309", "Krokom"
    STROMSUND = "2313", "Strömsund"
    ARE = "2321", "Åre"
    BERG = "2326", "Berg"
    HARJEDALEN = "2361", "Härjedalen"
    OSTERSUND = "2380", "Östersund"
    OUTSIDE_COUNTY = "outside_county", _("Outside the county")


class UserManager(BaseUserManager):
    """Create users who log in with their e-mail address."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person: an applicant, a member of staff or an administrator. Logs in by e-mail."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Shown on decision letters.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    """An applicant: an association, a library, a municipality, a sole trader and so on."""

    class Type(models.TextChoices):
        ASSOCIATION = "association", _("Non-profit association")
        STUDY_ASSOCIATION = "study_association", _("Study association")
        LIBRARY = "library", _("Library")
        FOUNDATION = "foundation", _("Foundation")
        MUNICIPALITY = "municipality", _("Municipality")
        ECONOMIC_ASSOCIATION = "economic_association", _("Economic association")
        COMPANY = "company", _("Company")
        SOLE_TRADER = "sole_trader", _("Sole trader")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        help_text=_("Ten digits, written NNNNNN-NNNN."),
    )
    org_type = models.CharField(_("organisation type"), max_length=30, choices=Type.choices)
    municipality = models.CharField(_("municipality"), max_length=20, choices=Municipality.choices)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    publish_consent = models.BooleanField(
        _("consents to publication of name"),
        default=False,
        help_text=_("A sole trader's name is published in the register only with consent."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "org_type"])]

    def __str__(self):
        return f"{self.name} ({self.display_org_number})"

    def clean(self):
        self.org_number = validators.normalise_org_number(
            self.org_number, allow_personal=self.org_type == self.Type.SOLE_TRADER
        )

    @property
    def is_personal_number(self) -> bool:
        """Whether the number is a personnummer: personal data, masked where shown."""
        return validators.is_personal_number(self.org_number)

    @property
    def display_org_number(self) -> str:
        """Return the number as it may be shown to others: a personnummer is masked."""
        if self.is_personal_number:
            return f"{self.org_number[:6]}-****"
        return self.org_number

    @property
    def public_name(self) -> str:
        """Return the name as the public register may show it."""
        if self.org_type == self.Type.SOLE_TRADER and not self.publish_consent:
            return str(_("Sole trader (name not published)"))
        return self.name


class Membership(models.Model):
    """A person's right to act for an organisation."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        MEMBER = "member", _("Contact person")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation.name} ({self.get_role_display()})"


class PayoutAccountQuerySet(models.QuerySet):
    def current(self):
        """Return the accounts neither replaced nor rejected: the verified one and a pending one."""
        return self.filter(superseded_at__isnull=True, rejected_at__isnull=True)

    def pending(self):
        """Return the accounts awaiting a finance officer's verification."""
        return self.current().filter(verified_at__isnull=True)

    def verified(self):
        """Return the current accounts a finance officer has verified: the only ones paid."""
        return self.current().filter(verified_at__isnull=False)


class PayoutAccount(models.Model):
    """Where an organisation's grants are paid. A change creates a new, unverified account."""

    class Kind(models.TextChoices):
        BANKGIRO = "bankgiro", _("Bankgiro")
        PLUSGIRO = "plusgiro", _("Plusgiro")
        BANK_ACCOUNT = "bank_account", _("Bank account")
        IBAN = "iban", _("IBAN")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="payout_accounts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    holder_name = models.CharField(_("account holder"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("verified by"),
    )
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("rejected by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    superseded_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    objects = PayoutAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")
        ordering = ["-created_at"]
        permissions = [("verify_payoutaccount", _("Can verify payout accounts"))]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(verified_at__isnull=False) & models.Q(rejected_at__isnull=False)
                ),
                name="payoutaccount_not_verified_and_rejected",
            ),
            models.CheckConstraint(
                condition=models.Q(verified_at__isnull=True) | models.Q(verified_by__isnull=False),
                name="payoutaccount_verified_by_someone",
            ),
            # The verified account stays in use while a change awaits verification: at most one
            # of each per organisation.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(
                    verified_at__isnull=False, superseded_at__isnull=True, rejected_at__isnull=True
                ),
                name="payoutaccount_one_verified",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(
                    verified_at__isnull=True, superseded_at__isnull=True, rejected_at__isnull=True
                ),
                name="payoutaccount_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        self.number = validators.normalise_payout_number(self.kind, self.number)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None and self.rejected_at is None


def organisation_document_path(instance, filename):
    """Store under the organisation and year; the uploaded name is never used on disk."""
    return f"organisations/{instance.organisation_id}/{instance.year}/{instance.kind}-{filename}"


class StoredFile(models.Model):
    """What is kept about an uploaded file besides the file: its given name, type, size and hash.

    The file itself is a ``file`` field on the concrete model, in private storage.
    """

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True


class OrganisationDocument(StoredFile):
    """A yearly document (statutes, minutes, annual report) reused by that year's applications."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Statutes")
        ANNUAL_MEETING_MINUTES = "annual_meeting_minutes", _("Annual meeting minutes")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        ACTIVITY_REPORT = "activity_report", _("Activity report")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.FileField(
        _("file"), upload_to=organisation_document_path, storage=private_storage
    )

    class Meta:
        verbose_name = _("organisation document")
        verbose_name_plural = _("organisation documents")
        ordering = ["-year", "kind"]
        indexes = [models.Index(fields=["organisation", "kind", "year"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} – {self.original_name}"


class JoinRequest(models.Model):
    """A person's request to act for an organisation already registered; a signatory decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting a signatory")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message to the signatory"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(state="pending"),
                name="joinrequest_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation.name} ({self.get_state_display()})"


class Invitation(models.Model):
    """An invitation by e-mail to act for an organisation; the link carries a one-time token.

    Only the token's SHA-256 is stored, so a copy of the database cannot be used to accept.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation.name}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
