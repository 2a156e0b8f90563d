"""Bank details on /ekonomi/konton/: the queue of new and changed payout accounts, verified or
rejected by a finance officer other than the one who entered them; and the forbidden paths."""

import pytest
from django.urls import reverse

from audit.services import entries_for
from grants import services as grant_services
from organisations.models import PayoutAccount
from organisations.services import membership_add, payout_account_add
from tests import factories


def account_url(account, name="account"):
    return reverse(f"finance:{name}", args=[account.pk])


def fresh(account):
    return PayoutAccount.objects.get(pk=account.pk)


@pytest.fixture
def pending(applicant):
    """A new organisation's first payout account, awaiting verification."""
    organisation = factories.organisation(applicant, name="Bräcke hembygdsförening")
    return organisation.payout_accounts.get()


@pytest.fixture
def change(organisation, applicant):
    """A change of the organisation's verified account, awaiting verification."""
    return payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="plusgiro",
        number="410 54 68-5",
        holder_name="Storsjöteatern ideell förening",
    )


def test_the_queue_lists_new_and_changed_accounts(client, pending, change, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:accounts")).content.decode()
    assert "Bräcke hembygdsförening" in page
    assert "Storsjöteatern ideell förening" in page
    assert "4105468-5" in page
    assert "Change of a verified account" in page
    assert "First account" in page


def test_the_account_page_shows_the_organisations_history(client, change, organisation, finance):
    client.force_login(finance)
    page = client.get(account_url(change)).content.decode()
    verified = organisation.payout_accounts.verified().get()
    assert verified.number in page
    assert "(paid now)" in page
    assert "Alva Sökande" in page  # the signatory, and who entered the change
    assert "entered the account" in page and "verified the account" in page  # the trail


def test_a_finance_officer_verifies_an_account(client, change, finance_2, organisation):
    client.force_login(finance_2)
    response = client.post(account_url(change, "verify_account"))
    assert response.status_code == 302
    assert fresh(change).verified_by == finance_2
    assert organisation.payout_accounts.verified().get() == change
    assert [entry.action for entry in entries_for(change)][-1] == (
        "organisations.payout_account.verified"
    )


def test_rejecting_needs_a_reason_and_keeps_what_was_typed(client, change, finance_2):
    client.force_login(finance_2)
    response = client.post(account_url(change, "reject_account"), {"reason": "  "})
    assert response.status_code == 400
    assert fresh(change).rejected_at is None
    response = client.post(
        account_url(change, "reject_account"), {"reason": "Kontohavaren är en privatperson."}
    )
    assert response.status_code == 302
    assert fresh(change).rejection_reason == "Kontohavaren är en privatperson."


def test_the_one_who_entered_an_account_cannot_verify_it(client, organisation, finance_2):
    signatory = factories.user("kassor@example.org", "finance", full_name="Kim Kassör")
    membership_add(organisation=organisation, user=signatory, role="signatory", actor=None)
    own = payout_account_add(
        organisation=organisation,
        actor=signatory,
        kind="bankgiro",
        number=factories.bankgiro(),
        holder_name=organisation.name,
    )
    client.force_login(signatory)
    # A member of the organisation has jäv: the account is not even shown.
    assert client.get(account_url(own)).status_code == 404
    client.post(account_url(own, "verify_account"))
    assert fresh(own).verified_at is None


def test_finance_who_entered_it_is_told_another_verifies(client, pending, finance, finance_2):
    account = pending
    PayoutAccount.objects.filter(pk=account.pk).update(created_by=finance)
    client.force_login(finance)
    page = client.get(account_url(account)).content.decode()
    assert "another finance officer must verify it" in page
    assert account_url(account, "verify_account") not in page
    response = client.post(account_url(account, "verify_account"), follow=True)
    assert "another finance officer must verify it" in response.content.decode()
    assert fresh(account).verified_at is None


def test_a_finance_officer_with_jav_sees_nothing_of_the_account(client, change, organisation):
    person = factories.user("finance-3@example.org", "finance", full_name="Folke Jävig")
    grant_services.conflict_declare(
        user=person, organisation=organisation, reason="Kassör", actor=person
    )
    client.force_login(person)
    assert "Storsjöteatern" not in client.get(reverse("finance:accounts")).content.decode()
    assert client.get(account_url(change)).status_code == 404
    assert client.post(account_url(change, "verify_account")).status_code == 404
    assert fresh(change).verified_at is None


@pytest.mark.parametrize("who", ["applicant", "officer", "decider"])
def test_no_one_else_sees_or_verifies_accounts(request, client, change, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("finance:accounts")).status_code == 403
    assert client.get(account_url(change)).status_code == 403
    assert client.post(account_url(change, "verify_account")).status_code == 403
    assert fresh(change).verified_at is None


def test_verifying_by_get_is_refused(client, change, finance_2):
    client.force_login(finance_2)
    assert client.get(account_url(change, "verify_account")).status_code == 405
    assert fresh(change).verified_at is None


def test_an_account_no_longer_pending_offers_nothing(client, change, finance_2):
    client.force_login(finance_2)
    client.post(account_url(change, "verify_account"))
    page = client.get(account_url(change)).content.decode()
    assert account_url(change, "verify_account") not in page
    response = client.post(account_url(change, "verify_account"), follow=True)
    assert "no longer awaiting verification" in response.content.decode()


def test_the_decided_accounts_are_listed_apart(client, change, finance_2):
    client.force_login(finance_2)
    client.post(account_url(change, "verify_account"))
    page = client.get(reverse("finance:accounts"), {"view": "decided"}).content.decode()
    assert "Verified by Frida Ekonom" in page
    assert page.count("Replaced ") == 1  # the account the change replaced


def test_the_queue_takes_a_fixed_number_of_queries(
    client, applicant, finance, django_assert_num_queries
):
    for index in range(3):
        factories.organisation(applicant, name=f"Förening {index}")
    client.force_login(finance)
    client.get(reverse("finance:accounts"))
    # session, user, its two permission queries, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("finance:accounts"))
    assert response.content.decode().count("Förening ") == 6  # the name and the holder


def test_the_account_page_takes_a_fixed_number_of_queries(
    client, change, finance, django_assert_num_queries
):
    client.force_login(finance)
    client.get(account_url(change))
    # session, user, permissions (2), the account, its history, the trail, the signatories
    with django_assert_num_queries(8):
        client.get(account_url(change))


def test_anonymous_visitors_are_sent_to_log_in(client, change):
    login = reverse("accounts:login")
    for response in (
        client.get(reverse("finance:accounts")),
        client.get(account_url(change)),
        client.post(account_url(change, "verify_account")),
        client.post(account_url(change, "reject_account"), {"reason": "Fel"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert fresh(change).verified_at is None
    assert fresh(change).rejected_at is None


def test_the_queue_marks_the_accounts_the_viewer_entered(client, pending, change, finance):
    PayoutAccount.objects.filter(pk=pending.pk).update(created_by=finance)
    client.force_login(finance)
    page = client.get(reverse("finance:accounts")).content.decode()
    assert page.count("(you: another officer verifies)") == 1


def test_a_rejection_is_audited_and_the_verified_account_stays_in_use(
    client, change, finance_2, organisation
):
    in_use = organisation.payout_accounts.verified().get()
    client.force_login(finance_2)
    response = client.post(
        account_url(change, "reject_account"), {"reason": "Kontot tillhör en annan förening."}
    )
    assert response.status_code == 302
    assert organisation.payout_accounts.verified().get() == in_use
    entry = list(entries_for(change))[-1]
    assert (entry.action, entry.actor) == ("organisations.payout_account.rejected", finance_2)
    assert entry.data["reason"] == "Kontot tillhör en annan förening."
    page = client.get(account_url(change)).content.decode()
    assert "Rejected by Frida Ekonom" in page
    assert "Kontot tillhör en annan förening." in page
    assert account_url(change, "reject_account") not in page


def test_a_reason_that_fails_validation_is_kept(client, change, finance_2):
    client.force_login(finance_2)
    reason = "Fel kontohavare, " + "ö" * 2000
    response = client.post(account_url(change, "reject_account"), {"reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert reason in page
    assert fresh(change).rejected_at is None


def test_rejecting_an_account_verified_meanwhile_says_so(client, change, finance, finance_2):
    client.force_login(finance)
    client.post(account_url(change, "verify_account"))
    client.force_login(finance_2)
    response = client.post(account_url(change, "reject_account"), {"reason": "Fel nummer"})
    assert response.status_code == 400
    assert "no longer awaiting verification" in response.content.decode()
    change = fresh(change)
    assert (change.verified_by, change.rejected_at) == (finance, None)


def test_rejecting_by_get_is_refused(client, change, finance_2):
    client.force_login(finance_2)
    assert client.get(account_url(change, "reject_account")).status_code == 405
    assert fresh(change).rejected_at is None


def test_no_one_else_rejects_accounts(client, change, officer):
    client.force_login(officer)
    response = client.post(account_url(change, "reject_account"), {"reason": "Fel"})
    assert response.status_code == 403
    assert fresh(change).rejected_at is None


def test_a_missing_account_is_not_found(client, finance):
    client.force_login(finance)
    assert client.get(reverse("finance:account", args=[99999])).status_code == 404


def test_the_decided_list_takes_a_fixed_number_of_queries(
    client, applicant, finance, finance_2, django_assert_num_queries
):
    for index in range(3):
        factories.organisation(applicant, verified_by=finance, name=f"Förening {index}")
    client.force_login(finance_2)
    client.get(reverse("finance:accounts"), {"view": "decided"})
    # session, user, its two permission queries, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("finance:accounts"), {"view": "decided"})
    assert response.content.decode().count("Verified by Fredrik Ekonom") == 3
