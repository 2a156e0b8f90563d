"""Handling a case in the officer workspace: take, assign, completion, jäv, assess, propose."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from audit.models import LogEntry
from audit.services import entries_for
from decisions.letter_texts import standard_conditions
from grants import selectors, services
from grants.forms_casework import AssignForm
from grants.models import Application, Assessment, CompletionRequest, ConflictOfInterest
from grants.workflow import ApplicationState as S
from organisations.services import membership_add
from tests import factories

PERSPECTIVES = [
    "accessibility",
    "children_youth",
    "gender_equality",
    "equality",
    "indigenous_minority",
]


def url(name, application):
    return reverse(f"casework:{name}", args=[application.pk])


def case_page(application):
    return url("case", application)


def shown(response) -> list[str]:
    """Return the messages the response left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(application) -> Application:
    return Application.objects.select_related("assigned_officer").get(pk=application.pk)


def criteria(application):
    return list(application.call.programme.criteria.order_by("pk"))


def complete_assessment(application, **overrides) -> dict:
    """Return the POST data of a complete assessment recommending approval in full."""
    quality, benefit = criteria(application)[:2]
    data = {
        f"score_{quality.pk}": "5",
        f"comment_{quality.pk}": "Stark konstnärlig idé.",
        f"score_{benefit.pk}": "2",
        f"comment_{benefit.pk}": "Mest Östersund.",
        "agenda_goals": ["4", "10"],
        "recommendation": "approve",
        "proposed_amount": "",
        "reasons": "Ansökan uppfyller programmets syfte.",
        "conditions": "Regionen ska nämnas.",
        "action": "save",
    }
    for code in PERSPECTIVES:
        data[f"rating_{code}"] = "strengthens"
        data[f"perspective_comment_{code}"] = "Väl beskrivet."
    return data | overrides


# Who may not: jäv, finance, applicants, anonymous


def jav_by_declaration(officer, organisation):
    services.conflict_declare(user=officer, organisation=organisation, reason="Jäv", actor=officer)


def jav_by_membership(officer, organisation):
    membership_add(organisation=organisation, user=officer, role="member", actor=None)


ACTIONS = [
    ("take", "post", {}),
    ("assign", "post", {"officer": "officer_2"}),
    ("request_completion", "get", {}),
    ("request_completion", "post", {"message": "Mer om budgeten.", "parts": ["budget"]}),
    ("declare_conflict", "get", {}),
    ("assess", "get", {}),
    ("assess", "post", {"assessment": True}),
    ("propose", "post", {}),
]


def _data(request, application, extra) -> dict:
    data = dict(extra)
    if data.pop("assessment", False):
        data = complete_assessment(application, action="propose")
    if data.get("officer"):
        data["officer"] = request.getfixturevalue(data["officer"]).pk
    if "message" in data:
        data["due_date"] = (timezone.localdate() + timedelta(days=10)).isoformat()
    return data


def _snapshot(application) -> tuple:
    application = refreshed(application)
    return (
        application.state,
        application.assigned_officer_id,
        Assessment.objects.filter(application=application).exists(),
        CompletionRequest.objects.filter(application=application).count(),
        LogEntry.objects.count(),
    )


@pytest.mark.parametrize(("name", "method", "extra"), ACTIONS)
@pytest.mark.parametrize("jav", [jav_by_declaration, jav_by_membership])
def test_an_officer_with_jav_gets_403_and_changes_nothing(
    request, client, under_review, officer, organisation, officer_2, name, method, extra, jav
):
    data = _data(request, under_review, extra)
    jav(officer, organisation)
    before = _snapshot(under_review)
    client.force_login(officer)

    response = getattr(client, method)(url(name, under_review), data)

    assert response.status_code == 403
    assert "conflict of interest" in response.content.decode()
    assert under_review.title not in response.content.decode()
    assert _snapshot(under_review) == before


@pytest.mark.parametrize(("name", "method", "extra"), ACTIONS)
def test_a_submitted_case_with_jav_cannot_be_taken_or_assigned(
    request, client, submitted, officer, officer_2, organisation, name, method, extra
):
    data = _data(request, submitted, extra)
    jav_by_declaration(officer, organisation)
    before = _snapshot(submitted)
    client.force_login(officer)

    assert getattr(client, method)(url(name, submitted), data).status_code == 403
    assert _snapshot(submitted) == before


@pytest.mark.parametrize("who", ["finance", "applicant", "member"])
@pytest.mark.parametrize(("name", "method", "extra"), ACTIONS)
def test_finance_and_applicants_get_403(
    request, client, under_review, officer_2, who, name, method, extra
):
    data = _data(request, under_review, extra)
    user = request.getfixturevalue(who)
    before = _snapshot(under_review)
    client.force_login(user)

    response = getattr(client, method)(url(name, under_review), data)

    assert response.status_code == 403
    assert under_review.title not in response.content.decode()
    assert _snapshot(under_review) == before


@pytest.mark.parametrize(("name", "method", "extra"), ACTIONS)
def test_anonymous_visitors_are_sent_to_log_in(
    request, client, under_review, officer_2, name, method, extra
):
    data = _data(request, under_review, extra)
    before = _snapshot(under_review)

    response = getattr(client, method)(url(name, under_review), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _snapshot(under_review) == before


@pytest.mark.parametrize("name", ["take", "assign", "propose"])
def test_state_changes_are_post_only(client, under_review, officer, name):
    client.force_login(officer)

    assert client.get(url(name, under_review)).status_code == 405


# take


def test_an_officer_takes_a_submitted_case(client, submitted, officer):
    client.force_login(officer)

    response = client.post(url("take", submitted))

    assert response.status_code == 302
    assert response["Location"] == case_page(submitted)
    application = refreshed(submitted)
    assert application.state == S.UNDER_REVIEW
    assert application.assigned_officer == officer
    assert entries_for(application).filter(action="grants.application.review_started").exists()
    assert shown(response) == [f"You now handle case {submitted.case_number}."]


@pytest.mark.parametrize("state", ["under_review", "completion_requested", "proposed"])
def test_an_officer_takes_over_a_case_being_handled(request, client, officer, officer_2, state):
    if state == "proposed":
        application = request.getfixturevalue("proposed")
    else:
        application = request.getfixturevalue("under_review")
        if state == "completion_requested":
            services.application_request_completion(
                application=application,
                actor=officer,
                message="Mer om budgeten.",
                due_date=timezone.localdate() + timedelta(days=14),
                parts=["budget"],
            )
    client.force_login(officer_2)

    client.post(url("take", application))

    application = refreshed(application)
    assert application.state == state
    assert application.assigned_officer == officer_2
    entry = entries_for(application).get(action="grants.application.assigned")
    assert entry.data == {"old": officer.email, "new": officer_2.email}


def test_taking_ones_own_case_changes_nothing(client, under_review, officer):
    entries = LogEntry.objects.count()
    client.force_login(officer)

    response = client.post(url("take", under_review))

    assert shown(response) == ["You already handle this case."]
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize("who", ["decider", "secretary"])
def test_a_decision_maker_or_secretary_cannot_take_a_case(request, client, submitted, who):
    client.force_login(request.getfixturevalue(who))

    response = client.post(url("take", submitted))

    assert response["Location"] == case_page(submitted)
    assert shown(response) == ["Your role does not allow this."]
    assert refreshed(submitted).state == S.SUBMITTED


def test_a_granted_case_is_taken_over_for_its_follow_up(client, approved, officer_2):
    client.force_login(officer_2)

    client.post(url("take", approved))

    application = refreshed(approved)
    assert application.state == S.APPROVED
    assert application.assigned_officer == officer_2


def test_a_rejected_case_cannot_be_taken(client, proposed, decider, delegation, officer_2):
    factories.decide(proposed, decider, outcome="rejected")
    client.force_login(officer_2)

    response = client.post(url("take", proposed))

    assert shown(response) == ["A case that is “Rejected” cannot be assigned."]
    assert refreshed(proposed).assigned_officer != officer_2


# assign


def test_a_submitted_case_is_assigned_and_its_handling_starts(
    client, submitted, officer, officer_2
):
    client.force_login(officer)

    response = client.post(url("assign", submitted), {"officer": officer_2.pk})

    assert response["Location"] == case_page(submitted)
    application = refreshed(submitted)
    assert application.state == S.UNDER_REVIEW
    assert application.assigned_officer == officer_2
    entry = entries_for(application).get(action="grants.application.review_started")
    assert entry.actor == officer
    assert entry.data == {"officer": officer_2.email}
    assert shown(response) == [f"Erik Handläggare now handles case {submitted.case_number}."]


def test_a_case_under_review_is_given_to_another_officer(client, under_review, officer, officer_2):
    client.force_login(officer)

    client.post(url("assign", under_review), {"officer": officer_2.pk})

    application = refreshed(under_review)
    assert application.state == S.UNDER_REVIEW
    assert application.assigned_officer == officer_2


@pytest.mark.parametrize("jav", [jav_by_declaration, jav_by_membership])
def test_a_case_is_not_given_to_an_officer_with_jav(
    client, under_review, officer, officer_2, organisation, jav
):
    jav(officer_2, organisation)
    entries = LogEntry.objects.count()
    client.force_login(officer)

    response = client.post(url("assign", under_review), {"officer": officer_2.pk})

    assert response["Location"] == case_page(under_review)
    assert shown(response) == [
        "Choose an officer from the list. Only culture officers without a conflict of "
        "interest (jäv) for Storsjöteatern ideell förening can be given the case."
    ]
    assert refreshed(under_review).assigned_officer == officer
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize("officer_id", ["decider", "999999", "", "nobody"])
def test_a_case_is_given_only_to_a_culture_officer(
    request, client, under_review, officer, officer_id
):
    if officer_id == "decider":
        officer_id = request.getfixturevalue("decider").pk
    client.force_login(officer)

    response = client.post(url("assign", under_review), {"officer": officer_id})

    assert shown(response)[0].startswith("Choose an officer from the list.")
    assert refreshed(under_review).assigned_officer == officer


def test_the_officers_to_choose_from_are_the_culture_officers_without_jav(
    under_review, officer, officer_2, decider, applicant, organisation, django_assert_num_queries
):
    third = factories.user("officer-3@example.org", "officer", full_name="Ola Tredje")
    member = factories.user("officer-4@example.org", "officer", full_name="Per Medlem")
    jav_by_membership(member, organisation)
    jav_by_declaration(third, organisation)
    inactive = factories.user("officer-5@example.org", "officer", is_active=False)
    direct = factories.user("officer-6@example.org", full_name="Åsa Direkt")
    from django.contrib.auth.models import Permission

    direct.user_permissions.add(Permission.objects.get(codename="handle_application"))
    form = AssignForm(application=under_review)

    with django_assert_num_queries(1):
        choices = [label for _value, label in form.fields["officer"].choices]

    assert choices == ["Choose an officer", "Erik Handläggare", "Karin Handläggare", "Åsa Direkt"]
    assert inactive.pk not in selectors.officers_for_case(application=under_review)


# request completion


def test_the_completion_form_suggests_two_weeks(client, under_review, officer):
    client.force_login(officer)

    response = client.get(url("request_completion", under_review))

    assert response.status_code == 200
    page = response.content.decode()
    assert (timezone.localdate() + timedelta(days=14)).isoformat() in page
    assert 'name="parts" value="budget"' in page
    assert "<h1>Request completion</h1>" in page


@pytest.mark.parametrize("language", ["sv", "en"])
def test_completion_is_requested_and_the_signatories_are_told_by_email(
    client,
    under_review,
    officer,
    organisation,
    applicant,
    mailoutbox,
    django_capture_on_commit_callbacks,
    language,
):
    Application.objects.filter(pk=under_review.pk).update(letter_language=language)
    second = factories.user("kassor@example.org", full_name="Kim Kassör")
    membership_add(organisation=organisation, user=second, role="signatory", actor=None)
    factories.user("medlem@example.org")  # not a member: never told
    due = timezone.localdate() + timedelta(days=21)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("request_completion", under_review),
            {
                "message": "Beskriv hur ni når barn i Berg.",
                "due_date": due.isoformat(),
                "parts": ["activity", "budget"],
            },
        )

    assert response.status_code == 302
    assert response["Location"] == case_page(under_review)
    application = refreshed(under_review)
    assert application.state == S.COMPLETION_REQUESTED
    completion = application.completion_requests.get()
    assert completion.parts == ["activity", "budget"]
    assert completion.due_date == due
    assert completion.requested_by == officer
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert sorted(email.to) == sorted([applicant.email, second.email])
    assert "Beskriv hur ni når barn i Berg." in email.body
    with translation.override(language):
        assert date_format(due, "j F Y") in email.body  # a date people read, in their language
    assert due.isoformat() not in email.body
    subject = {
        "sv": f"Komplettera din ansökan {application.case_number}",
        "en": f"Please complete your application {application.case_number}",
    }
    assert email.subject == subject[language]


def test_a_due_date_in_the_past_is_refused_and_the_message_kept(client, under_review, officer):
    client.force_login(officer)

    response = client.post(
        url("request_completion", under_review),
        {
            "message": "Skicka in en reviderad budget.",
            "due_date": timezone.localdate().isoformat(),
            "parts": ["budget"],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The due date must be after today." in page
    assert "Skicka in en reviderad budget." in page
    assert 'value="budget" id="id_parts_3" checked' in page
    assert refreshed(under_review).state == S.UNDER_REVIEW
    assert not CompletionRequest.objects.exists()


def test_completion_needs_a_message_and_at_least_one_part(client, under_review, officer):
    client.force_login(officer)

    response = client.post(
        url("request_completion", under_review),
        {"message": "", "due_date": (timezone.localdate() + timedelta(days=3)).isoformat()},
    )

    page = response.content.decode()
    assert "Write what the applicant must complete." in page
    assert "Tick at least one part." in page
    assert not CompletionRequest.objects.exists()


def test_completion_cannot_be_requested_of_a_proposed_case(client, proposed, officer):
    client.force_login(officer)

    response = client.get(url("request_completion", proposed))

    assert response["Location"] == case_page(proposed)
    assert shown(response) == [
        "This cannot be done while the application is “Proposed for decision”."
    ]


def test_completion_refused_by_the_service_keeps_what_was_typed(
    client, under_review, officer, decider
):
    client.force_login(decider)

    response = client.post(
        url("request_completion", under_review),
        {
            "message": "Beskriv publiken.",
            "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "parts": ["project"],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your role does not allow this." in page
    assert "Beskriv publiken." in page
    assert refreshed(under_review).state == S.UNDER_REVIEW


# jäv


def test_the_jav_page_explains_the_rules(client, under_review, officer):
    client.force_login(officer)

    response = client.get(url("declare_conflict", under_review))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kommunallagen, chapter 6, sections 28–32" in page
    assert "Storsjöteatern ideell förening" in page


def test_an_officer_declares_jav_and_loses_the_case(client, under_review, officer, organisation):
    client.force_login(officer)

    response = client.post(
        url("declare_conflict", under_review), {"reason": "Min syster är ordförande."}
    )

    assert response["Location"] == reverse("casework:queue")
    conflict = ConflictOfInterest.objects.get(user=officer, organisation=organisation)
    assert conflict.reason == "Min syster är ordförande."
    assert refreshed(under_review).assigned_officer is None
    assert "You can no longer see its cases" in shown(response)[0]
    assert client.get(case_page(under_review)).status_code == 403
    assert client.get(url("assess", under_review)).status_code == 403


def test_jav_needs_a_reason(client, under_review, officer):
    client.force_login(officer)

    response = client.post(url("declare_conflict", under_review), {"reason": "  "})

    assert response.status_code == 200
    assert "Give the reason for the conflict of interest." in response.content.decode()
    assert not ConflictOfInterest.objects.exists()


# assess


def test_the_assessment_page_shows_what_the_officer_assesses(client, under_review, officer):
    client.force_login(officer)

    response = client.get(url("assess", under_review))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Score for “Artistic quality” (weight 2)" in page
    assert "Rating of the perspective “Accessibility”" in page
    # The applicant's own account beside the rating.
    assert "Alla scener är tillgängliga för rullstol." in page
    assert "The applicant wrote nothing about this perspective." in page
    # The applicant's goals are ticked until the officer saves.
    assert 'name="agenda_goals" value="4" id="id_agenda_goals_3" checked' in page
    assert 'name="agenda_goals" value="10" id="id_agenda_goals_9" checked' in page
    assert 'name="agenda_goals" value="5" id="id_agenda_goals_4" checked' not in page
    # Suggested in the letter's language, whatever the page's.
    assert (
        standard_conditions(
            programme=under_review.call.programme, language=under_review.letter_language
        )[:40]
        in page
    )
    assert "Applied for: 50,000 kr." in page
    assert "Nothing is saved yet." in page


def test_the_assigned_officer_saves_the_assessment(client, under_review, officer):
    quality, benefit = criteria(under_review)
    client.force_login(officer)

    response = client.post(url("assess", under_review), complete_assessment(under_review))

    assert response["Location"] == url("assess", under_review)
    assert shown(response) == ["The assessment has been saved."]
    assessment = Assessment.objects.get(application=under_review)
    assert {s.criterion_id: (s.score, s.comment) for s in assessment.scores.all()} == {
        quality.pk: (5, "Stark konstnärlig idé."),
        benefit.pk: (2, "Mest Östersund."),
    }
    assert assessment.perspectives["equality"] == {
        "rating": "strengthens",
        "comment": "Väl beskrivet.",
    }
    assert assessment.agenda_goals == [4, 10]
    assert assessment.recommendation == "approve"
    # Approving in full proposes the amount applied for.
    assert assessment.proposed_amount == Decimal("50000")
    assert refreshed(under_review).state == S.UNDER_REVIEW

    page = client.get(url("assess", under_review)).content.decode()
    assert "4.00 of 5" in page
    assert "The assessment has everything a proposal needs." in page
    assert 'value="Mest Östersund."' in page or "Mest Östersund.</textarea>" in page


def test_save_and_propose_proposes_a_complete_assessment(client, under_review, officer):
    client.force_login(officer)

    response = client.post(
        url("assess", under_review), complete_assessment(under_review, action="propose")
    )

    assert response["Location"] == case_page(under_review)
    assert refreshed(under_review).state == S.PROPOSED
    assert shown(response) == [
        f"The assessment has been saved and case {under_review.case_number} proposed for decision."
    ]


def test_save_and_propose_of_an_incomplete_assessment_saves_and_lists_what_is_missing(
    client, under_review, officer
):
    quality, benefit = criteria(under_review)
    data = complete_assessment(under_review, action="propose", reasons="")
    del data[f"score_{benefit.pk}"], data[f"comment_{benefit.pk}"], data["rating_equality"]
    client.force_login(officer)

    response = client.post(url("assess", under_review), data)

    assert response["Location"] == url("assess", under_review)
    assert refreshed(under_review).state == S.UNDER_REVIEW
    assert Assessment.objects.get().scores.count() == 1
    assert shown(response)[-1] == (
        "The assessment lacks a score for “Regional benefit”, a rating of the perspective "
        "“Equality”, reasons."
    )
    page = client.get(url("assess", under_review)).content.decode()
    assert "Before the case can be proposed, the assessment needs" in page
    assert "<li>a score for “Regional benefit”</li>" in page
    assert "<li>a rating of the perspective “Equality”</li>" in page


@pytest.mark.parametrize(
    ("recommendation", "amount", "error"),
    [
        ("approve", "40000", "To approve in full, propose the 50,000 kr applied for."),
        ("approve_partly", "50000", "Approving in part means less than the 50,000 kr"),
        ("approve_partly", "60 000", "cannot be more than the 50,000 kr applied for"),
        ("reject", "1000", "A rejection or dismissal has no amount"),
        ("approve_partly", "mycket", "Write the amount in kronor"),
    ],
)
def test_a_contradictory_proposal_is_refused_and_everything_typed_kept(
    client, under_review, officer, recommendation, amount, error
):
    client.force_login(officer)

    response = client.post(
        url("assess", under_review),
        complete_assessment(
            under_review,
            recommendation=recommendation,
            proposed_amount=amount,
            reasons="Vår noggranna motivering.",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "Vår noggranna motivering." in page
    assert "Stark konstnärlig idé." in page
    assert f'value="{recommendation}" id="id_recommendation_' in page
    assert not Assessment.objects.exists()


def test_a_comment_without_a_score_is_not_lost(client, under_review, officer):
    quality, _benefit = criteria(under_review)
    data = complete_assessment(under_review)
    del data[f"score_{quality.pk}"]
    client.force_login(officer)

    response = client.post(url("assess", under_review), data)

    assert response.status_code == 200
    assert "a comment is saved together with its score" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_standard_conditions_are_not_kept_for_a_rejection(client, under_review, officer):
    client.force_login(officer)

    client.post(
        url("assess", under_review),
        complete_assessment(
            under_review,
            recommendation="reject",
            conditions=standard_conditions(
                programme=under_review.call.programme, language=under_review.letter_language
            ),
        ),
    )

    assessment = Assessment.objects.get()
    assert assessment.conditions == ""
    assert assessment.proposed_amount is None


def test_an_unknown_score_or_rating_is_refused(client, under_review, officer):
    quality, _benefit = criteria(under_review)
    client.force_login(officer)

    response = client.post(
        url("assess", under_review),
        complete_assessment(under_review, **{f"score_{quality.pk}": "7", "rating_equality": "x"}),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Score for “Artistic quality” (weight 2): Select a valid choice." in page
    assert "Rating of the perspective “Equality”: Select a valid choice." in page
    assert not Assessment.objects.exists()


def test_an_officer_who_is_not_assigned_cannot_assess(client, under_review, officer_2):
    client.force_login(officer_2)

    response = client.get(url("assess", under_review))

    assert response["Location"] == case_page(under_review)
    assert shown(response) == ["Only the officer assigned to the case can propose a decision."]

    response = client.post(url("assess", under_review), complete_assessment(under_review))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Only the officer assigned to the case can propose a decision." in page
    assert "Ansökan uppfyller programmets syfte." in page
    assert not Assessment.objects.exists()
    assert refreshed(under_review).state == S.UNDER_REVIEW


@pytest.mark.parametrize("who", ["decider", "secretary"])
def test_a_decision_maker_cannot_assess(request, client, under_review, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(url("assess", under_review))

    refusal = "Only the officer assigned to the case can propose a decision."
    assert response["Location"] == case_page(under_review)
    assert shown(response) == [refusal]
    response = client.post(
        url("assess", under_review), complete_assessment(under_review, action="propose")
    )
    assert refusal in response.content.decode()
    assert not Assessment.objects.exists()
    assert refreshed(under_review).state == S.UNDER_REVIEW


@pytest.mark.parametrize("fixture", ["submitted", "proposed"])
def test_the_assessment_is_changed_only_under_review(request, client, officer, fixture):
    application = request.getfixturevalue(fixture)
    if fixture == "submitted":
        Application.objects.filter(pk=application.pk).update(assigned_officer=officer)
    saved = Assessment.objects.filter(application=application).values_list("reasons", flat=True)
    before = list(saved)
    client.force_login(officer)

    response = client.get(url("assess", application))

    assert response["Location"] == case_page(application)
    message = "The assessment can be changed only while the case is under review."
    assert shown(response) == [message]
    response = client.post(
        url("assess", application), complete_assessment(application, reasons="Ny motivering.")
    )
    assert message in response.content.decode()
    assert list(saved) == before
    assert refreshed(application).state == fixture


# propose


def test_the_assigned_officer_proposes(client, under_review, officer):
    client.force_login(officer)
    client.post(url("assess", under_review), complete_assessment(under_review))

    response = client.post(url("propose", under_review))

    assert response["Location"] == case_page(under_review)
    application = refreshed(under_review)
    assert application.state == S.PROPOSED
    assert entries_for(application).filter(action="grants.application.proposed").exists()


def test_proposing_an_incomplete_assessment_shows_what_is_missing(client, under_review, officer):
    client.force_login(officer)
    client.post(
        url("assess", under_review),
        complete_assessment(under_review, recommendation="", reasons=""),
    )

    response = client.post(url("propose", under_review))

    assert response["Location"] == url("assess", under_review)
    assert shown(response)[-1] == "The assessment lacks a recommendation, reasons."
    assert refreshed(under_review).state == S.UNDER_REVIEW
    page = client.get(url("assess", under_review)).content.decode()
    assert "<li>a recommendation</li>" in page


def test_proposing_without_an_assessment_leads_to_the_assessment(client, under_review, officer):
    client.force_login(officer)

    response = client.post(url("propose", under_review))

    assert response["Location"] == url("assess", under_review)
    assert shown(response) == ["Assess the application before proposing a decision."]


@pytest.mark.parametrize("who", ["officer_2", "decider"])
def test_only_the_assigned_officer_proposes(request, client, under_review, officer, who):
    client.force_login(officer)
    client.post(url("assess", under_review), complete_assessment(under_review))
    entries = LogEntry.objects.count()
    client.force_login(request.getfixturevalue(who))

    response = client.post(url("propose", under_review))

    assert response["Location"] == case_page(under_review)
    assert shown(response)[-1] == "Only the officer assigned to the case can propose a decision."
    assert refreshed(under_review).state == S.UNDER_REVIEW
    assert LogEntry.objects.count() == entries


def test_a_submitted_case_cannot_be_proposed(client, submitted, officer):
    client.force_login(officer)

    response = client.post(url("propose", submitted))

    assert response["Location"] == case_page(submitted)
    assert shown(response) == ["This cannot be done while the application is “Submitted”."]
    assert refreshed(submitted).state == S.SUBMITTED


def test_the_assessment_page_queries_do_not_grow_with_the_criteria(client, under_review, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import Criterion

    client.force_login(officer)
    page = url("assess", under_review)
    client.post(page, complete_assessment(under_review))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    few = count()
    programme = under_review.call.programme
    for number in range(3):
        Criterion.objects.create(
            programme=programme,
            name_sv=f"Kriterium {number}",
            name_en=f"Criterion {number}",
            weight=1,
        )
    data = complete_assessment(under_review)
    for criterion in criteria(under_review)[2:]:
        data[f"score_{criterion.pk}"] = "3"
    client.post(page, data)

    assert count() == few
