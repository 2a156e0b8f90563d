"""Build test data through the real services, so that tests see what users would create."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from decisions import banking
from decisions import services as decision_services
from decisions.models import DelegationRule
from grants import services
from grants.models import Application, Call, Criterion, Programme
from organisations import services as organisation_services
from organisations.models import Organisation, User

PASSWORD = "bidrag-test-password"
_counter = itertools.count(1)

# The smallest valid PDF: enough for content checks and for storing.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def org_number(first_digits: str = "802") -> str:
    """Return a fresh valid organisation number (a legal person: third digit 2 or more)."""
    body = f"{first_digits}{next(_counter):06d}"[:9]
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def bankgiro() -> str:
    body = f"5{next(_counter):06d}"
    return body + luhn.calc_check_digit(body)


def user(email: str | None = None, *roles: str, **fields) -> User:
    """Create an active user with the given staff roles (group names)."""
    email = email or f"user{next(_counter)}@example.org"
    person = User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=fields.pop("full_name", email.split("@")[0].replace("-", " ").title()),
        **fields,
    )
    for role in roles:
        person.groups.add(Group.objects.get(name=role))
    return person


def programme(**fields) -> Programme:
    defaults = {
        "name_sv": "Projektbidrag kultur",
        "name_en": "Project grants for culture",
        "kind": Programme.Kind.PROJECT,
        "eligible_org_types": ["association", "study_association", "foundation", "sole_trader"],
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("300000"),
        "cofinancing_share": Decimal("0.100"),
        "required_attachments": ["project_plan"],
        "payment_plan": [
            {"share": "0.8", "trigger": "on_decision"},
            {"share": "0.2", "trigger": "on_report_accepted"},
        ],
        "account": "4981",
        "cost_centre": "7210",
        "activity_code": "520",
        "case_prefix": "KUL",
    }
    created = Programme.objects.create(**(defaults | fields))
    Criterion.objects.create(
        programme=created, name_sv="Konstnärlig kvalitet", name_en="Artistic quality", weight=2
    )
    Criterion.objects.create(
        programme=created, name_sv="Regional nytta", name_en="Regional benefit", weight=1
    )
    return created


def call(programme_obj: Programme | None = None, *, open_now: bool = True, **fields) -> Call:
    now = timezone.now()
    opens = now - timedelta(days=10) if open_now else now - timedelta(days=60)
    closes = now + timedelta(days=20) if open_now else now - timedelta(days=30)
    return Call.objects.create(
        programme=programme_obj or programme(),
        title_sv=fields.pop("title_sv", "Projektbidrag kultur 2026"),
        title_en=fields.pop("title_en", "Project grants for culture 2026"),
        opens_at=fields.pop("opens_at", opens),
        closes_at=fields.pop("closes_at", closes),
        budget=fields.pop("budget", Decimal("2000000")),
        **fields,
    )


def organisation(signatory: User, *, verified_by: User | None = None, **fields) -> Organisation:
    """Register an organisation with a Bankgiro account (verified when ``verified_by`` is given)."""
    created = organisation_services.organisation_register(
        actor=signatory,
        name=fields.pop("name", f"Kulturföreningen {next(_counter)}"),
        org_number=fields.pop("org_number", org_number()),
        org_type=fields.pop("org_type", Organisation.Type.ASSOCIATION),
        municipality=fields.pop("municipality", "2380"),
        email=fields.pop("email", "info@example.org"),
        **fields,
    )
    account = organisation_services.payout_account_add(
        organisation=created,
        actor=signatory,
        kind="bankgiro",
        number=bankgiro(),
        holder_name=created.name,
    )
    if verified_by is not None:
        organisation_services.payout_account_verify(account=account, actor=verified_by)
    return created


def draft(
    organisation_obj: Organisation,
    call_obj: Call,
    author: User,
    *,
    requested: Decimal = Decimal("50000"),
    with_attachment: bool = True,
) -> Application:
    """Create a complete draft: balanced budget with co-financing and the required attachment."""
    application = services.application_create(
        organisation=organisation_obj,
        call=call_obj,
        actor=author,
        title="Sommarteater i Storsjöbygden",
        summary="Utomhusteater för barn och unga i fem byar.",
        description="Vi spelar en nyskriven pjäs på sommarscener runt Storsjön.",
        activity_starts=timezone.localdate() + timedelta(days=60),
        activity_ends=timezone.localdate() + timedelta(days=120),
        target_groups=["children_youth"],
        municipalities=["2380", "2309"],
        perspectives={"accessibility": "Alla scener är tillgängliga för rullstol."},
        agenda_goals=[4, 10],
        requested_amount=requested,
    )
    own = (requested / Decimal("2")).quantize(Decimal("1"))
    services.budget_set(
        application=application,
        actor=author,
        lines=[
            {"kind": "cost", "category": "fees", "amount": requested + own - 5000},
            {"kind": "cost", "category": "travel", "amount": Decimal("5000")},
            {"kind": "income", "category": "own_contribution", "amount": own},
        ],
    )
    if with_attachment:
        services.attachment_add(
            application=application,
            actor=author,
            kind="project_plan",
            file=ContentFile(PDF_BYTES, name="plan.pdf"),
            original_name="Projektplan.pdf",
            content_type="application/pdf",
        )
    application.refresh_from_db()
    return application


def assess(
    application: Application,
    officer: User,
    *,
    amount: Decimal | None = None,
    recommendation: str = "approve",
) -> Application:
    """Score every criterion and perspective and propose; the case must be under review."""
    criteria = application.call.programme.criteria.all()
    services.assessment_save(
        application=application,
        actor=officer,
        scores={criterion.pk: (4, "Väl genomarbetat.") for criterion in criteria},
        perspectives={
            key: {"rating": "strengthens", "comment": "Tydligt beskrivet."}
            for key in [
                "accessibility",
                "children_youth",
                "gender_equality",
                "equality",
                "indigenous_minority",
            ]
        },
        agenda_goals=[4],
        recommendation=recommendation,
        proposed_amount=(
            amount
            if amount is not None
            else application.requested_amount
            if recommendation == "approve"
            else None
        ),
        reasons="Ansökan uppfyller programmets syfte och har en realistisk budget.",
        conditions="Regionen ska nämnas i all marknadsföring.",
    )
    return services.application_propose(application=application, actor=officer)


def delegation(decider: User, max_amount: Decimal = Decimal("100000"), programme_obj=None):
    return DelegationRule.objects.create(
        user=decider,
        programme=programme_obj,
        max_amount=max_amount,
        reference="Delegationsordning RUN 2026, punkt 4.2",
    )


def decide(application: Application, decider: User, outcome: str = "approved", **kwargs):
    return decision_services.decision_record(
        application=application,
        actor=decider,
        outcome=outcome,
        reasons=kwargs.pop("reasons", "Projektet stärker kulturlivet i länet."),
        **kwargs,
    )


# The deciding pages (issue 4)


def proposal(
    call_obj: Call,
    officer: User,
    *,
    requested: str = "50000",
    amount: str | None = None,
    recommendation: str = "approve",
    organisation_obj: Organisation | None = None,
) -> Application:
    """Submit, take and propose an application of a new organisation (or of the one given)."""
    if organisation_obj is None:
        organisation_obj = organisation(user(), name=f"Förening {next(_counter)}")
    signatory = organisation_obj.memberships.get(role="signatory").user
    application = draft(organisation_obj, call_obj, signatory, requested=Decimal(requested))
    application = services.application_submit(application=application, actor=signatory)
    services.application_start_review(application=application, actor=officer)
    return assess(
        application,
        officer,
        amount=Decimal(amount) if amount is not None else None,
        recommendation=recommendation,
    )


# Letters (issue 5)


def pay_out(payments, finance_officer: User, attester: User):
    """Carry payable payments through a batch: created, attested, exported and confirmed paid."""
    from decisions import banking
    from decisions import payments as payment_services

    batch = payment_services.batch_create(
        actor=finance_officer,
        payments=list(payments),
        payment_date=banking.next_banking_day(timezone.localdate() + timedelta(days=1)),
    )
    payment_services.batch_attest(batch=batch, actor=attester)
    payment_services.batch_export(batch=batch, actor=finance_officer)
    payment_services.batch_confirm(batch=batch, actor=finance_officer, paid_on=timezone.localdate())
    return batch


def repayment_claim(decision, actor: User, **fields):
    """Claim part of what was paid out under ``decision`` back (20 000 kr by default)."""
    return decision_services.repayment_claim_create(
        decision=decision,
        actor=actor,
        amount=fields.pop("amount", Decimal("20000")),
        reasons=fields.pop("reasons", "Hälften av föreställningarna ställdes in."),
        due_date=fields.pop("due_date", timezone.localdate() + timedelta(days=30)),
    )


def banking_day(after_days: int = 1) -> date:
    """Return the first banking day at least ``after_days`` days from today."""
    return banking.next_banking_day(timezone.localdate() + timedelta(days=after_days))
