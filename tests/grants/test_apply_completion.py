"""A completion request opens only the parts it names: refused in the services and on the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services, steps
from grants.models import Application
from grants.workflow import ApplicationState as S
from tests.assertions import refused
from tests.grants.test_apply_autosave import autosave_url
from tests.grants.test_apply_pages import PROJECT, budget_post, page, step_url


def ask_for(application, officer, parts):
    services.application_request_completion(
        application=application,
        actor=officer,
        message="Specificera arvodena.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=parts,
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def budget_requested(under_review, officer):
    return ask_for(under_review, officer, ["budget"])


# editable_parts


def test_a_draft_may_change_every_part(draft):
    assert steps.editable_parts(draft) == [
        "project",
        "activity",
        "perspectives",
        "budget",
        "attachments",
    ]


def test_a_completion_opens_the_parts_it_names(budget_requested):
    assert steps.editable_parts(budget_requested) == ["budget"]


def test_a_completion_naming_no_part_opens_every_part(under_review, officer):
    application = ask_for(under_review, officer, [])
    assert steps.editable_parts(application) == steps.editable_parts(Application(state=S.DRAFT))


@pytest.mark.parametrize("fixture", ["submitted", "under_review", "proposed"])
def test_nothing_is_editable_otherwise(request, fixture):
    assert steps.editable_parts(request.getfixturevalue(fixture)) == []


# The services


def test_the_named_part_may_be_changed(budget_requested, applicant):
    services.budget_set(
        application=budget_requested,
        actor=applicant,
        lines=[
            {"kind": "cost", "category": "fees", "amount": Decimal("60000")},
            {"kind": "income", "category": "own_contribution", "amount": Decimal("12000")},
        ],
    )
    services.application_update(
        application=budget_requested, actor=applicant, requested_amount=Decimal("48000")
    )

    budget_requested.refresh_from_db()
    assert budget_requested.requested_amount == Decimal("48000.00")


def test_a_part_not_named_is_refused_by_the_service(budget_requested, applicant):
    error = refused(
        services.application_update,
        application=budget_requested,
        actor=applicant,
        title="Ny titel",
        summary="Ny sammanfattning",
    )

    assert error.code == "part_locked"
    assert str(error) == (
        "The officer asked you to complete only: Budget. “The project” cannot be changed now; "
        "write to the officer if it needs to."
    )
    budget_requested.refresh_from_db()
    assert budget_requested.title == "Sommarteater i Storsjöbygden"


def test_a_part_not_named_may_be_sent_unchanged(budget_requested, applicant):
    services.application_update(
        application=budget_requested,
        actor=applicant,
        title=budget_requested.title,
        requested_amount=Decimal("40000"),
    )

    budget_requested.refresh_from_db()
    assert budget_requested.requested_amount == Decimal("40000.00")


def test_the_budget_is_refused_when_not_named(under_review, officer, applicant):
    application = ask_for(under_review, officer, ["project"])

    error = refused(services.budget_set, application=application, actor=applicant, lines=[])

    assert error.code == "part_locked"
    assert application.budget_lines.count() == 3


# The pages


def test_the_named_step_is_a_form_that_saves(client, applicant, budget_requested):
    client.force_login(applicant)
    url = step_url(budget_requested, "budget")

    shown = page(client.get(url))
    client.post(
        url,
        budget_post(costs=[("fees", "Arvoden", "70000")], incomes=[("sponsorship", "", "30000")]),
    )

    assert 'name="cost-0-amount"' in shown
    assert "Specificera arvodena." in shown
    budget_requested.refresh_from_db()
    assert budget_requested.requested_amount == Decimal("40000.00")
    assert budget_requested.state == S.COMPLETION_REQUESTED


def test_a_step_not_named_is_shown_read_only(client, applicant, budget_requested):
    client.force_login(applicant)

    text = page(client.get(step_url(budget_requested, "project")))

    assert 'name="title"' not in text
    assert "data-autosave-url" not in text
    assert "Sommarteater i Storsjöbygden" in text
    assert "(read only)" in text
    assert reverse("portal:application", kwargs={"pk": budget_requested.pk}) in text


@pytest.mark.parametrize("step", ["project", "activity", "perspectives"])
def test_posting_to_a_step_not_named_changes_nothing(client, applicant, budget_requested, step):
    client.force_login(applicant)
    before = Application.objects.filter(pk=budget_requested.pk).values().get()

    response = client.post(step_url(budget_requested, step), PROJECT | {"agenda_goals": ["1"]})

    assert response.status_code == 302
    assert response["Location"] == step_url(budget_requested, step)
    after = Application.objects.filter(pk=budget_requested.pk).values().get()
    assert after == before


def test_autosave_of_a_step_not_named_is_refused(client, applicant, budget_requested):
    client.force_login(applicant)

    response = client.post(autosave_url(budget_requested, "project"), PROJECT)

    assert response.status_code == 409
    budget_requested.refresh_from_db()
    assert budget_requested.letter_language == "sv"


def test_the_panel_of_a_completion_ignores_the_closed_call(client, applicant, budget_requested):
    call = budget_requested.call
    call.opens_at = timezone.now() - timedelta(days=60)
    call.closes_at = timezone.now() - timedelta(days=1)
    call.save()
    client.force_login(applicant)

    text = page(client.get(step_url(budget_requested, "budget")))

    assert "The call closed" not in text
    assert "Nothing stops the completion from being sent." in text
