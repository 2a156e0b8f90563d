"""The application form's pages: starting a draft, each step saving, invalid input kept, access."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.urls import reverse

from grants.models import Application, BudgetLine
from grants.workflow import ApplicationState as S
from organisations.models import Organisation
from tests import factories


def step_url(application, step):
    return reverse("apply:step", kwargs={"pk": application.pk, "step": step})


def page(response) -> str:
    return response.content.decode()


def budget_post(costs, incomes, action="save"):
    """Return the POST of the budget step: lines as (category, description, amount)."""
    data = {"action": action}
    for prefix, lines in (("cost", costs), ("income", incomes)):
        data |= {f"{prefix}-TOTAL_FORMS": str(len(lines)), f"{prefix}-INITIAL_FORMS": "0"}
        for number, (category, description, amount) in enumerate(lines):
            data |= {
                f"{prefix}-{number}-category": category,
                f"{prefix}-{number}-description": description,
                f"{prefix}-{number}-amount": amount,
            }
    return data


PROJECT = {
    "title": "Sommarteater i Storsjöbygden",
    "summary": "Utomhusteater för barn.",
    "description": "Vi spelar i fem byar.",
    "letter_language": "en",
}


# Starting an application


def test_start_with_one_organisation_needs_only_a_title(client, applicant, organisation, call):
    client.force_login(applicant)
    url = reverse("apply:start", kwargs={"call_pk": call.pk})

    shown = client.get(url)
    assert shown.status_code == 200
    assert 'name="organisation"' not in page(shown)
    assert organisation.name in page(shown)

    response = client.post(url, {"title": "  Sommarteater  "})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(application, "project")
    assert application.title == "Sommarteater"
    assert application.organisation == organisation
    assert application.author == applicant
    assert application.state == S.DRAFT


def test_start_with_two_organisations_asks_which_applies(client, applicant, organisation, call):
    other = factories.organisation(applicant, name="Bygdegårdsföreningen")
    client.force_login(applicant)
    url = reverse("apply:start", kwargs={"call_pk": call.pk})

    assert 'name="organisation"' in page(client.get(url))
    refused = client.post(url, {"title": "Teater"})
    assert refused.status_code == 200
    assert not Application.objects.exists()

    client.post(url, {"title": "Teater", "organisation": other.pk})
    assert Application.objects.get().organisation == other


def test_start_cannot_apply_for_someone_elses_organisation(
    client, applicant, applicant_b, organisation, call
):
    factories.organisation(applicant_b)
    factories.organisation(applicant_b)
    client.force_login(applicant_b)

    response = client.post(
        reverse("apply:start", kwargs={"call_pk": call.pk}),
        {"title": "Teater", "organisation": organisation.pk},
    )

    assert response.status_code == 200
    assert not Application.objects.exists()


def test_start_without_an_organisation_sends_to_registration(client, applicant_b, call):
    client.force_login(applicant_b)

    response = client.get(reverse("apply:start", kwargs={"call_pk": call.pk}), follow=True)

    assert response.redirect_chain[0][0] == reverse("organisations:register")
    assert "Register the organisation you apply for first" in page(response)


def test_start_refuses_a_closed_call(client, applicant, organisation, programme):
    closed = factories.call(programme, open_now=False)
    client.force_login(applicant)
    url = reverse("apply:start", kwargs={"call_pk": closed.pk})

    shown = client.get(url)
    response = client.post(url, {"title": "För sent"})

    assert "This call closed on" in page(shown)
    assert 'name="title"' not in page(shown)
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_start_warns_of_an_ineligible_type_and_an_existing_draft(
    client, applicant, organisation, call, draft
):
    library = factories.organisation(
        applicant, name="Bräcke bibliotek", org_type=Organisation.Type.LIBRARY
    )
    client.force_login(applicant)

    response = client.get(reverse("apply:start", kwargs={"call_pk": call.pk}))

    text = page(response)
    assert "does not accept applications from organisations of the type “Library”" in text
    assert "Bräcke bibliotek" in text
    assert "has already started an application to this call" in text
    assert step_url(draft, "project") in text
    # Warned, not blocked.
    client.post(
        reverse("apply:start", kwargs={"call_pk": call.pk}),
        {"title": "Läsfrämjande", "organisation": library.pk},
    )
    assert Application.objects.filter(organisation=library).exists()


def test_start_needs_login(client, call):
    url = reverse("apply:start", kwargs={"call_pk": call.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# The steps


@pytest.mark.parametrize("step", ["project", "activity", "perspectives", "budget"])
def test_every_step_shows_the_progress_and_the_panel(client, applicant, draft, step):
    client.force_login(applicant)

    response = client.get(step_url(draft, step))

    text = page(response)
    assert response.status_code == 200
    assert '<ol class="steps">' in text
    assert text.count('aria-current="step"') == 1
    for code in ["project", "activity", "perspectives", "budget", "attachments", "review"]:
        assert f'href="{step_url(draft, code)}"' in text
    assert 'id="eligibility-heading"' in text
    assert "Nothing stops the application from being submitted." in text
    assert f'data-autosave-url="{reverse("apply:autosave", args=[draft.pk, step])}"' in text
    assert text.count("<h1") == 1


def test_an_unknown_step_is_404(client, applicant, draft):
    client.force_login(applicant)
    response = client.get(f"/en/mina-sidor/ansokningar/{draft.pk}/nonsense/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("step", "module", "function"),
    [("attachments", "attachments", "attachments_step"), ("review", "submit", "review_step")],
)
def test_attachments_and_review_are_the_submission_helpers_views(
    client, applicant, draft, monkeypatch, step, module, function
):
    import importlib

    views = importlib.import_module(f"grants.views.{module}")
    seen = []
    monkeypatch.setattr(
        views, function, lambda request, application: seen.append(application) or HttpResponse("x")
    )
    client.force_login(applicant)

    assert client.get(step_url(draft, step)).content == b"x"
    assert seen == [draft]


def test_project_step_saves_and_continues(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(step_url(draft, "project"), PROJECT | {"action": "continue"})

    assert response["Location"] == step_url(draft, "activity")
    draft.refresh_from_db()
    assert draft.summary == "Utomhusteater för barn."
    assert draft.description == "Vi spelar i fem byar."
    assert draft.letter_language == "en"


@pytest.mark.parametrize(
    ("action", "step"), [("save", "activity"), ("back", "project"), ("continue", "perspectives")]
)
def test_the_buttons_lead_where_they_say(client, applicant, draft, action, step):
    client.force_login(applicant)
    data = {"activity_starts": "2026-06-01", "activity_ends": "2026-08-31", "action": action}

    response = client.post(step_url(draft, "activity"), data)

    assert response["Location"] == step_url(draft, step)


def test_activity_step_saves_dates_groups_and_municipalities(client, applicant, draft):
    client.force_login(applicant)

    client.post(
        step_url(draft, "activity"),
        {
            "activity_starts": "2026-06-01",
            "activity_ends": "2026-08-31",
            "target_groups": ["children_youth", "sami"],
            "municipalities": ["2321", "outside_county"],
        },
    )

    draft.refresh_from_db()
    assert (draft.activity_starts, draft.activity_ends) == (date(2026, 6, 1), date(2026, 8, 31))
    assert draft.target_groups == ["children_youth", "sami"]
    assert draft.municipalities == ["2321", "outside_county"]


def test_unticking_every_box_empties_the_lists(client, applicant, draft):
    client.force_login(applicant)

    client.post(step_url(draft, "activity"), {"activity_starts": "", "activity_ends": ""})

    draft.refresh_from_db()
    assert draft.target_groups == []
    assert draft.municipalities == []
    assert draft.activity_starts is None


def test_an_end_before_the_start_is_shown_with_everything_typed_and_nothing_saved(
    client, applicant, draft
):
    client.force_login(applicant)
    before = (draft.activity_starts, draft.target_groups, draft.municipalities)

    response = client.post(
        step_url(draft, "activity"),
        {
            "activity_starts": "2026-08-31",
            "activity_ends": "2026-06-01",
            "target_groups": ["older_people"],
            "municipalities": ["2303"],
        },
    )

    text = page(response)
    assert response.status_code == 200
    assert "The activity cannot end before it starts." in text
    assert 'value="2026-08-31"' in text
    assert 'value="2026-06-01"' in text
    assert 'value="older_people" id="id_target_groups_1" checked' in text
    assert 'value="2303" id="id_municipalities_0" checked' in text
    assert 'id="error-summary"' in text
    assert "data-form-unsaved" in text
    draft.refresh_from_db()
    assert (draft.activity_starts, draft.target_groups, draft.municipalities) == before


def test_a_missing_title_keeps_the_rest_typed_and_saves_nothing(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        step_url(draft, "project"), PROJECT | {"title": "", "summary": "Ny text <b>fet</b>"}
    )

    text = page(response)
    assert response.status_code == 200
    assert "This field is required." in text
    assert "Ny text &lt;b&gt;fet&lt;/b&gt;" in text
    assert "Vi spelar i fem byar." in text
    draft.refresh_from_db()
    assert draft.title == "Sommarteater i Storsjöbygden"
    assert draft.summary == "Utomhusteater för barn och unga i fem byar."


def test_perspectives_step_saves_texts_and_goals(client, applicant, draft):
    client.force_login(applicant)

    client.post(
        step_url(draft, "perspectives"),
        {
            "perspective_accessibility": "Teckentolkning på varje föreställning.",
            "perspective_gender_equality": "Lika många kvinnor som män på scen.",
            "perspective_children_youth": "",
            "agenda_goals": ["5", "10", "4"],
        },
    )

    draft.refresh_from_db()
    assert draft.perspectives == {
        "accessibility": "Teckentolkning på varje föreställning.",
        "gender_equality": "Lika många kvinnor som män på scen.",
    }
    assert draft.agenda_goals == [4, 5, 10]


def test_perspectives_step_names_the_goals(client, applicant, draft):
    client.force_login(applicant)
    text = page(client.get(step_url(draft, "perspectives")))
    assert "Goal 1: No poverty" in text
    assert "Goal 17: Partnerships for the goals" in text
    assert "How does the project work with gender equality?" in text


def test_budget_step_computes_the_amount_applied_for_on_the_server(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        step_url(draft, "budget"),
        budget_post(
            costs=[("fees", "Skådespelare", "60 000"), ("travel", "", "5000,50")],
            incomes=[("own_contribution", "", "15000"), ("ticket_sales", "Biljetter", "500.50")],
        )
        | {"requested_amount": "999999"},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    lines = [
        (line.kind, line.category, line.description, line.amount)
        for line in draft.budget_lines.order_by("order")
    ]
    assert lines == [
        ("cost", "fees", "Skådespelare", Decimal("60000.00")),
        ("cost", "travel", "", Decimal("5000.50")),
        ("income", "own_contribution", "", Decimal("15000.00")),
        ("income", "ticket_sales", "Biljetter", Decimal("500.50")),
    ]
    assert draft.requested_amount == Decimal("49500.00")
    assert draft.budget_balances()


def test_budget_step_drops_blank_and_removed_lines(client, applicant, draft):
    client.force_login(applicant)
    data = budget_post(
        costs=[("fees", "", "60000"), ("", "", ""), ("travel", "Buss", "4000")],
        incomes=[("own_contribution", "", "10000")],
    )
    data["cost-2-DELETE"] = "on"

    client.post(step_url(draft, "budget"), data)

    draft.refresh_from_db()
    assert list(draft.budget_lines.values_list("category", flat=True)) == [
        "fees",
        "own_contribution",
    ]
    assert draft.requested_amount == Decimal("50000.00")


def test_budget_step_shows_the_saved_lines_and_the_rules(client, applicant, draft):
    client.force_login(applicant)

    text = page(client.get(step_url(draft, "budget")))

    assert 'name="cost-0-amount" value="70000"' in text
    assert 'name="income-0-amount" value="25000"' in text
    # Two empty lines per kind for adding lines without the script.
    assert 'name="cost-3-amount"' in text
    assert 'name="cost-4-amount"' not in text
    assert 'name="cost-__prefix__-amount"' in text
    assert "You can apply for between 10,000 and 300,000 kr." in text
    assert "At least 10 % of the costs must be financed" in text
    assert 'aria-live="polite"' in text
    assert "data-limit-warning hidden" in text


def test_budget_step_says_when_the_amount_is_outside_the_limits(client, applicant, draft):
    client.force_login(applicant)
    client.post(
        step_url(draft, "budget"),
        budget_post(costs=[("fees", "", "400000")], incomes=[("own_contribution", "", "50000")]),
    )

    text = page(client.get(step_url(draft, "budget")))

    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("350000.00")
    assert "data-limit-warning>" in text
    assert "The amount applied for must be between 10,000 and 300,000 kr." in text


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "The amount must be more than 0 kr."),
        ("-5", "The amount must be more than 0 kr."),
        ("12,345", "Write at most two decimals"),
        ("tolv", "Write the amount in kronor"),
    ],
)
def test_an_invalid_budget_keeps_every_line_typed_and_saves_nothing(
    client, applicant, draft, amount, message
):
    client.force_login(applicant)

    response = client.post(
        step_url(draft, "budget"),
        budget_post(
            costs=[("fees", "Skådespelare", "60000"), ("travel", "Buss", amount)],
            incomes=[("own_contribution", "Egen insats", "10000")],
        ),
    )

    text = page(response)
    assert response.status_code == 200
    assert message in text
    assert f'value="{amount}"' in text
    assert 'value="Skådespelare"' in text
    assert 'value="Egen insats"' in text
    assert "Cost line 2, Amount (kr):" in text
    draft.refresh_from_db()
    assert draft.budget_lines.count() == 3
    assert draft.requested_amount == Decimal("50000.00")


def test_a_budget_with_nothing_left_to_apply_for_is_refused(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        step_url(draft, "budget"),
        budget_post(costs=[("fees", "", "1000")], incomes=[("own_contribution", "", "1000")]),
    )

    assert "so there is nothing to apply for" in page(response)
    assert draft.budget_lines.count() == 3


def test_a_category_of_the_wrong_kind_is_refused(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        step_url(draft, "budget"),
        budget_post(costs=[("own_contribution", "", "1000")], incomes=[]),
    )

    assert response.status_code == 200
    assert "Select a valid choice." in page(response)
    assert BudgetLine.objects.filter(application=draft).count() == 3


# The eligibility panel


def test_the_panel_says_how_to_fix_each_problem_and_where(client, applicant_b, call):
    organisation = factories.organisation(applicant_b)  # its payout account is not verified yet
    draft = factories.draft(organisation, call, applicant_b, with_attachment=False)
    organisation.payout_accounts.update(rejected_at="2026-01-01T00:00Z")
    client.force_login(applicant_b)

    text = page(client.get(step_url(draft, "project")))

    assert "Attach: Project plan." in text
    assert f'href="{step_url(draft, "attachments")}"' in text
    assert "Add a payout account" in text
    assert reverse("organisations:payout_account", kwargs={"pk": organisation.pk}) in text
    assert 'class="has-problem"' in text
    assert "(needs attention)" in text


def test_the_panel_links_budget_problems_to_the_budget(client, applicant, draft):
    client.force_login(applicant)
    client.post(
        step_url(draft, "budget"),
        budget_post(costs=[("fees", "", "400000")], incomes=[("own_contribution", "", "50000")]),
    )

    text = page(client.get(step_url(draft, "project")))

    assert "The amount applied for must be between" in text
    assert f'<a href="{step_url(draft, "budget")}">Fix it' in text


# Access


@pytest.mark.parametrize("step", ["project", "budget", "attachments", "review"])
def test_another_applicant_gets_404(client, applicant_b, draft, step):
    client.force_login(applicant_b)

    assert client.get(step_url(draft, step)).status_code == 404
    assert client.post(step_url(draft, "project"), PROJECT).status_code == 404
    draft.refresh_from_db()
    assert draft.letter_language == "sv"


def test_a_member_may_edit_the_draft(client, member, draft):
    client.force_login(member)

    client.post(step_url(draft, "project"), PROJECT)

    draft.refresh_from_db()
    assert draft.letter_language == "en"


def test_anonymous_is_sent_to_login(client, draft):
    response = client.get(step_url(draft, "project"))

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('accounts:login')}?next={step_url(draft, 'project')}"
    )


def test_a_submitted_application_is_not_editable(client, applicant, submitted):
    client.force_login(applicant)

    shown = client.get(step_url(submitted, "project"))
    posted = client.post(step_url(submitted, "project"), PROJECT)

    portal = reverse("portal:application", kwargs={"pk": submitted.pk})
    assert shown["Location"] == portal
    assert posted["Location"] == portal
    submitted.refresh_from_db()
    assert submitted.letter_language == "sv"


def test_a_step_page_takes_a_fixed_number_of_queries(
    client, applicant, draft, django_assert_num_queries
):
    client.force_login(applicant)
    client.get(step_url(draft, "project"))  # the session is written once

    with django_assert_num_queries(14):
        assert client.get(step_url(draft, "project")).status_code == 200
    with django_assert_num_queries(15):
        assert client.get(step_url(draft, "budget")).status_code == 200


def test_the_queries_do_not_grow_with_the_budget(
    client, applicant, draft, django_assert_num_queries
):
    client.force_login(applicant)
    client.post(
        step_url(draft, "budget"),
        budget_post(
            costs=[("fees", "", "1000")] * 12, incomes=[("own_contribution", "", "500")] * 8
        ),
    )
    client.get(step_url(draft, "budget"))

    with django_assert_num_queries(15):
        client.get(step_url(draft, "budget"))
