"""Deciding by delegation in the officer workspace: the proposals a decision maker may decide,
the decision page, returning a proposal, the e-mail to the applicant, and every forbidden path."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from decisions.models import Decision, DelegationRule
from grants import services
from grants.workflow import ApplicationState
from organisations.services import membership_add
from tests import factories
from tests.assertions import state_of

S = ApplicationState


def proposals_url():
    return reverse("deciding:proposals")


def decide_url(application):
    return reverse("deciding:decide", args=[application.pk])


def return_url(application):
    return reverse("deciding:return", args=[application.pk])


def case_url(application):
    return reverse("casework:case", args=[application.pk])


def decision_post(**fields):
    return {
        "outcome": "approved",
        "amount": "50000",
        "reasons": "Projektet stärker kulturlivet i länet.",
        "conditions": "Regionen ska nämnas.",
    } | fields


def page(response) -> str:
    return response.content.decode()


# The proposals to decide


def test_a_decision_maker_sees_the_proposals_within_the_delegation(
    client, decider, delegation, proposed, call, officer
):
    partly = factories.proposal(
        call, officer, requested="150000", amount="80000", recommendation="approve_partly"
    )
    above = factories.proposal(call, officer, requested="150000")
    rejected_above = factories.proposal(call, officer, requested="150000", recommendation="reject")
    client.force_login(decider)

    response = client.get(proposals_url())

    assert response.status_code == 200
    html = page(response)
    assert f'href="{decide_url(proposed)}"' in html
    assert f'href="{decide_url(partly)}"' in html
    assert above.case_number not in html
    assert rejected_above.case_number not in html  # a rejection concerns the 150 000 applied for
    assert "Storsjöteatern ideell förening" in html
    assert "Project grants for culture 2026" in html
    assert "Karin Handläggare" in html  # the presenter
    assert "80,000 kr" in html and "150,000 kr" in html
    assert "4.00" in html  # the weighted score
    assert "2 proposals are above your delegation: the committee decides them." in html
    assert 'aria-current="page"' in html


def test_delegation_comes_from_the_groups_programme_and_active_rules(
    client, decider, proposed, call, officer, programme
):
    group = Group.objects.get(name="decision_maker")
    DelegationRule.objects.create(group=group, programme=programme, max_amount=60000, reference="G")
    DelegationRule.objects.create(user=decider, max_amount=500000, reference="Off", is_active=False)
    other_programme = factories.programme(name_sv="Annat", name_en="Other", case_prefix="ANN")
    DelegationRule.objects.create(
        user=decider, programme=other_programme, max_amount=500000, reference="Other"
    )
    larger = factories.proposal(call, officer, requested="80000")
    client.force_login(decider)

    html = page(client.get(proposals_url()))

    assert proposed.case_number in html
    assert larger.case_number not in html
    assert "1 proposal is above your delegation: the committee decides it." in html


def test_the_presenter_and_jav_are_counted_but_not_listed(
    client, decider, delegation, proposed, call, officer
):
    both = factories.user("both@example.org", "officer", "decision_maker", full_name="Bo Båda")
    DelegationRule.objects.create(user=both, max_amount=500000, reference="B")
    presented = factories.proposal(call, both)
    jav = factories.proposal(call, officer)
    services.conflict_declare(
        user=both, organisation=jav.organisation, reason="Styrelse", actor=both
    )
    member_jav = factories.proposal(call, officer)
    membership_add(organisation=member_jav.organisation, user=both, role="member", actor=None)
    client.force_login(both)

    html = page(client.get(proposals_url()))

    assert proposed.case_number in html
    for hidden in (presented, jav, member_jav):
        assert hidden.case_number not in html
        assert hidden.organisation.name not in html
    assert "You presented 1 proposal, so another decision maker decides it" in html
    assert "2 proposals concern organisations you have a conflict of interest (jäv) for" in html


def test_with_nothing_to_decide_the_page_says_so(client, decider, delegation):
    client.force_login(decider)

    assert "There are no proposals for you to decide." in page(client.get(proposals_url()))


@pytest.mark.parametrize("size", [1, 4])
def test_the_proposals_page_takes_the_same_queries_for_any_number(
    client, decider, delegation, call, officer, size, django_assert_num_queries
):
    for _ in range(size):
        factories.proposal(call, officer)
    factories.proposal(call, officer, requested="150000")  # above the delegation: counted
    client.force_login(decider)

    # Session, user, the user's permissions (2), the counts by standing, the page.
    with django_assert_num_queries(6):
        response = client.get(proposals_url())

    assert page(response).count(">KUL ") == size


def test_the_proposals_come_in_pages_oldest_first(
    client, decider, delegation, proposed, call, officer, monkeypatch
):
    from decisions import selectors

    monkeypatch.setattr(selectors, "PROPOSALS_PER_PAGE", 2)
    newer = [factories.proposal(call, officer) for _ in range(2)]
    client.force_login(decider)

    first = page(client.get(proposals_url()))
    second = page(client.get(proposals_url() + "?page=2"))

    assert proposed.case_number in first and newer[0].case_number in first
    assert newer[1].case_number not in first
    assert "3 proposals to decide – page 1 of 2" in first
    assert 'href="?page=2"' in first
    assert newer[1].case_number in second and proposed.case_number not in second


@pytest.mark.parametrize("who", ["officer", "secretary", "finance", "applicant"])
def test_only_decision_makers_reach_the_proposals(request, client, who, proposed):
    client.force_login(request.getfixturevalue(who))

    assert client.get(proposals_url()).status_code == 403


def test_the_proposals_need_a_login(client):
    response = client.get(proposals_url())

    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]


# The decide page


def test_the_decide_page_shows_the_proposal_and_the_delegation(
    client, decider, delegation, proposed
):
    client.force_login(decider)

    response = client.get(decide_url(proposed))

    assert response.status_code == 200
    html = page(response)
    assert f"Decide {proposed.case_number}" in html
    for text in (
        "Artistic quality",  # criteria with their weights and scores
        "Regional benefit",
        "4.00 of 5",
        "Gender equality",  # the five perspectives with their ratings
        "Strengthens",
        "Tydligt beskrivet.",
        "4. Quality education",  # Agenda 2030
        "Approve",
        "Ansökan uppfyller programmets syfte",  # reasons
        "Regionen ska nämnas i all marknadsföring.",  # conditions
        "Karin Handläggare",  # the presenter
        "Within your delegation.",
        "Delegationsordning RUN 2026, punkt 4.2",
        "up to 100,000 kr",
        f'href="{return_url(proposed)}"',
    ):
        assert text in html, text
    form = response.context["form"]
    assert form["outcome"].value() == "approved"
    assert form["amount"].value() == "50000"
    assert form["reasons"].value().startswith("Ansökan uppfyller")
    assert form["conditions"].value() == "Regionen ska nämnas i all marknadsföring."


def test_the_decide_page_says_when_the_committee_or_another_decider_decides(
    client, decider, call, officer
):
    DelegationRule.objects.create(user=decider, max_amount=100000, reference="D")
    above = factories.proposal(call, officer, requested="150000")
    both = factories.user("both@example.org", "officer", "decision_maker")
    DelegationRule.objects.create(user=both, max_amount=500000, reference="B")
    presented = factories.proposal(call, both)
    client.force_login(decider)

    assert "Above your delegation: the committee decides." in page(client.get(decide_url(above)))

    client.force_login(both)
    html = page(client.get(decide_url(presented)))
    assert "You presented this case: four-eyes principle." in html


def test_a_reject_proposal_preselects_the_rejection_without_an_amount(
    client, decider, delegation, call, officer
):
    rejection = factories.proposal(call, officer, recommendation="reject")
    client.force_login(decider)

    form = client.get(decide_url(rejection)).context["form"]

    assert form["outcome"].value() == "rejected"
    assert form["amount"].value() is None


def test_approving_records_the_decision_and_goes_to_the_case(client, decider, delegation, proposed):
    client.force_login(decider)

    response = client.post(decide_url(proposed), decision_post())

    assert response.status_code == 302
    assert response["Location"] == case_url(proposed)
    decision = Decision.objects.get(application=proposed)
    assert (decision.outcome, decision.amount) == ("approved", Decimal("50000.00"))
    assert decision.decided_by == decider
    assert decision.delegation_reference == "Delegationsordning RUN 2026, punkt 4.2"
    assert decision.conditions == "Regionen ska nämnas."
    assert state_of(proposed) == S.APPROVED
    message = str(list(response.wsgi_request._messages)[0])
    assert message.startswith(f"{proposed.case_number} is approved: 50,000 kr granted.")


@pytest.mark.parametrize(
    ("outcome", "amount", "state"),
    [
        ("approved_partly", "30 000", S.APPROVED),
        ("rejected", "", S.REJECTED),
        ("dismissed", "50000", S.REJECTED),  # an amount typed for a rejection is not used
    ],
)
def test_each_outcome_can_be_decided(client, decider, delegation, proposed, outcome, amount, state):
    client.force_login(decider)

    response = client.post(decide_url(proposed), decision_post(outcome=outcome, amount=amount))

    assert response.status_code == 302
    decision = Decision.objects.get(application=proposed)
    assert decision.outcome == outcome
    assert decision.amount == (Decimal("30000") if outcome == "approved_partly" else 0)
    assert state_of(proposed) == state


def test_an_approval_needs_an_amount_and_reasons(client, decider, delegation, proposed):
    client.force_login(decider)

    response = client.post(decide_url(proposed), decision_post(amount="", reasons=""))

    assert response.status_code == 200
    html = page(response)
    assert "Give the amount granted." in html
    assert "Give the reasons for the decision." in html
    assert not Decision.objects.exists()


def test_a_decision_above_the_delegation_is_refused_and_the_form_kept(
    client, decider, call, officer
):
    DelegationRule.objects.create(user=decider, max_amount=100000, reference="D")
    above = factories.proposal(call, officer, requested="150000")
    client.force_login(decider)

    response = client.post(
        decide_url(above), decision_post(amount="150000", reasons="Mitt eget skäl.")
    )

    assert response.status_code == 200
    html = page(response)
    assert "above your delegation for this programme; the case goes to the committee" in html
    assert "Mitt eget skäl." in html
    assert response.context["form"]["amount"].value() == "150000"
    assert not Decision.objects.exists()
    assert state_of(above) == S.PROPOSED


def test_the_delegation_is_checked_against_the_amount_decided(
    client, decider, delegation, proposed
):
    """50 000 kr proposed is above a 40 000 kr delegation, but granting 30 000 kr is within."""
    DelegationRule.objects.filter(user=decider).update(max_amount=40000)
    client.force_login(decider)

    response = client.post(
        decide_url(proposed), decision_post(outcome="approved_partly", amount="30000")
    )

    assert response.status_code == 302
    assert Decision.objects.get(application=proposed).amount == Decimal("30000")


def test_the_presenter_may_not_decide_under_four_eyes(client, call):
    both = factories.user("both@example.org", "officer", "decision_maker")
    DelegationRule.objects.create(user=both, max_amount=500000, reference="B")
    presented = factories.proposal(call, both)
    client.force_login(both)

    response = client.post(decide_url(presented), decision_post())

    assert response.status_code == 200
    assert "may not also decide it (four-eyes principle)" in page(response)
    assert not Decision.objects.exists()
    assert state_of(presented) == S.PROPOSED


@pytest.mark.parametrize("how", ["declared", "member"])
def test_a_decider_with_jav_gets_403_and_decides_nothing(
    client, decider, delegation, proposed, how
):
    if how == "declared":
        services.conflict_declare(
            user=decider, organisation=proposed.organisation, reason="Jäv", actor=decider
        )
    else:
        membership_add(organisation=proposed.organisation, user=decider, role="member", actor=None)
    client.force_login(decider)

    get = client.get(decide_url(proposed))
    post = client.post(decide_url(proposed), decision_post())

    assert get.status_code == post.status_code == 403
    assert "conflict of interest" in page(post)
    assert proposed.title not in page(get)
    assert not Decision.objects.exists()
    assert state_of(proposed) == S.PROPOSED


@pytest.mark.parametrize("who", ["officer", "secretary", "finance", "applicant"])
def test_no_one_but_a_decision_maker_opens_or_posts_the_decide_page(
    request, client, who, proposed, delegation
):
    user = request.getfixturevalue(who)
    DelegationRule.objects.create(user=user, max_amount=500000, reference="X")
    client.force_login(user)

    assert client.get(decide_url(proposed)).status_code == 403
    assert client.post(decide_url(proposed), decision_post()).status_code == 403
    assert not Decision.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, proposed):
    for url in (proposals_url(), decide_url(proposed), return_url(proposed)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/konto/logga-in/" in response["Location"]
    client.post(decide_url(proposed), decision_post())
    assert not Decision.objects.exists()


def test_a_case_that_is_not_proposed_cannot_be_decided(client, decider, delegation, under_review):
    client.force_login(decider)

    html = page(client.get(decide_url(under_review)))
    assert "This case is not awaiting a decision: it is “Under review”." in html
    assert 'name="outcome"' not in html

    response = client.post(decide_url(under_review), decision_post())
    assert response.status_code == 200
    assert "This cannot be done while the application is “Under review”." in page(response)
    assert not Decision.objects.exists()


def test_a_second_post_says_the_case_has_already_been_decided(
    client, decider, delegation, proposed
):
    client.force_login(decider)
    client.post(decide_url(proposed), decision_post())

    response = client.post(decide_url(proposed), decision_post(outcome="rejected"))

    assert response.status_code == 200
    html = page(response)
    assert "This case has already been decided: approved on" in html
    assert "Anna Chef" in html
    assert Decision.objects.get().outcome == "approved"


# The e-mail to the applicant


@pytest.mark.parametrize(
    ("outcome", "amount", "expected"),
    [
        ("approved", "50000", ["has granted", "Granted in full", "Granted amount: 50\u00a0000 kr"]),
        (
            "approved_partly",
            "30000",
            [
                "30\u00a0000 kr, part of the amount applied for",
                "Granted in part",
                "Amount applied for: 50\u00a0000 kr",
            ],
        ),
        ("rejected", "", ["has rejected the application", "Not granted"]),
        ("dismissed", "", ["has dismissed the application", "without examining it"]),
    ],
)
def test_every_decision_is_e_mailed_to_the_applicant(
    client,
    decider,
    delegation,
    proposed,
    applicant,
    outcome,
    amount,
    expected,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    proposed.letter_language = "en"
    proposed.save(update_fields=["letter_language"])
    client.force_login(decider)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(proposed), decision_post(outcome=outcome, amount=amount))

    [email] = mailoutbox
    assert email.to == [applicant.email]
    assert email.subject == f"Decision on your application {proposed.case_number}"
    assert f"Case number: {proposed.case_number}" in email.body
    assert f"{settings.SITE_URL}/en/mina-sidor/{proposed.pk}/" in email.body
    assert "Projektet stärker kulturlivet i länet." in email.body  # the reasons
    for text in expected:
        assert text in email.body, text
    if outcome in ("rejected", "dismissed"):
        assert "Granted amount" not in email.body


def test_the_decision_e_mail_links_to_the_swedish_pages_in_swedish(
    client, decider, delegation, proposed, mailoutbox, django_capture_on_commit_callbacks, settings
):
    client.force_login(decider)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(proposed), decision_post())

    [email] = mailoutbox
    assert email.subject == f"Beslut om din ansökan {proposed.case_number}"
    assert "har beviljat" in email.body
    assert f"{settings.SITE_URL}/mina-sidor/{proposed.pk}/" in email.body


def test_a_refused_decision_sends_nothing(
    client, call, mailoutbox, django_capture_on_commit_callbacks
):
    both = factories.user("both@example.org", "officer", "decision_maker")
    DelegationRule.objects.create(user=both, max_amount=500000, reference="B")
    presented = factories.proposal(call, both)
    mailoutbox.clear()
    client.force_login(both)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(presented), decision_post())

    assert mailoutbox == []


# Returning a proposal


def test_a_decision_maker_returns_a_proposal_to_the_officer(
    client, decider, proposed, officer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(decider)
    assert "Why is the case returned?" in page(client.get(return_url(proposed)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(return_url(proposed), {"reason": "Budgeten behöver ses över."})

    assert response.status_code == 302
    assert response["Location"] == case_url(proposed)
    assert state_of(proposed) == S.UNDER_REVIEW
    [email] = mailoutbox
    assert email.to == [officer.email]
    assert "Budgeten behöver ses över." in email.body
    message = str(list(response.wsgi_request._messages)[0])
    assert (
        message
        == f"{proposed.case_number} has been returned to Karin Handläggare, who has been told."
    )


def test_a_return_needs_a_reason(client, decider, proposed):
    client.force_login(decider)

    response = client.post(return_url(proposed), {"reason": "  "})

    assert response.status_code == 200
    assert "Give the reason for returning the case." in page(response)
    assert state_of(proposed) == S.PROPOSED


def test_only_a_proposal_can_be_returned(client, decider, under_review):
    client.force_login(decider)

    assert "Only a proposal can be returned" in page(client.get(return_url(under_review)))
    response = client.post(return_url(under_review), {"reason": "Fel."})
    assert response.status_code == 200
    assert "This cannot be done while the application is “Under review”." in page(response)


def test_the_secretary_may_return_a_proposal_too(client, secretary, proposed):
    client.force_login(secretary)

    response = client.post(return_url(proposed), {"reason": "Nämnden vill veta mer."})

    assert response.status_code == 302
    assert state_of(proposed) == S.UNDER_REVIEW


@pytest.mark.parametrize("who", ["officer", "finance", "applicant"])
def test_no_one_else_returns_a_proposal(request, client, who, proposed):
    client.force_login(request.getfixturevalue(who))

    assert client.get(return_url(proposed)).status_code == 403
    assert client.post(return_url(proposed), {"reason": "Nej."}).status_code == 403
    assert state_of(proposed) == S.PROPOSED


def test_a_decider_with_jav_cannot_return_the_proposal(client, decider, proposed):
    membership_add(organisation=proposed.organisation, user=decider, role="member", actor=None)
    client.force_login(decider)

    assert client.post(return_url(proposed), {"reason": "Nej."}).status_code == 403
    assert state_of(proposed) == S.PROPOSED
