"""Build the demo through the real services, so every rule holds and the audit trail is complete.

The services stamp the present moment, so everything happens "today": applications to calls that
are closed by now are submitted while the call is still open, and the call's dates are moved
into the past afterwards (a call is reference data, edited by administrators). Decisions are
dated today; payments are batched for the next banking day and confirmed as paid today.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from decisions.demo import after_decision, casework, documents, portal
from decisions.demo.applications import (
    APPLICATIONS,
    ARR,
    CIV,
    KUL_COMMITTEE,
    KUL_DECIDED,
    KUL_OPEN,
    OFFICER_2,
    VKU,
    ApplicationSpec,
)
from decisions.demo.organisations import ORGANISATIONS
from decisions.models import PaymentBatch
from grants import services as grant_services
from grants.models import Application, Call, Programme
from organisations import services as organisation_services
from organisations.models import Organisation, User

MONTHS_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@dataclass
class Built:
    """What the builder made, for the command's report."""

    calls: dict[str, Call] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    batches: list[PaymentBatch] = field(default_factory=list)


class DemoBuilder:
    """Create the demo's organisations, calls, applications, decisions and payments."""

    def __init__(self, *, say: Callable[[str], None] = lambda line: None):
        self.say = say
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.users = {user.email: user for user in User.objects.all()}
        self.programmes = {p.case_prefix: p for p in Programme.objects.all()}
        self.specs = {spec.key: spec for spec in APPLICATIONS}
        self.organisation_specs = {spec.key: spec for spec in ORGANISATIONS}
        self.built = Built()

    def build(self) -> Built:
        """Build the demo in the order its year would run; the steps are in casework and
        after_decision."""
        self.create_calls()
        self.register_organisations()
        grant_services.conflict_declare(
            user=self.user(OFFICER_2),
            organisation=self.organisation("filmklubben-sveg"),
            reason="Jag är ledamot i filmklubbens styrelse.",
            actor=self.user(OFFICER_2),
        )
        casework.write_applications(self)
        self.close_calls()
        casework.handle_applications(self)
        casework.write_internal_notes(self)
        casework.decide_applications(self)
        after_decision.pay_confirmed_batch(self)
        after_decision.follow_up(self)
        after_decision.build_attested_batch(self)
        portal.write_portal_activity(self)
        return self.built

    # Lookups

    def user(self, email: str) -> User:
        return self.users[email]

    def organisation(self, key: str) -> Organisation:
        return self.built.organisations[key]

    def signatory(self, spec: ApplicationSpec) -> User:
        return self.user(self.organisation_specs[spec.organisation].signatory)

    def application(self, key: str) -> Application:
        """Return the application re-read, as each service call may have changed it."""
        return Application.objects.get(pk=self.built.applications[key].pk)

    def specs_with(self, fates: set[str]) -> list[ApplicationSpec]:
        return [spec for spec in APPLICATIONS if spec.fate in fates]

    def at(self, day: date, hour: int = 0, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def days(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def activity_period(self, spec: ApplicationSpec) -> tuple[date, date]:
        """Return the first and last day of the application's activity."""
        if spec.activity == "this_year":
            return date(self.today.year, 1, 1), date(self.today.year, 12, 31)
        if spec.activity == "next_year":
            return date(self.today.year + 1, 1, 1), date(self.today.year + 1, 12, 31)
        first, last = spec.activity
        return self.days(first), self.days(last)

    # Calls

    def create_calls(self) -> None:
        """Create an open, a decided and a to-be-decided call for project grants, and a call
        for each other programme."""
        calls = self.built.calls
        closes = self.days(30)
        calls[KUL_OPEN] = self._call(
            "KUL", "Projektbidrag kultur", "Project grants for culture", closes,
            opens_at=self.at(self.days(-30), 8), closes_at=self.at(closes, 23, 59),
            budget=3_000_000, planned_decision_date=self.days(75),
        )  # fmt: skip
        # Open now so that applications can be submitted; closed months ago once they are.
        calls[KUL_DECIDED] = self._call(
            "KUL", "Projektbidrag kultur", "Project grants for culture", self.days(-100),
            opens_at=self.now - timedelta(days=1), closes_at=self.now + timedelta(days=1),
            budget=2_500_000, planned_decision_date=self.days(-55),
        )  # fmt: skip
        # Closed three weeks ago; the committee has met on its proposals today.
        calls[KUL_COMMITTEE] = self._call(
            "KUL", "Projektbidrag kultur", "Project grants for culture", self.days(-21),
            opens_at=self.now - timedelta(days=1), closes_at=self.now + timedelta(days=1),
            budget=1_500_000, planned_decision_date=self.today,
        )  # fmt: skip
        year = self.today.year + 1
        calls[VKU] = Call.objects.create(
            programme=self.programmes["VKU"],
            title_sv=f"Verksamhetsbidrag regionala kulturorganisationer {year}",
            title_en=f"Operating grants for regional cultural organisations {year}",
            opens_at=self.now - timedelta(days=1),
            closes_at=self.now + timedelta(days=1),
            budget=Decimal("6000000"),
            planned_decision_date=self.today,
        )
        calls[CIV] = Call.objects.create(
            programme=self.programmes["CIV"],
            title_sv="Bidrag till civilsamhällets organisationer – löpande ansökan",
            title_en="Grants to civil-society organisations – open all year",
            opens_at=self.at(self.days(-200), 8),
            closes_at=self.at(self.days(165), 23, 59),
            budget=Decimal("1200000"),
        )
        calls[ARR] = Call.objects.create(
            programme=self.programmes["ARR"],
            title_sv="Arrangörsstöd – löpande ansökan",
            title_en="Support for event organisers – open all year",
            opens_at=self.at(self.days(-150), 8),
            closes_at=self.at(self.days(215), 23, 59),
            budget=Decimal("600000"),
        )
        self.say(f"Calls: {len(calls)}")
        for key in (KUL_OPEN, CIV, ARR):
            self.say(f"  open: {calls[key].title_sv}")

    def _call(self, prefix, name_sv, name_en, closes: date, **fields) -> Call:
        return Call.objects.create(
            programme=self.programmes[prefix],
            title_sv=f"{name_sv} {closes.year}, sista ansökningsdag {closes.day} "
            f"{MONTHS_SV[closes.month - 1]}",
            title_en=f"{name_en} {closes.year}, deadline {closes.day} "
            f"{MONTHS_EN[closes.month - 1]}",
            **fields | {"budget": Decimal(fields["budget"])},
        )

    def close_calls(self) -> None:
        """Move the decided calls into the past, now that their applications are in."""
        Call.objects.filter(pk=self.built.calls[KUL_DECIDED].pk).update(
            opens_at=self.at(self.days(-130), 8), closes_at=self.at(self.days(-100), 23, 59)
        )
        Call.objects.filter(pk=self.built.calls[VKU].pk).update(
            opens_at=self.at(self.days(-90), 8), closes_at=self.at(self.days(-30), 23, 59)
        )
        Call.objects.filter(pk=self.built.calls[KUL_COMMITTEE].pk).update(
            opens_at=self.at(self.days(-75), 8), closes_at=self.at(self.days(-21), 23, 59)
        )
        for key in (KUL_DECIDED, VKU, KUL_COMMITTEE):
            self.built.calls[key].refresh_from_db()
            self.say(f"  closed: {self.built.calls[key].title_sv}")

    # Organisations

    def register_organisations(self) -> None:
        """Register each organisation by its signatory, with members, accounts and documents."""
        for spec in ORGANISATIONS:
            signatory = self.user(spec.signatory)
            organisation = organisation_services.organisation_register(
                actor=signatory,
                name=spec.name,
                org_number=spec.org_number,
                org_type=spec.org_type,
                municipality=spec.municipality,
                street_address=spec.street_address,
                postal_code=spec.postal_code,
                city=spec.city,
                email=spec.email,
                phone=spec.phone,
                website=f"https://{spec.key}.example.org/" if spec.website else "",
            )
            self.built.organisations[spec.key] = organisation
            for email, role in spec.members:
                organisation_services.membership_add(
                    organisation=organisation, user=self.user(email), role=role, actor=signatory
                )
            holder = signatory.full_name if spec.org_type == "sole_trader" else spec.name
            for account in spec.accounts:
                added = organisation_services.payout_account_add(
                    organisation=organisation,
                    actor=signatory,
                    kind=account.kind,
                    number=account.number,
                    holder_name=holder,
                    bic=account.bic,
                )
                if account.outcome == "verified":
                    organisation_services.payout_account_verify(
                        account=added, actor=self.user(account.verifier)
                    )
                elif account.outcome == "rejected":
                    organisation_services.payout_account_reject(
                        account=added, actor=self.user(account.verifier), reason=account.reason
                    )
            for kind in spec.documents:
                year = self.today.year - 1 if kind == "annual_report" else self.today.year
                file, name = documents.yearly_document(kind, organisation, year)
                organisation_services.organisation_document_add(
                    organisation=organisation,
                    actor=signatory,
                    kind=kind,
                    year=year,
                    file=file,
                    original_name=name,
                    content_type="application/pdf",
                )
        types = {spec.org_type for spec in ORGANISATIONS}
        municipalities = {spec.municipality for spec in ORGANISATIONS}
        self.say(
            f"Organisations: {len(ORGANISATIONS)} of {len(types)} types in "
            f"{len(municipalities)} municipalities, with members, payout accounts and documents"
        )
