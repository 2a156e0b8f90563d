"""Applicant organisations with their people and verified payout accounts.

An organisation is sketched first (type and place) so that applications can be planned for it;
it is written once the plans say when it first applied, so that it, its signatory and its
verified account all exist before its first application.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from decisions.seeding import numbers, vocabulary
from decisions.seeding.bulk import Row, Tables
from decisions.seeding.reference import Staff
from decisions.seeding.trail import Trail, account_text, membership_text, organisation_text
from organisations.models import Membership, Organisation, PayoutAccount, User

T = Organisation.Type

#: How common each type of applicant is.
ORG_TYPE_WEIGHTS = {
    T.ASSOCIATION: 44,
    T.STUDY_ASSOCIATION: 4,
    T.LIBRARY: 4,
    T.FOUNDATION: 7,
    T.MUNICIPALITY: 1,
    T.ECONOMIC_ASSOCIATION: 7,
    T.COMPANY: 12,
    T.SOLE_TRADER: 18,
    T.OTHER: 3,
}

STREETS = [
    "Storgatan",
    "Kyrkgatan",
    "Prästgatan",
    "Rådhusgatan",
    "Byvägen",
    "Skolvägen",
    "Järnvägsgatan",
    "Strandvägen",
    "Hantverkargatan",
    "Fjällvägen",
    "Gamla vägen",
]

#: The domain of seeded applicants' e-mail addresses.
APPLICANT_DOMAIN = "seed.example.org"


@dataclass(eq=False)
class OrgSeed:
    """An applicant organisation: sketched, then written with its people and accounts."""

    org_type: str
    place: str
    municipality: str
    postal_prefix: str
    first_activity: datetime | None = None
    organisation: Row | None = None
    signatory: Row | None = None
    members: list[Row] = field(default_factory=list)
    account: Row | None = None
    pending_account: Row | None = None


def sketch_organisations(rng: random.Random, count: int) -> list[OrgSeed]:
    """Return ``count`` organisations of every type spread over the county's places."""
    types = list(ORG_TYPE_WEIGHTS)
    weights = list(ORG_TYPE_WEIGHTS.values())
    seeds = []
    for index in range(count):
        # The first organisations take every type in turn, so a small seed has them all.
        org_type = types[index] if index < len(types) else rng.choices(types, weights)[0]
        place, municipality, postal_prefix = rng.choice(vocabulary.PLACES)
        seeds.append(OrgSeed(org_type, place, municipality, postal_prefix))
    return seeds


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "."))


class ApplicantFactory:
    """Write organisations, their people and payout accounts, and their audit entries."""

    def __init__(self, *, rng: random.Random, staff: Staff, now: datetime, tables: Tables):
        self.rng = rng
        self.staff = staff
        self.now = now
        self.tables = tables
        self.taken_numbers = set(Organisation.objects.values_list("org_number", flat=True))
        self.next_person = User.objects.filter(email__iendswith=f"@{APPLICANT_DOMAIN}").count() + 1
        self.unusable_password = make_password(None)

    def _days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    # People and names

    def _person(self, joined: datetime) -> Row:
        rng = self.rng
        first = rng.choice(rng.choice([vocabulary.FEMALE_NAMES, vocabulary.MALE_NAMES]))
        last = rng.choice(vocabulary.SURNAMES)
        number = self.next_person
        self.next_person += 1
        return self.tables.new(
            User,
            email=f"{_ascii(first)}.{_ascii(last)}.{number}@{APPLICANT_DOMAIN}",
            full_name=f"{first} {last}",
            phone=f"070-{rng.randrange(10**7):07d}",
            language="en" if rng.random() < 0.05 else "sv",
            password=self.unusable_password,
            date_joined=joined,
        )

    def _name(self, seed: OrgSeed, person: Row) -> str:
        rng = self.rng
        slots = {
            "place": seed.place,
            "word": rng.choice(vocabulary.WORDS),
            "surname": rng.choice(vocabulary.SURNAMES),
        }
        kind = seed.org_type
        if kind == T.ASSOCIATION:
            theme = rng.choice(vocabulary.ASSOCIATION_THEMES)
            pattern = rng.choice(vocabulary.ASSOCIATION_PATTERNS)
            return pattern.format(theme=theme, theme_lower=theme.lower(), **slots)
        if kind == T.STUDY_ASSOCIATION:
            return f"{rng.choice(vocabulary.STUDY_ASSOCIATIONS)}, avdelning {seed.place}"
        if kind == T.SOLE_TRADER:
            return f"{person.full_name} {rng.choice(vocabulary.SOLE_TRADES)}"
        if kind == T.MUNICIPALITY:
            municipality = vocabulary.MUNICIPALITY_NAMES.get(seed.municipality, seed.place)
            return f"{municipality} kommun, {rng.choice(vocabulary.MUNICIPAL_DEPARTMENTS)}"
        patterns = {
            T.LIBRARY: vocabulary.LIBRARY_PATTERNS,
            T.FOUNDATION: vocabulary.FOUNDATION_PATTERNS,
            T.ECONOMIC_ASSOCIATION: vocabulary.ECONOMIC_ASSOCIATION_PATTERNS,
            T.COMPANY: vocabulary.COMPANY_PATTERNS,
            T.OTHER: vocabulary.OTHER_PATTERNS,
        }[kind]
        return rng.choice(patterns).format(**slots)

    # Accounts

    def _account_number(self, seed: OrgSeed) -> tuple[str, str, str]:
        """Return (kind, number, BIC) for a payout account of the organisation."""
        rng = self.rng
        K = PayoutAccount.Kind
        if seed.org_type == T.SOLE_TRADER:
            kind = rng.choices([K.BANK_ACCOUNT, K.BANKGIRO, K.PLUSGIRO, K.IBAN], [50, 30, 10, 10])[
                0
            ]
        else:
            kind = rng.choices([K.BANKGIRO, K.PLUSGIRO, K.BANK_ACCOUNT, K.IBAN], [60, 15, 15, 10])[
                0
            ]
        if kind == K.BANKGIRO:
            return kind, numbers.bankgiro(rng), ""
        if kind == K.PLUSGIRO:
            return kind, numbers.plusgiro(rng), ""
        if kind == K.BANK_ACCOUNT:
            # A sole trader may be paid to a Nordea personkonto: the personnummer is the account.
            personal = seed.org_type == T.SOLE_TRADER and rng.random() < 0.5
            number = seed.organisation.org_number if personal else None
            return kind, numbers.bank_account(rng, number), ""
        foreign = seed.municipality == "outside_county" and rng.random() < 0.3
        number, bic = numbers.iban(rng, foreign=foreign)
        return kind, number, bic

    def _accounts(self, seed: OrgSeed, created: datetime) -> None:
        """Add the verified account, and now and then a change awaiting verification."""
        rng = self.rng
        if seed.org_type == T.SOLE_TRADER:
            holder = seed.signatory.full_name
        else:
            holder = seed.organisation.name
        kind, number, bic = self._account_number(seed)
        opened = created + self._days(0, 3)
        seed.account = self.tables.new(
            PayoutAccount,
            organisation_id=seed.organisation.id,
            kind=kind,
            number=number,
            bic=bic,
            holder_name=holder[:200],
            created_at=opened,
            created_by_id=seed.signatory.id,
            verified_at=opened + self._days(1, 7),
            verified_by_id=rng.choice(self.staff.finance).pk,
        )
        if rng.random() < 0.02:
            kind, number, bic = self._account_number(seed)
            seed.pending_account = self.tables.new(
                PayoutAccount,
                organisation_id=seed.organisation.id,
                kind=kind,
                number=number,
                bic=bic,
                holder_name=holder[:200],
                created_at=self.now - self._days(1, 30),
                created_by_id=seed.signatory.id,
            )

    # Writing

    def write(self, seeds: list[OrgSeed], trail: Trail) -> None:
        """Add the organisations with a signatory, sometimes a contact person, and accounts."""
        rng = self.rng
        horizon = self.now - timedelta(days=6 * 365)
        people: list[Row] = []
        for seed in seeds:
            if seed.first_activity is not None:
                created = seed.first_activity - self._days(14, 400)
            else:
                created = horizon + self._days(0, (self.now - horizon).days - 14)
            # Some people act for several organisations.
            signatory = None
            if people and seed.org_type != T.SOLE_TRADER and rng.random() < 0.08:
                signatory = rng.choice(people)
                if signatory.date_joined > created:
                    signatory = None
            if signatory is None:
                signatory = self._person(created - self._days(0, 2))
                people.append(signatory)
            if seed.org_type == T.SOLE_TRADER:
                number = numbers.personnummer(rng, self.taken_numbers)
            else:
                number = numbers.org_number(rng, seed.org_type, self.taken_numbers)
            name = self._name(seed, signatory)[:200]
            organisation = self.tables.new(
                Organisation,
                name=name,
                org_number=number,
                org_type=seed.org_type,
                municipality=seed.municipality,
                street_address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                postal_code=f"{seed.postal_prefix} {rng.randint(10, 99)}",
                city=seed.place,
                phone=f"063-{rng.randrange(10**6):06d}",
                publish_consent=seed.org_type == T.SOLE_TRADER and rng.random() < 0.4,
                created_at=created,
            )
            organisation.email = f"info.{organisation.id}@{APPLICANT_DOMAIN}"
            seed.organisation = organisation
            seed.signatory = signatory
            self._member(seed, signatory, Membership.Role.SIGNATORY, created, trail=None)
            if seed.org_type != T.SOLE_TRADER and rng.random() < 0.35:
                member = self._person(created + self._days(1, 200))
                people.append(member)
                seed.members.append(member)
                self._member(seed, member, Membership.Role.MEMBER, member.date_joined, trail)
            self._accounts(seed, created)
            self._log(seed, trail)

    def _member(
        self, seed: OrgSeed, person: Row, role: str, joined: datetime, trail: Trail | None
    ) -> None:
        membership = self.tables.new(
            Membership,
            user_id=person.id,
            organisation_id=seed.organisation.id,
            role=role,
            created_at=joined,
        )
        if trail is not None:
            text = membership_text(person.full_name, seed.organisation.name, role)
            trail.add(
                joined,
                (Membership, membership.id, text),
                "organisations.membership.added",
                seed.signatory.id,
                {"user": person.email, "role": role},
            )

    def _log(self, seed: OrgSeed, trail: Trail) -> None:
        organisation = seed.organisation
        signatory_id = seed.signatory.id
        trail.add(
            organisation.created_at,
            (
                Organisation,
                organisation.id,
                organisation_text(organisation.name, organisation.org_number),
            ),
            "organisations.organisation.registered",
            signatory_id,
            {
                "name": organisation.name,
                "org_type": organisation.org_type,
                "municipality": organisation.municipality,
            },
        )
        account = seed.account
        trail.add(
            account.verified_at,
            (PayoutAccount, account.id, account_text(account.kind, account.number)),
            "organisations.payout_account.verified",
            account.verified_by_id,
            {"kind": account.kind, "number": account.number, "replaced": []},
        )
        # A change awaiting verification is what finance acts on: its entry says who made it.
        pending = seed.pending_account
        if pending is not None:
            trail.add(
                pending.created_at,
                (PayoutAccount, pending.id, account_text(pending.kind, pending.number)),
                "organisations.payout_account.added",
                signatory_id,
                {
                    "organisation": organisation.org_number,
                    "kind": pending.kind,
                    "number": pending.number,
                    "holder_name": pending.holder_name,
                    "replaced_pending": [],
                },
            )
