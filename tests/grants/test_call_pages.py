"""The public call page (calls:detail) and the start page's links to it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Criterion
from tests import factories


def page(client, call) -> str:
    response = client.get(reverse("calls:detail", args=[call.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_call_page_is_public_and_shows_the_rules(client, call, programme):
    programme.description_en = "Support for new culture in the county."
    programme.required_attachments = ["project_plan", "annual_report"]
    programme.save()
    call.planned_decision_date = timezone.localdate() + timedelta(days=60)
    call.save()

    html = page(client, call)

    assert call.title_en in html
    assert "Support for new culture in the county." in html
    assert "Non-profit association" in html and "Sole trader" in html
    assert "Company" not in html
    assert "10,000–300,000 kr" in html
    assert "At least 10 % of the costs" in html
    assert "2,000,000 kr" in html
    assert "80 % on the decision, 20 % when the final report is accepted" in html
    assert "Due 2 months after the activity ends." in html
    assert "Culture and civil society" in html
    assert "Project plan" in html
    assert "Annual report – " in html and "a yearly document" in html
    assert call.planned_decision_date.strftime("%Y-%m-%d") in html
    assert reverse("apply:start", args=[call.pk]) in html


def test_call_page_shows_criteria_with_weights(client, call):
    html = page(client, call)

    assert "Artistic quality" in html
    assert "Regional benefit" in html
    assert "67 %" in html and "33 %" in html


def test_call_page_in_swedish_shows_the_swedish_texts(client, call, programme):
    programme.description_sv = "Stöd till ny kultur i länet."
    programme.save()
    from django.utils import translation

    with translation.override("sv"):
        url = reverse("calls:detail", args=[call.pk])
    html = client.get(url).content.decode()

    assert url == f"/utlysningar/{call.pk}/"
    assert call.title_sv in html
    assert "Stöd till ny kultur i länet." in html
    assert "Konstnärlig kvalitet" in html


def test_closed_call_says_so_and_has_no_apply_button(client, programme):
    closed = factories.call(programme, open_now=False)

    html = page(client, closed)

    assert "The call closed on" in html
    assert reverse("apply:start", args=[closed.pk]) not in html


def test_call_not_yet_open_says_when_it_opens(client, programme):
    now = timezone.now()
    later = factories.call(
        programme, opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=40)
    )

    html = page(client, later)

    assert "The call opens on" in html
    assert reverse("apply:start", args=[later.pk]) not in html


def test_call_of_an_inactive_programme_is_not_found(client, call, programme):
    programme.is_active = False
    programme.save()

    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404
    assert client.get(reverse("calls:detail", args=[call.pk + 1000])).status_code == 404


def test_call_page_is_get_only(client, call):
    assert client.post(reverse("calls:detail", args=[call.pk])).status_code == 405


def test_call_page_query_count_does_not_grow_with_criteria(
    client, call, programme, django_assert_num_queries
):
    for number in range(8):
        Criterion.objects.create(
            programme=programme, name_sv=f"K{number}", name_en=f"C{number}", weight=Decimal(1)
        )
    # The call with its programme, and the criteria.
    with django_assert_num_queries(2):
        page(client, call)


@pytest.mark.django_db
def test_start_page_links_each_open_call_to_its_page(client, call):
    html = client.get("/en/").content.decode()

    assert reverse("calls:detail", args=[call.pk]) in html
