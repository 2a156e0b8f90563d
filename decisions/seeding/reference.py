"""What the seeded cases are handled with: staff, programmes, delegation rules and calls.

Existing staff, programmes and delegation rules (the demo fixtures create some) are used as they
are; only what is missing is created. Calls are the seed's own, found again by title on a second
run, so two runs share them.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from decisions import banking
from decisions.models import DelegationRule
from grants.models import Call, Criterion, Programme
from grants.permissions import Role
from organisations.models import User

#: Staff the seed creates when a role has too few people (finance needs two: four-eyes).
SEED_STAFF = {
    Role.OFFICER: [
        ("seed-officer-1@example.org", "Karin Olofsson", "Kulturhandläggare"),
        ("seed-officer-2@example.org", "Jonas Hedlund", "Kulturhandläggare"),
        ("seed-officer-3@example.org", "Malin Berglund", "Kulturhandläggare"),
        ("seed-officer-4@example.org", "Per Åström", "Kulturutvecklare"),
    ],
    Role.DECISION_MAKER: [
        ("seed-decider-1@example.org", "Ingrid Nordin", "Kulturchef"),
        ("seed-decider-2@example.org", "Magnus Sjöberg", "Enhetschef kultur"),
    ],
    Role.SECRETARY: [
        ("seed-secretary-1@example.org", "Eva Lindqvist", "Nämndsekreterare"),
    ],
    Role.FINANCE: [
        ("seed-finance-1@example.org", "Fredrik Wallin", "Ekonom"),
        ("seed-finance-2@example.org", "Sanna Engström", "Redovisningsekonom"),
    ],
}
MINIMUM_STAFF = {Role.OFFICER: 1, Role.DECISION_MAKER: 1, Role.SECRETARY: 1, Role.FINANCE: 2}


@dataclass(eq=False)
class Staff:
    """The people who handle, decide, record and pay the seeded cases."""

    officers: list[User]
    deciders: list[User]
    secretaries: list[User]
    finance: list[User]
    created: int = 0


def ensure_staff() -> Staff:
    """Return the active staff of each role, creating seed staff where a role has too few."""
    members: dict[str, list[User]] = {}
    created = 0
    for role, minimum in MINIMUM_STAFF.items():
        group = Group.objects.filter(name=role).first()
        people = list(User.objects.filter(groups__name=role, is_active=True).order_by("pk"))
        # A role with too few people gets all of the seed's staff for it.
        for email, full_name, title in SEED_STAFF[role] if len(people) < minimum else []:
            person, was_created = User.objects.get_or_create(
                email=email, defaults={"full_name": full_name, "title": title}
            )
            if was_created:
                # Seed staff cannot log in until an administrator gives them a password.
                person.set_unusable_password()
                person.save(update_fields=["password"])
                created += 1
            if group is not None:
                person.groups.add(group)
            if person not in people:
                people.append(person)
        members[role] = people
    return Staff(
        officers=members[Role.OFFICER],
        deciders=members[Role.DECISION_MAKER],
        secretaries=members[Role.SECRETARY],
        finance=members[Role.FINANCE],
        created=created,
    )


# Programmes ---------------------------------------------------------------------------------

CULTURE_PROGRAMMES = [
    {
        "name_sv": "Projektbidrag till kultur",
        "name_en": "Project grants for culture",
        "description_sv": "Stöd till tidsbegränsade projekt som utvecklar kulturlivet i länet.",
        "description_en": "Support for time-limited projects that develop the county's culture.",
        "kind": Programme.Kind.PROJECT,
        "eligible_org_types": [
            "association",
            "study_association",
            "library",
            "foundation",
            "economic_association",
            "company",
            "sole_trader",
            "other",
        ],
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("300000"),
        "cofinancing_share": Decimal("0.200"),
        "required_attachments": ["project_plan", "budget_specification"],
        "payment_plan": [
            {"share": "0.8", "trigger": "on_decision"},
            {"share": "0.2", "trigger": "on_report_accepted"},
        ],
        "report_due_months": 2,
        "account": "4981",
        "cost_centre": "7210",
        "activity_code": "520",
        "case_prefix": "KUL",
        "criteria": [
            ("Konstnärlig kvalitet", "Artistic quality", "2.00"),
            ("Regional nytta", "Regional benefit", "1.50"),
            ("Barn och unga", "Children and young people", "1.00"),
            ("Genomförbarhet och budget", "Feasibility and budget", "1.00"),
        ],
    },
    {
        "name_sv": "Verksamhetsbidrag till regionala kulturorganisationer",
        "name_en": "Operating grants for regional cultural organisations",
        "description_sv": "Årligt stöd till organisationer med regionalt kulturuppdrag.",
        "description_en": "Yearly support for organisations with a regional cultural remit.",
        "kind": Programme.Kind.OPERATING,
        "eligible_org_types": [
            "association",
            "study_association",
            "foundation",
            "economic_association",
        ],
        "min_amount": Decimal("100000"),
        "max_amount": Decimal("2500000"),
        "cofinancing_share": Decimal("0.300"),
        "required_attachments": ["activity_plan", "annual_report", "statutes"],
        "payment_plan": [
            {"share": "0.5", "trigger": "on_decision"},
            {"share": "0.5", "trigger": "on_request"},
        ],
        "report_due_months": 4,
        "account": "4982",
        "cost_centre": "7210",
        "activity_code": "510",
        "case_prefix": "KUL",
        "criteria": [
            ("Regional betydelse", "Regional importance", "2.00"),
            ("Kvalitet och förnyelse", "Quality and renewal", "1.50"),
            ("Tillgänglighet och spridning i länet", "Access across the county", "1.00"),
            ("Ekonomisk stabilitet", "Financial stability", "1.00"),
        ],
    },
    {
        "name_sv": "Bidrag till civilsamhällets organisationer",
        "name_en": "Grants to civil-society organisations",
        "description_sv": "Stöd till föreningars arbete för delaktighet och demokrati.",
        "description_en": "Support for associations' work for participation and democracy.",
        "kind": Programme.Kind.PROJECT,
        "eligible_org_types": ["association", "study_association", "foundation", "other"],
        "min_amount": Decimal("5000"),
        "max_amount": Decimal("150000"),
        "cofinancing_share": Decimal("0.100"),
        "required_attachments": ["activity_plan"],
        "payment_plan": [{"share": "1", "trigger": "on_decision"}],
        "report_due_months": 3,
        "account": "4983",
        "cost_centre": "7220",
        "activity_code": "530",
        "case_prefix": "CIV",
        "criteria": [
            ("Delaktighet och demokrati", "Participation and democracy", "2.00"),
            ("Regional nytta", "Regional benefit", "1.00"),
            ("Genomförbarhet", "Feasibility", "1.00"),
        ],
    },
    {
        "name_sv": "Arrangörsstöd",
        "name_en": "Support for event organisers",
        "description_sv": "Stöd till arrangemang med professionella kulturutövare i länet.",
        "description_en": "Support for events with professional artists in the county.",
        "kind": Programme.Kind.EVENT,
        "eligible_org_types": [
            "association",
            "study_association",
            "library",
            "municipality",
            "economic_association",
            "company",
            "sole_trader",
            "other",
        ],
        "min_amount": Decimal("5000"),
        "max_amount": Decimal("60000"),
        "cofinancing_share": Decimal("0.300"),
        "required_attachments": ["budget_specification"],
        "payment_plan": [{"share": "1", "trigger": "on_request"}],
        "report_due_months": 1,
        "account": "4984",
        "cost_centre": "7210",
        "activity_code": "540",
        "case_prefix": "KUL",
        "criteria": [
            ("Kvalitet i programmet", "Quality of the programme", "1.50"),
            ("Publikarbete", "Audience development", "1.00"),
            ("Spridning i länet", "Reach across the county", "1.00"),
        ],
    },
]


@dataclass(eq=False)
class ProgrammeInfo:
    """A programme with what the seed needs of it at hand."""

    programme: Programme
    criteria: list[Criterion]
    eligible_org_types: list[str]


def ensure_programmes() -> tuple[list[ProgrammeInfo], int]:
    """Return the active programmes anyone can apply to, creating the culture set if none."""
    programmes = [
        p
        for p in Programme.objects.filter(is_active=True)
        .prefetch_related("criteria")
        .order_by("pk")
        if p.eligible_org_types
    ]
    created = 0
    if not programmes:
        for spec in CULTURE_PROGRAMMES:
            fields = dict(spec)
            criteria = fields.pop("criteria")
            programme = Programme.objects.create(**fields)
            Criterion.objects.bulk_create(
                Criterion(
                    programme=programme,
                    name_sv=name_sv,
                    name_en=name_en,
                    weight=Decimal(weight),
                    order=order,
                )
                for order, (name_sv, name_en, weight) in enumerate(criteria)
            )
            programmes.append(programme)
            created += 1
        programmes = list(
            Programme.objects.filter(pk__in=[p.pk for p in programmes]).prefetch_related("criteria")
        )
    return [
        ProgrammeInfo(
            programme=p,
            criteria=list(p.criteria.all()),
            eligible_org_types=list(p.eligible_org_types),
        )
        for p in programmes
    ], created


# Delegation ---------------------------------------------------------------------------------


@dataclass(eq=False)
class Delegation:
    """A delegation rule and the decision makers it lets decide."""

    rule: DelegationRule
    deciders: list[User]

    def covers(self, programme_id: int, amount: Decimal) -> bool:
        return self.rule.max_amount >= amount and self.rule.programme_id in (None, programme_id)


def ensure_delegation(
    staff: Staff, programmes: list[ProgrammeInfo]
) -> tuple[list[Delegation], int]:
    """Return the active delegation rules narrowest first, creating the region's if there are none.

    A case above every rule that covers it goes to the committee.
    """
    created = 0
    if not DelegationRule.objects.filter(is_active=True).exists():
        group = Group.objects.filter(name=Role.DECISION_MAKER).first()
        holder = {"group": group} if group else {"user": staff.deciders[0]}
        operating = [
            p.programme for p in programmes if p.programme.kind == Programme.Kind.OPERATING
        ]
        DelegationRule.objects.create(
            max_amount=Decimal("100000"),
            reference="Delegationsordning RUN, punkt 4.2 (kulturchef)",
            **holder,
        )
        created += 1
        for programme in operating:
            DelegationRule.objects.create(
                programme=programme,
                max_amount=Decimal("500000"),
                reference="Delegationsordning RUN, punkt 4.3 (regional utvecklingsdirektör)",
                **holder,
            )
            created += 1
    deciders = {user.pk: user for user in staff.deciders}
    group_members: dict[int, list[User]] = {}
    for user in staff.deciders:
        for group_id in user.groups.values_list("pk", flat=True):
            group_members.setdefault(group_id, []).append(user)
    delegations = []
    for rule in DelegationRule.objects.filter(is_active=True).order_by("max_amount", "pk"):
        if rule.user_id is not None:
            holders = [deciders[rule.user_id]] if rule.user_id in deciders else []
        else:
            holders = group_members.get(rule.group_id, [])
        if holders:
            delegations.append(Delegation(rule=rule, deciders=holders))
    return delegations, created


# Calls --------------------------------------------------------------------------------------

#: Years of history the seeded calls cover, the current year included.
YEARS = 6

BUDGETS = {
    Programme.Kind.PROJECT: Decimal("3000000"),
    Programme.Kind.OPERATING: Decimal("15000000"),
    Programme.Kind.EVENT: Decimal("1500000"),
    Programme.Kind.OTHER: Decimal("2000000"),
}


@dataclass(eq=False)
class CallInfo:
    """A seeded call and its programme; ``decision`` None means decided case by case."""

    call: Call
    programme: ProgrammeInfo
    opens: datetime
    closes: datetime
    decision: date | None
    activity_year: int | None = None
    pools: set[str] = field(default_factory=set)

    @property
    def rolling(self) -> bool:
        return self.decision is None


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _call_specs(programme: Programme, year: int) -> list[dict]:
    """Return the calls a programme has in a year: rounds, a yearly call, or a rolling call."""
    name_sv, name_en = programme.name_sv, programme.name_en
    if programme.kind == Programme.Kind.OPERATING:
        # Applied for in the autumn before the year the money is for.
        return [
            {
                "title_sv": f"{name_sv} {year}",
                "title_en": f"{name_en} {year}",
                "opens": date(year - 1, 9, 1),
                "closes": date(year - 1, 10, 31),
                "decision": date(year - 1, 12, 10),
                "activity_year": year,
            }
        ]
    if programme.kind == Programme.Kind.EVENT:
        return [
            {
                "title_sv": f"{name_sv} {year} (löpande)",
                "title_en": f"{name_en} {year} (rolling)",
                "opens": date(year, 1, 1),
                "closes": date(year, 12, 31),
                "decision": None,
            }
        ]
    return [
        {
            "title_sv": f"{name_sv}, våren {year}",
            "title_en": f"{name_en}, spring {year}",
            "opens": date(year, 1, 20),
            "closes": date(year, 3, 15),
            "decision": date(year, 4, 25),
        },
        {
            "title_sv": f"{name_sv}, hösten {year}",
            "title_en": f"{name_en}, autumn {year}",
            "opens": date(year, 8, 20),
            "closes": date(year, 10, 1),
            "decision": date(year, 11, 20),
        },
    ]


def ensure_calls(programmes: list[ProgrammeInfo], *, now: datetime) -> tuple[list[CallInfo], int]:
    """Return the seed's calls of the last six years that have opened, creating missing ones."""
    today = timezone.localdate(now)
    existing = {
        (call.programme_id, call.title_sv): call
        for call in Call.objects.filter(programme__in=[p.programme for p in programmes])
    }
    calls, created = [], 0
    for info in programmes:
        programme = info.programme
        years = range(today.year - YEARS + 1, today.year + 2)
        for year in years:
            for spec in _call_specs(programme, year):
                opens = _at(spec["opens"], 8)
                if opens > now:
                    continue
                closes = _at(spec["closes"], 23, 59)
                decision = spec["decision"]
                if decision is not None:
                    decision = banking.next_banking_day(decision)
                call = existing.get((programme.pk, spec["title_sv"]))
                if call is None:
                    call = Call.objects.create(
                        programme=programme,
                        title_sv=spec["title_sv"],
                        title_en=spec["title_en"],
                        opens_at=opens,
                        closes_at=closes,
                        budget=BUDGETS[programme.kind],
                        planned_decision_date=decision,
                    )
                    created += 1
                calls.append(
                    CallInfo(
                        call=call,
                        programme=info,
                        opens=call.opens_at.astimezone(UTC),
                        closes=call.closes_at.astimezone(UTC),
                        decision=call.planned_decision_date,
                        activity_year=spec.get("activity_year"),
                    )
                )
    return calls, created


def decision_makers_except(people: list[User], presenter: User, rng: random.Random) -> User | None:
    """Return one of ``people`` other than the presenter (four-eyes), or None."""
    others = [person for person in people if person.pk != presenter.pk]
    return rng.choice(others) if others else None


def finance_pair(staff: Staff) -> tuple[User, User]:
    """Return two different finance officers: one creates a batch, the other attests it."""
    return staff.finance[0], staff.finance[1]
