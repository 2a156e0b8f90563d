"""Nothing typed is lost: the autosave endpoint, and a step posted after the session expired."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.views.apply import STASH_SESSION_KEY
from tests import factories
from tests.grants.test_apply_pages import PROJECT, budget_post, page, step_url


def autosave_url(application, step):
    return reverse("apply:autosave", kwargs={"pk": application.pk, "step": step})


# The autosave endpoint


def test_autosave_saves_the_fields_that_validate_and_reports_the_others(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        autosave_url(draft, "project"), PROJECT | {"title": "", "summary": "Skrivs just nu"}
    )

    answer = response.json()
    assert response.status_code == 200
    assert sorted(answer["saved"]) == ["description", "letter_language", "summary"]
    assert answer["errors"] == {"title": ["This field is required."]}
    assert len(answer["saved_at"]) == 5  # "14:32"
    draft.refresh_from_db()
    assert draft.summary == "Skrivs just nu"
    assert draft.letter_language == "en"
    assert draft.title == "Sommarteater i Storsjöbygden"


def test_autosave_of_the_activity_keeps_a_valid_start_and_refuses_a_bad_end(
    client, applicant, draft
):
    client.force_login(applicant)

    answer = client.post(
        autosave_url(draft, "activity"),
        {"activity_starts": "2026-09-01", "activity_ends": "2026-05-01", "target_groups": ["sami"]},
    ).json()

    assert "activity_ends" in answer["errors"]
    assert "activity_ends" not in answer["saved"]
    draft.refresh_from_db()
    assert str(draft.activity_starts) == "2026-09-01"  # before the end that is saved
    assert draft.activity_ends > draft.activity_starts
    assert draft.target_groups == ["sami"]


def test_autosave_of_the_perspectives_keeps_the_others(client, applicant, draft):
    client.force_login(applicant)

    client.post(
        autosave_url(draft, "perspectives"),
        {
            "perspective_accessibility": "Alla scener är tillgängliga för rullstol.",
            "perspective_equality": "Fri entré.",
            "agenda_goals": ["4", "99"],
        },
    )

    draft.refresh_from_db()
    assert draft.perspectives["equality"] == "Fri entré."
    assert draft.agenda_goals == [4, 10]  # 99 is not a goal: the goals are kept as they were


def test_autosave_saves_a_valid_budget_with_the_amount_computed(client, applicant, draft):
    client.force_login(applicant)

    answer = client.post(
        autosave_url(draft, "budget"),
        budget_post(costs=[("fees", "", "30000")], incomes=[("own_contribution", "", "5000")]),
    ).json()

    assert answer["errors"] == {}
    assert "cost-0-amount" in answer["saved"]
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("25000.00")


def test_autosave_saves_nothing_of_an_invalid_budget(client, applicant, draft):
    client.force_login(applicant)

    answer = client.post(
        autosave_url(draft, "budget"),
        budget_post(costs=[("fees", "", "30000"), ("travel", "", "x")], incomes=[]),
    ).json()

    assert answer["saved"] == []
    assert answer["saved_at"] is None
    assert list(answer["errors"]) == ["cost-1-amount"]
    assert draft.budget_lines.count() == 3


def test_autosave_is_post_only(client, applicant, draft):
    client.force_login(applicant)
    assert client.get(autosave_url(draft, "project")).status_code == 405


@pytest.mark.parametrize("step", ["attachments", "review"])
def test_only_the_form_steps_autosave(client, applicant, draft, step):
    client.force_login(applicant)
    assert client.post(autosave_url(draft, step), {}).status_code == 404


def test_autosave_answers_a_logged_out_user_with_401_and_the_login(client, draft):
    response = client.post(autosave_url(draft, "project"), PROJECT)

    assert response.status_code == 401
    assert response.json()["login_url"] == (
        f"{reverse('accounts:login')}?next={step_url(draft, 'project')}"
    )
    draft.refresh_from_db()
    assert draft.letter_language == "sv"


def test_autosave_of_another_organisations_application_is_404(client, applicant_b, draft):
    client.force_login(applicant_b)

    response = client.post(autosave_url(draft, "project"), PROJECT)

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.letter_language == "sv"


def test_autosave_of_a_submitted_application_is_refused(client, applicant, submitted):
    client.force_login(applicant)

    response = client.post(autosave_url(submitted, "project"), PROJECT)

    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.letter_language == "sv"


def test_autosave_needs_the_csrf_token(applicant, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)

    assert client.post(autosave_url(draft, "project"), PROJECT).status_code == 403


# A step posted after the session expired


def test_a_step_posted_while_logged_out_is_kept_over_the_login(client, applicant, draft):
    url = step_url(draft, "project")
    typed = PROJECT | {"description": "Skrevs medan sessionen gick ut.", "action": "continue"}

    response = client.post(url, typed)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    stashed = client.session[STASH_SESSION_KEY][f"/mina-sidor/ansokningar/{draft.pk}/project/"]
    assert stashed["description"] == ["Skrevs medan sessionen gick ut."]
    assert "csrfmiddlewaretoken" not in stashed
    draft.refresh_from_db()
    assert draft.description == "Vi spelar en nyskriven pjäs på sommarscener runt Storsjön."

    logged_in = client.post(
        f"{reverse('accounts:login')}?next={url}",
        {"username": applicant.email, "password": factories.PASSWORD, "next": url},
        follow=True,
    )

    text = page(logged_in)
    # The applicant's saved language is Swedish: the login takes her to the Swedish address.
    assert logged_in.redirect_chain[-1][0].endswith(f"/mina-sidor/ansokningar/{draft.pk}/project/")
    assert 'id="restored-notice"' in text
    assert "Skrevs medan sessionen gick ut." in text
    assert "data-form-unsaved" in text
    assert STASH_SESSION_KEY not in client.session
    # Shown to check, not saved behind the user's back; saving it is one click.
    draft.refresh_from_db()
    assert draft.description != "Skrevs medan sessionen gick ut."
    client.post(url, typed)
    draft.refresh_from_db()
    assert draft.description == "Skrevs medan sessionen gick ut."
    # Shown once.
    assert 'id="restored-notice"' not in page(client.get(url))


def test_a_file_chosen_while_logged_out_is_named_to_choose_again(client, applicant, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = step_url(draft, "attachments")
    upload = SimpleUploadedFile("Turnéplan.pdf", factories.PDF_BYTES, "application/pdf")
    attached = draft.attachments.count()

    response = client.post(url, {"kind": "project_plan", "files": upload}, follow=True)

    text = page(response)
    assert "Turnéplan.pdf" in text
    assert "choose it again" in text
    assert draft.attachments.count() == attached


def test_a_stashed_budget_comes_back_with_every_line(client, applicant, draft):
    url = step_url(draft, "budget")
    client.post(
        url,
        budget_post(
            costs=[("fees", "Skådespelare", "61000"), ("premises", "Scen", "9000")],
            incomes=[("sponsorship", "Banken", "20000")],
        ),
    )
    client.force_login(applicant)

    text = page(client.get(url))

    assert 'value="Skådespelare"' in text
    assert 'value="Scen"' in text
    assert 'value="Banken"' in text
    assert draft.budget_lines.count() == 3


def test_the_stash_is_not_shown_to_someone_outside_the_organisation(
    client, applicant, applicant_b, draft
):
    url = step_url(draft, "project")
    client.post(url, PROJECT | {"description": "Hemlig text."})
    client.force_login(applicant_b)

    response = client.get(url)

    assert response.status_code == 404
    assert "Hemlig text." not in page(response)
