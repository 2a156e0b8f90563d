"""Organisations, memberships and payout accounts (DESIGN §3): who may change what, and the
control against payment fraud — a changed account is paid only once another person verified it."""

import pytest

from audit.models import LogEntry
from audit.services import entries_for
from organisations import services
from organisations.errors import WorkflowError
from organisations.models import Membership, Organisation, PayoutAccount
from tests import factories
from tests.assertions import refused

IBAN = "SE45 5000 0000 0583 9825 7466"


def register(actor, **overrides) -> Organisation:
    fields = {
        "name": " Ragunda musikförening ",
        "org_number": factories.org_number(),
        "org_type": "association",
        "municipality": "2303",
    }
    return services.organisation_register(actor=actor, **(fields | overrides))


def add_account(organisation, actor, kind="iban", number=IBAN, **fields) -> PayoutAccount:
    return services.payout_account_add(
        organisation=organisation,
        actor=actor,
        kind=kind,
        number=number,
        holder_name=fields.pop("holder_name", "Storsjöteatern ideell förening"),
        **fields,
    )


@pytest.fixture
def verified(organisation):
    """The verified Bankgiro account the organisation fixture is paid to."""
    return organisation.payout_accounts.verified().get()


@pytest.fixture
def change(organisation, applicant, verified):
    """A signatory's change to an IBAN, awaiting verification."""
    return add_account(organisation, applicant)


# organisation_register


def test_registering_makes_the_actor_its_first_signatory(applicant):
    organisation = register(applicant, org_number="2321000214")

    assert organisation.name == "Ragunda musikförening"
    assert organisation.org_number == "232100-0214"
    assert Membership.objects.get(organisation=organisation).role == "signatory"
    entry = entries_for(organisation).get(action="organisations.organisation.registered")
    assert entry.actor == applicant
    assert entry.data == {
        "name": "Ragunda musikförening",
        "org_type": "association",
        "municipality": "2303",
    }


@pytest.mark.parametrize(
    ("org_number", "message"),
    [
        ("232100-0215", "The check digit is wrong"),
        ("19121212-1212", "A personal identity number is only accepted for sole traders"),
    ],
)
def test_an_invalid_organisation_number_is_refused_with_a_clear_message(
    applicant, org_number, message
):
    error = refused(register, actor=applicant, org_number=org_number)

    assert error.code == "invalid"
    assert str(error).startswith(message)
    assert error.problems == [str(error)]
    assert not Organisation.objects.exists()


def test_a_sole_trader_registers_with_a_personnummer_that_is_masked(applicant):
    organisation = register(applicant, org_type="sole_trader", org_number="19121212-1212")

    assert organisation.org_number == "121212-1212"
    assert organisation.display_org_number == "121212-****"


def test_an_organisation_is_registered_once(applicant, applicant_b):
    register(applicant, org_number="232100-0214")

    error = refused(register, actor=applicant_b, org_number="2321000214")

    assert error.code == "already_registered"
    assert "232100-0214 is already registered" in str(error)
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("field", [{"municipality": "9999"}, {"org_type": "spaceship"}])
def test_an_unknown_municipality_or_type_is_a_workflow_error(applicant, field):
    with pytest.raises(WorkflowError):
        register(applicant, **field)


# membership_add


def test_a_signatory_adds_a_member(organisation, applicant, applicant_b):
    membership = services.membership_add(
        organisation=organisation, user=applicant_b, role="member", actor=applicant
    )

    assert membership.role == "member"
    entry = entries_for(membership).get(action="organisations.membership.added")
    assert entry.actor == applicant
    assert entry.data == {"user": "applicant-b@example.org", "role": "member"}


def test_a_signatory_makes_a_member_signatory(organisation, applicant, member):
    membership = services.membership_add(
        organisation=organisation, user=member, role="signatory", actor=applicant
    )

    assert Membership.objects.get(pk=membership.pk).role == "signatory"
    assert entries_for(membership).get(action="organisations.membership.role_changed").data == {
        "user": "member-a@example.org",
        "old": "member",
        "new": "signatory",
    }


def test_adding_an_existing_member_again_changes_nothing(organisation, applicant, member):
    entries_before = LogEntry.objects.count()

    services.membership_add(organisation=organisation, user=member, role="member", actor=applicant)

    assert LogEntry.objects.count() == entries_before
    assert Membership.objects.filter(organisation=organisation).count() == 2


@pytest.mark.parametrize("who", ["member", "applicant_b", "officer"])
def test_only_a_signatory_adds_members(request, organisation, who):
    newcomer = factories.user()

    error = refused(
        services.membership_add,
        organisation=organisation,
        user=newcomer,
        role="member",
        actor=request.getfixturevalue(who),
    )

    assert error.code == "not_signatory"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_member_cannot_make_themselves_signatory(organisation, member):
    refused(
        services.membership_add,
        organisation=organisation,
        user=member,
        role="signatory",
        actor=member,
    )

    assert Membership.objects.get(user=member).role == "member"


def test_the_system_adds_members_without_an_actor(organisation, applicant_b):
    membership = services.membership_add(
        organisation=organisation, user=applicant_b, role="member", actor=None
    )

    assert entries_for(membership).get().actor is None


def test_an_unknown_role_is_refused(organisation, applicant, applicant_b):
    error = refused(
        services.membership_add,
        organisation=organisation,
        user=applicant_b,
        role="boss",
        actor=applicant,
    )

    assert error.code == "invalid"
    assert not Membership.objects.filter(user=applicant_b).exists()


# payout_account_add


@pytest.mark.parametrize(
    ("kind", "number", "stored"),
    [
        ("bankgiro", "5402-9681", "5402-9681"),
        ("plusgiro", "90 1950-6", "901950-6"),
        ("bank_account", "8424-4, 983 189 224-6", "84244-9831892246"),
        ("iban", IBAN, "SE4550000000058398257466"),
    ],
)
def test_a_signatory_adds_an_account_that_awaits_verification(applicant, kind, number, stored):
    organisation = register(applicant)

    account = add_account(organisation, applicant, kind=kind, number=number)

    assert account.number == stored
    assert account.created_by == applicant
    assert account.verified_at is None
    assert not account.is_verified
    assert list(organisation.payout_accounts.pending()) == [account]
    assert not organisation.payout_accounts.verified().exists()
    entry = entries_for(account).get(action="organisations.payout_account.added")
    assert entry.actor == applicant
    assert entry.data["number"] == stored
    assert entry.data["kind"] == kind


@pytest.mark.parametrize(
    ("kind", "number", "message"),
    [
        ("bankgiro", "5402-9682", "The check digit is wrong: check the number for a typing"),
        ("plusgiro", "90 1950-7", "The check digit is wrong"),
        ("iban", "SE45 5000 0000 0583 9825 7467", "The IBAN's check digits are wrong"),
        ("bankgiro", IBAN, ""),
        ("swish", "123 456 78 90", ""),
    ],
)
def test_an_invalid_account_number_is_refused_with_a_clear_message(
    organisation, applicant, verified, kind, number, message
):
    error = refused(
        add_account, organisation=organisation, actor=applicant, kind=kind, number=number
    )

    assert error.code == "invalid"
    assert str(error).startswith(message)
    assert str(error)
    assert error.problems
    assert list(organisation.payout_accounts.current()) == [verified]


def test_an_iban_account_keeps_its_bic(organisation, applicant):
    account = add_account(organisation, applicant, bic=" esseSESS ")

    assert account.bic == "ESSESESS"


@pytest.mark.parametrize("bic", ["NOT A BIC", "ESSESESSXXXX1"])
def test_an_invalid_bic_is_refused(organisation, applicant, bic):
    with pytest.raises(WorkflowError):
        add_account(organisation, applicant, bic=bic)


@pytest.mark.parametrize("who", ["member", "applicant_b", "finance"])
def test_only_a_signatory_changes_the_account(request, organisation, verified, who):
    error = refused(add_account, organisation=organisation, actor=request.getfixturevalue(who))

    assert error.code == "not_signatory"
    assert list(organisation.payout_accounts.current()) == [verified]


def test_a_change_leaves_the_verified_account_in_use(organisation, verified, change):
    assert list(organisation.payout_accounts.verified()) == [verified]
    assert list(organisation.payout_accounts.pending()) == [change]
    assert organisation.payout_accounts.current().count() == 2
    assert PayoutAccount.objects.get(pk=verified.pk).superseded_at is None


def test_a_second_change_replaces_the_first_one_awaiting_verification(
    organisation, applicant, verified, change
):
    second = add_account(organisation, applicant, kind="plusgiro", number="90 1950-6")

    assert list(organisation.payout_accounts.pending()) == [second]
    assert PayoutAccount.objects.get(pk=change.pk).superseded_at is not None
    assert list(organisation.payout_accounts.verified()) == [verified]
    entry = entries_for(second).get(action="organisations.payout_account.added")
    assert entry.data["replaced_pending"] == [change.pk]


# payout_account_verify


def test_verifying_the_change_retires_the_old_account(organisation, verified, change, finance_2):
    account = services.payout_account_verify(account=change, actor=finance_2)

    assert account.is_verified
    assert account.verified_by == finance_2
    assert list(organisation.payout_accounts.verified()) == [change]
    assert not organisation.payout_accounts.pending().exists()
    assert PayoutAccount.objects.get(pk=verified.pk).superseded_at is not None
    entry = entries_for(account).get(action="organisations.payout_account.verified")
    assert entry.actor == finance_2
    assert entry.data == {
        "kind": "iban",
        "number": "SE4550000000058398257466",
        "replaced": [verified.pk],
    }


@pytest.mark.parametrize("who", ["officer", "decider", "applicant"])
def test_only_finance_verifies_accounts(request, change, who):
    error = refused(
        services.payout_account_verify, account=change, actor=request.getfixturevalue(who)
    )

    assert error.code == "wrong_role"
    assert str(error) == "Only a finance officer can verify payout accounts."
    assert PayoutAccount.objects.get(pk=change.pk).verified_at is None


@pytest.mark.parametrize("role", ["member", "signatory"])
def test_a_finance_officer_who_is_a_member_cannot_verify(
    organisation, applicant, change, finance_2, role
):
    services.membership_add(organisation=organisation, user=finance_2, role=role, actor=applicant)

    error = refused(services.payout_account_verify, account=change, actor=finance_2)

    assert error.code == "conflict"
    assert str(error) == (
        "You are a member of Storsjöteatern ideell förening and cannot verify its account (jäv)."
    )
    assert PayoutAccount.objects.get(pk=change.pk).verified_at is None


def test_the_one_who_entered_the_account_cannot_verify_it(
    organisation, applicant, verified, finance_2
):
    # A finance officer who signed for the organisation entered the account, then left it.
    services.membership_add(
        organisation=organisation, user=finance_2, role="signatory", actor=applicant
    )
    account = add_account(organisation, finance_2)
    Membership.objects.filter(user=finance_2).delete()

    error = refused(services.payout_account_verify, account=account, actor=finance_2)

    assert error.code == "four_eyes"
    assert str(error) == (
        "You entered this account yourself; another finance officer must verify it."
    )
    assert list(organisation.payout_accounts.verified()) == [verified]


def test_an_account_is_verified_once(organisation, verified, finance_2):
    error = refused(services.payout_account_verify, account=verified, actor=finance_2)

    assert error.code == "wrong_state"
    assert str(error) == "This account is no longer awaiting verification."


def test_a_replaced_change_cannot_be_verified(organisation, applicant, change, finance_2):
    add_account(organisation, applicant, kind="plusgiro", number="90 1950-6")

    error = refused(services.payout_account_verify, account=change, actor=finance_2)

    assert error.code == "wrong_state"


# payout_account_reject


def test_rejecting_a_change_keeps_the_verified_account(organisation, verified, change, finance):
    account = services.payout_account_reject(
        account=change, actor=finance, reason=" Kontohavaren är inte föreningen. "
    )

    assert account.rejected_by == finance
    assert account.rejection_reason == "Kontohavaren är inte föreningen."
    assert not account.is_verified
    assert list(organisation.payout_accounts.verified()) == [verified]
    assert not organisation.payout_accounts.pending().exists()
    entry = entries_for(account).get(action="organisations.payout_account.rejected")
    assert entry.actor == finance
    assert entry.data["reason"] == "Kontohavaren är inte föreningen."


def test_a_rejected_account_cannot_be_verified_later(change, finance, finance_2):
    services.payout_account_reject(account=change, actor=finance, reason="Fel kontohavare.")

    error = refused(services.payout_account_verify, account=change, actor=finance_2)

    assert error.code == "wrong_state"


def test_rejecting_needs_a_reason(change, finance):
    error = refused(services.payout_account_reject, account=change, actor=finance, reason=" ")

    assert str(error) == "Give the reason for rejecting the account."
    assert PayoutAccount.objects.get(pk=change.pk).rejected_at is None


def test_a_finance_officer_who_is_a_member_cannot_reject(
    organisation, applicant, change, finance_2
):
    services.membership_add(
        organisation=organisation, user=finance_2, role="member", actor=applicant
    )

    error = refused(services.payout_account_reject, account=change, actor=finance_2, reason="Fel.")

    assert error.code == "conflict"


def test_a_verified_account_cannot_be_rejected(verified, finance_2):
    error = refused(services.payout_account_reject, account=verified, actor=finance_2, reason="x")

    assert error.code == "wrong_state"
    assert PayoutAccount.objects.get(pk=verified.pk).is_verified


def test_a_finance_officer_with_declared_jav_cannot_verify(organisation, applicant, finance_2):
    from grants.models import ConflictOfInterest

    account = services.payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="plusgiro",
        number="4105468-5",
        holder_name=organisation.name,
    )
    ConflictOfInterest.objects.create(user=finance_2, organisation=organisation, reason="Kusin")

    with pytest.raises(WorkflowError, match="conflict of interest"):
        services.payout_account_verify(account=account, actor=finance_2)
    assert PayoutAccount.objects.get(pk=account.pk).verified_at is None
