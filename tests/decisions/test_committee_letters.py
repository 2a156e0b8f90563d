"""The letters of a committee decision as they are produced (DESIGN §5.1): the committee decision
page counts them and links each one that is there, and deciding:committee_letters tells the
page's script the same as JSON; the same readers as the page, nothing of a case with jäv, and the
same number of queries whatever the number of cases."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from decisions import committee as decision_lists
from decisions import services as decision_services
from decisions.delivery import decision_letter_store
from decisions.models import CommitteeDecision, Decision
from decisions.services import CommitteeMeeting
from grants import services
from tests import factories


def meeting(paragraph="§ 87") -> CommitteeMeeting:
    return CommitteeMeeting(
        body="Regionala utvecklingsnämnden", meeting_date=timezone.localdate(), paragraph=paragraph
    )


def record_url(record) -> str:
    return reverse("deciding:committee_decision", args=[record.pk])


def letters_url(record) -> str:
    return reverse("deciding:committee_letters", args=[record.pk])


def letter_url(application) -> str:
    return reverse("casework:decision_letter", args=[application.pk])


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def decision_of(application) -> Decision:
    return Decision.objects.get(application=application)


@pytest.fixture
def record(proposals, secretary):
    """The three proposals decided at the committee, their letters and list not yet produced:
    what is queued after commit does not run here, as if the workers had not got to it."""
    return decision_services.committee_decide(
        applications=proposals, actor=secretary, committee=meeting()
    )


def store_letters(*applications) -> None:
    """Render and store the applications' letters as the task does."""
    for application in applications:
        _decision, stored_now = decision_letter_store(decision_of(application))
        assert stored_now


# The page


def test_the_page_counts_the_letters_and_links_each_as_it_is_produced(
    client, secretary, record, proposals
):
    client.force_login(secretary)

    html = page(client.get(record_url(record)))

    assert "Decision letters" in html
    assert "0 of 3 letters produced" in html
    assert '<progress id="letters-progress" max="3" value="0">' in html
    assert html.count("Being produced") == 3
    for application in proposals:
        assert letter_url(application) not in html

    store_letters(proposals[0], proposals[2])
    html = page(client.get(record_url(record)))

    assert "2 of 3 letters produced" in html
    assert '<progress id="letters-progress" max="3" value="2">' in html
    assert html.count("Being produced") == 1
    assert letter_url(proposals[0]) in html
    assert letter_url(proposals[1]) not in html
    assert letter_url(proposals[2]) in html


def test_while_anything_is_produced_the_page_follows_it_and_offers_check_again(
    client, officer, record, proposals
):
    client.force_login(officer)

    html = page(client.get(record_url(record)))

    assert 'src="/static/js/letter-progress.js" defer' in html
    assert f'data-letters-url="{letters_url(record)}"' in html
    assert 'id="letter-strings"' in html
    assert f'href="{record_url(record)}#letters" id="letters-check-again">Check again</a>' in html
    assert 'role="status" aria-live="polite"' in html
    assert "http-equiv" not in html  # no meta refresh

    # Every letter there but the decision list still coming: the page keeps following.
    store_letters(*proposals)
    html = page(client.get(record_url(record)))

    assert "3 of 3 letters produced" in html
    assert "Being produced" not in html
    assert "letter-progress.js" in html
    assert "Check again" in html


def test_once_everything_is_produced_the_page_stops_following(client, officer, record, proposals):
    store_letters(*proposals)
    decision_lists.decision_list_store(record)
    client.force_login(officer)

    html = page(client.get(record_url(record)))

    assert "3 of 3 letters produced" in html
    assert "letter-progress.js" not in html
    assert "data-letters-url" not in html
    assert "Check again" not in html
    assert "letter-strings" not in html
    assert reverse("deciding:decision_list", args=[record.pk]) in html


def test_the_script_gets_its_words_in_the_page_language(client, officer, record):
    client.force_login(officer)

    html = page(client.get(record_url(record)))

    start = html.index('<script id="letter-strings" type="application/json">') + len(
        '<script id="letter-strings" type="application/json">'
    )
    strings = json.loads(html[start : html.index("</script>", start)])
    assert strings["label"] == "%(done)s of 3 letters produced"
    assert strings["all_done"] == "All 3 letters are produced."
    assert strings["open"] == "Open the letter (PDF)"


def test_one_letter_is_counted_in_the_singular(client, officer, secretary, call):
    single = decision_services.committee_decide(
        applications=[factories.proposal(call, officer)], actor=secretary, committee=meeting("§ 9")
    )
    client.force_login(officer)

    html = page(client.get(record_url(single)))

    assert "0 of 1 letter produced" in html


# The JSON the page polls


def test_the_endpoint_says_how_far_the_letters_have_come(client, officer, record, proposals):
    client.force_login(officer)

    response = client.get(letters_url(record))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "done": 0,
        "total": 3,
        "complete": False,
        "letters": [
            {"case_number": application.case_number, "url": None}
            for application in sorted(proposals, key=lambda a: a.case_number)
        ],
        "decision_list": None,
    }

    store_letters(proposals[1])
    data = client.get(letters_url(record)).json()

    assert (data["done"], data["total"], data["complete"]) == (1, 3, False)
    assert {letter["case_number"]: letter["url"] for letter in data["letters"]} == {
        proposals[0].case_number: None,
        proposals[1].case_number: letter_url(proposals[1]),
        proposals[2].case_number: None,
    }

    store_letters(proposals[0], proposals[2])
    decision_lists.decision_list_store(record)
    data = client.get(letters_url(record)).json()

    assert (data["done"], data["total"], data["complete"]) == (3, 3, True)
    assert all(letter["url"] for letter in data["letters"])
    assert data["decision_list"] == reverse("deciding:decision_list", args=[record.pk])


def test_the_endpoint_of_an_unknown_committee_decision_is_not_found(client, officer, record):
    client.force_login(officer)

    unknown = reverse("deciding:committee_letters", args=[record.pk + 1000])

    assert client.get(unknown).status_code == 404


# Who may read it


@pytest.mark.parametrize("who", ["finance", "applicant"])
def test_others_cannot_follow_the_letters(client, request, who, record, proposals):
    store_letters(proposals[0])
    client.force_login(request.getfixturevalue(who))

    assert client.get(letters_url(record)).status_code == 403
    assert client.get(record_url(record)).status_code == 403
    assert client.post(letters_url(record)).status_code == 403


def test_following_the_letters_needs_a_login(client, record):
    response = client.get(letters_url(record))

    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]
    assert client.post(letters_url(record)).status_code == 302


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_endpoint_only_reads(client, secretary, record, method):
    client.force_login(secretary)

    assert getattr(client, method)(letters_url(record)).status_code == 405
    assert not Decision.objects.exclude(letter="").exists()


def test_a_reader_with_jav_sees_that_case_number_only(
    client, officer_2, record, proposals, organisation_b
):
    services.conflict_declare(
        user=officer_2, organisation=organisation_b, reason="Jäv.", actor=officer_2
    )
    store_letters(*proposals)
    client.force_login(officer_2)

    html = page(client.get(record_url(record)))

    assert proposals[1].case_number in html
    assert organisation_b.name not in html
    assert letter_url(proposals[1]) not in html
    assert letter_url(proposals[0]) in html
    assert letter_url(proposals[2]) in html
    # The count is no case content: every letter of the decision counts.
    assert "3 of 3 letters produced" in html

    data = client.get(letters_url(record)).json()

    assert (data["done"], data["total"]) == (3, 3)
    assert {letter["case_number"]: letter["url"] for letter in data["letters"]} == {
        proposals[0].case_number: letter_url(proposals[0]),
        proposals[1].case_number: None,
        proposals[2].case_number: letter_url(proposals[2]),
    }
    assert organisation_b.name not in json.dumps(data)


# Query counts


@pytest.fixture
def small_and_large(call, officer, secretary, organisation_b):
    """Two committee decisions, of two cases and of six (one of organisation B), every other
    letter stored (a stand-in PDF: the count, not the rendering, is under test here)."""
    records = []
    for paragraph, size in (("§ 1", 2), ("§ 2", 6)):
        applications = [factories.proposal(call, officer) for _ in range(size - 1)]
        applications.append(factories.proposal(call, officer, organisation_obj=organisation_b))
        records.append(
            decision_services.committee_decide(
                applications=applications, actor=secretary, committee=meeting(paragraph)
            )
        )
    for decision in Decision.objects.order_by("pk")[::2]:
        decision.letter.save("letter.pdf", ContentFile(factories.PDF_BYTES), save=True)
    return records


def test_the_endpoint_queries_do_not_grow_with_the_cases(
    client, officer_2, organisation_b, small_and_large, django_assert_num_queries
):
    services.conflict_declare(
        user=officer_2, organisation=organisation_b, reason="Jäv.", actor=officer_2
    )
    client.force_login(officer_2)
    small, large = small_and_large

    # Session, user, permissions (2), the record, jäv, the decisions with their case numbers.
    with django_assert_num_queries(7):
        assert client.get(letters_url(small)).json()["total"] == 2
    with django_assert_num_queries(7):
        assert client.get(letters_url(large)).json()["total"] == 6


def test_the_page_queries_do_not_grow_with_the_letters(
    client, officer_2, organisation_b, small_and_large, django_assert_num_queries
):
    services.conflict_declare(
        user=officer_2, organisation=organisation_b, reason="Jäv.", actor=officer_2
    )
    client.force_login(officer_2)
    small, large = small_and_large

    # Session, user, permissions (2), the record, jäv, the decisions: the letters come with them.
    with django_assert_num_queries(7):
        assert "of 2 letters produced" in page(client.get(record_url(small)))
    with django_assert_num_queries(7):
        assert "of 6 letters produced" in page(client.get(record_url(large)))
    assert CommitteeDecision.objects.count() == 2
