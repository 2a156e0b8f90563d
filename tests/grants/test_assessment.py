"""The assessment (DESIGN §4.2) and `propose`: under_review → proposed, by the assigned officer."""

from decimal import Decimal

import pytest

from audit.services import entries_for
from grants import services
from grants.models import Assessment, CriterionScore
from grants.workflow import ApplicationState as S
from organisations.errors import WorkflowError
from tests.assertions import refused, state_of

PERSPECTIVES = [
    "accessibility",
    "children_youth",
    "gender_equality",
    "equality",
    "indigenous_minority",
]


def criteria(application):
    quality, benefit = application.call.programme.criteria.order_by("pk")
    return quality, benefit


def save(application, actor, **overrides) -> Assessment:
    """Save a complete assessment; ``overrides`` replace any part of it."""
    quality, benefit = criteria(application)
    fields = {
        "scores": {quality.pk: (5, "Stark konstnärlig idé."), benefit.pk: (2, "Mest Östersund.")},
        "perspectives": {key: {"rating": "neutral", "comment": ""} for key in PERSPECTIVES},
        "agenda_goals": [10, 4, 4],
        "recommendation": "approve_partly",
        "proposed_amount": Decimal("40000"),
        "reasons": "Ansökan stärker kulturlivet men når få kommuner.",
        "conditions": "Regionens logotyp ska synas.",
    }
    return services.assessment_save(application=application, actor=actor, **(fields | overrides))


# assessment_save


def test_the_assigned_officer_saves_the_assessment(under_review, officer):
    assessment = save(under_review, officer)

    assert assessment.officer == officer
    assert assessment.recommendation == "approve_partly"
    assert assessment.proposed_amount == Decimal("40000")
    assert assessment.agenda_goals == [4, 10]
    assert assessment.scores.count() == 2
    assert assessment.is_complete()
    entry = entries_for(under_review).get(action="grants.assessment.saved")
    assert entry.actor == officer
    assert entry.data == {
        "recommendation": "approve_partly",
        "proposed_amount": "40000",
        "weighted_score": "4.00",
    }
    assert state_of(under_review) == S.UNDER_REVIEW


def test_the_weighted_score_is_computed_from_the_criterion_weights(under_review, officer):
    # Artistic quality weighs 2 and regional benefit 1: (2 × 5 + 1 × 2) / 3 = 4.
    assessment = save(under_review, officer)
    assert assessment.weighted_score() == Decimal("4.00")

    quality, benefit = criteria(under_review)
    assessment = save(under_review, officer, scores={quality.pk: (3, ""), benefit.pk: (5, "")})
    # (2 × 3 + 1 × 5) / 3 = 3.666…
    assert assessment.weighted_score() == Decimal("3.67")


def test_an_assessment_without_scores_has_no_weighted_score(under_review, officer):
    assessment = save(under_review, officer, scores={})

    assert assessment.weighted_score() is None


def test_saving_again_updates_the_scores(under_review, officer):
    quality, _benefit = criteria(under_review)
    save(under_review, officer)

    assessment = save(under_review, officer, scores={quality.pk: (1, "Svag.")})

    assert assessment.scores.count() == 2
    assert assessment.scores.get(criterion=quality).score == 1
    assert Assessment.objects.count() == 1


def test_the_proposed_amount_may_equal_but_not_exceed_the_amount_applied_for(under_review, officer):
    assert save(under_review, officer, proposed_amount=Decimal("50000")).proposed_amount == (
        Decimal("50000")
    )

    error = refused(
        save, application=under_review, actor=officer, proposed_amount=Decimal("50000.01")
    )

    assert error.code == "invalid"
    assert str(error) == "The proposed amount cannot be more than the 50\u00a0000 kr applied for."
    assert Assessment.objects.get().proposed_amount == Decimal("50000")


@pytest.mark.parametrize("score", [0, 6])
def test_scores_go_from_one_to_five(under_review, officer, score):
    quality, _benefit = criteria(under_review)

    error = refused(save, application=under_review, actor=officer, scores={quality.pk: (score, "")})

    assert str(error) == "Scores go from 1 to 5."
    assert not Assessment.objects.exists()
    assert not CriterionScore.objects.exists()


def test_a_criterion_of_another_programme_is_refused(under_review, officer):
    error = refused(save, application=under_review, actor=officer, scores={999999: (3, "")})

    assert str(error) == "Unknown assessment criterion."
    assert not Assessment.objects.exists()


def test_only_the_assigned_officer_assesses(under_review, officer_2):
    error = refused(save, application=under_review, actor=officer_2)

    assert error.code == "denied"
    assert str(error) == "Only the officer assigned to the case can propose a decision."
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["decider", "finance", "applicant"])
def test_others_cannot_assess(request, under_review, who):
    error = refused(save, application=under_review, actor=request.getfixturevalue(who))

    assert error.code == "denied"
    assert not Assessment.objects.exists()


def test_officer_who_declares_jav_can_no_longer_assess(under_review, officer, organisation):
    services.conflict_declare(
        user=officer, organisation=organisation, reason="Min syster är ordförande.", actor=officer
    )

    with pytest.raises(WorkflowError):
        save(under_review, officer)

    assert not Assessment.objects.exists()


def test_the_assessment_is_changed_only_under_review(proposed, officer):
    error = refused(save, application=proposed, actor=officer, reasons="Ändrad motivering.")

    assert error.code == "wrong_state"
    assert Assessment.objects.get().reasons != "Ändrad motivering."


def test_a_negative_proposed_amount_is_refused(under_review, officer):
    error = refused(save, application=under_review, actor=officer, proposed_amount=Decimal("-1"))

    assert error.code == "invalid"
    assert str(error) == "The proposed amount cannot be negative."
    assert not Assessment.objects.exists()


def test_an_unknown_recommendation_is_refused(under_review, officer):
    error = refused(save, application=under_review, actor=officer, recommendation="maybe")

    assert error.code == "invalid"
    assert str(error) == "Choose a recommendation from the list."
    assert not Assessment.objects.exists()


def test_a_recommendation_to_approve_in_full_proposes_the_full_amount(under_review, officer):
    save(under_review, officer, recommendation="approve", proposed_amount=Decimal("40000"))

    with pytest.raises(WorkflowError):
        services.application_propose(application=under_review, actor=officer)

    assert state_of(under_review) == S.UNDER_REVIEW


# propose: under_review → proposed


def test_the_assigned_officer_proposes_a_complete_assessment(under_review, officer):
    save(under_review, officer)

    application = services.application_propose(application=under_review, actor=officer)

    application.refresh_from_db()
    assert application.state == S.PROPOSED
    assert application.proposed_at is not None
    entry = entries_for(application).get(action="grants.application.proposed")
    assert entry.actor == officer
    assert entry.data == {
        "recommendation": "approve_partly",
        "proposed_amount": "40000.00",
        "weighted_score": "4.00",
    }


@pytest.mark.parametrize("recommendation", ["reject", "dismiss"])
def test_a_rejection_is_proposed_without_an_amount(under_review, officer, recommendation):
    save(under_review, officer, recommendation=recommendation, proposed_amount=None)

    assert services.application_propose(application=under_review, actor=officer).state == (
        S.PROPOSED
    )


def test_proposing_without_an_assessment_is_refused(under_review, officer):
    error = refused(services.application_propose, application=under_review, actor=officer)

    assert str(error) == "Assess the application before proposing a decision."
    assert state_of(under_review) == S.UNDER_REVIEW


def test_an_incomplete_assessment_lists_what_it_lacks(under_review, officer):
    quality, _benefit = criteria(under_review)
    save(
        under_review,
        officer,
        scores={quality.pk: (4, "")},
        perspectives={"accessibility": {"rating": "strengthens"}, "equality": {"rating": "great"}},
        recommendation="",
        proposed_amount=None,
        reasons=" ",
    )

    error = refused(services.application_propose, application=under_review, actor=officer)

    assert error.code == "incomplete"
    assert error.problems == [
        "a score for “Regional benefit”",
        "a rating of the perspective “Child and youth perspective”",
        "a rating of the perspective “Gender equality”",
        "a rating of the perspective “Equality”",
        "a rating of the perspective “Indigenous and minority perspective”",
        "a recommendation",
        "reasons",
    ]
    assert str(error) == f"The assessment lacks {', '.join(error.problems)}."
    assert state_of(under_review) == S.UNDER_REVIEW


def test_an_approving_assessment_needs_a_proposed_amount(under_review, officer):
    save(under_review, officer, recommendation="approve", proposed_amount=None)

    error = refused(services.application_propose, application=under_review, actor=officer)

    assert error.problems == ["a proposed amount equal to the amount applied for"]


def test_only_the_assigned_officer_proposes(under_review, officer, officer_2):
    save(under_review, officer)

    error = refused(services.application_propose, application=under_review, actor=officer_2)

    assert error.code == "denied"
    assert str(error) == "Only the officer assigned to the case can propose a decision."
    assert state_of(under_review) == S.UNDER_REVIEW


@pytest.mark.parametrize("who", ["decider", "secretary", "applicant"])
def test_others_cannot_propose(request, under_review, officer, who):
    save(under_review, officer)

    error = refused(
        services.application_propose, application=under_review, actor=request.getfixturevalue(who)
    )

    assert error.code == "denied"
    assert state_of(under_review) == S.UNDER_REVIEW


def test_a_reassigned_case_is_proposed_by_the_new_officer(under_review, officer, officer_2):
    save(under_review, officer)
    services.application_assign(application=under_review, actor=officer, officer=officer_2)

    with pytest.raises(WorkflowError, match="Only the officer assigned"):
        services.application_propose(application=under_review, actor=officer)
    assert services.application_propose(application=under_review, actor=officer_2).state == (
        S.PROPOSED
    )


@pytest.mark.parametrize("fixture", ["submitted", "proposed"])
def test_only_a_case_under_review_is_proposed(request, fixture, officer):
    application = request.getfixturevalue(fixture)
    state = state_of(application)

    error = refused(services.application_propose, application=application, actor=officer)

    assert error.code == "wrong_state"
    assert state_of(application) == state
