"""The case messages' services: who may write, when, what is audited and who is told."""

import pytest

from audit.services import entries_for
from grants import services
from grants.models import CaseMessage
from organisations.services import membership_add
from tests import factories
from tests.assertions import refused


def test_member_writes_to_the_assigned_officer(
    member, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.case_message_send(
            application=under_review, actor=member, body="  En fråga.  "
        )

    assert (message.body, message.from_staff, message.sender) == ("En fråga.", False, member)
    entry = entries_for(under_review).last()
    assert entry.action == "grants.message.sent"
    assert entry.actor == member
    assert entry.data == {"message": message.pk, "from_staff": False}
    assert [mail.to for mail in mailoutbox] == [["officer@example.org"]]


def test_message_before_an_officer_is_assigned_is_kept_without_email(
    applicant, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_message_send(application=submitted, actor=applicant, body="Hej")

    assert CaseMessage.objects.count() == 1
    assert mailoutbox == []


def test_officer_writes_to_the_signatories_and_the_author(
    officer, member, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.case_message_send(
            application=under_review, actor=officer, body="Vi behöver en tidsplan."
        )

    assert message.from_staff
    assert [mail.to for mail in mailoutbox] == [["applicant-a@example.org"]]
    assert "Vi behöver en tidsplan." not in mailoutbox[0].body


def test_outsider_cannot_write(applicant_b, submitted):
    error = refused(
        services.case_message_send, application=submitted, actor=applicant_b, body="Hej"
    )

    assert error.code == "denied"


def test_officer_with_conflict_of_interest_cannot_write(officer_2, submitted):
    services.conflict_declare(
        user=officer_2, organisation=submitted.organisation, reason="Jäv.", actor=officer_2
    )

    error = refused(services.case_message_send, application=submitted, actor=officer_2, body="Hej")

    assert error.code == "denied"


def test_staff_member_who_is_also_a_member_writes_as_the_organisation(officer, submitted):
    membership_add(organisation=submitted.organisation, user=officer, role="member", actor=None)

    message = services.case_message_send(application=submitted, actor=officer, body="Hej")

    assert not message.from_staff


@pytest.mark.parametrize("who", ["applicant", "officer"])
def test_nobody_writes_on_a_draft(request, draft, who):
    error = refused(
        services.case_message_send,
        application=draft,
        actor=request.getfixturevalue(who),
        body="Hej",
    )

    assert error.code in {"wrong_state", "denied"}


def test_nobody_writes_in_a_withdrawn_case(applicant, submitted, client):
    services.application_withdraw(application=submitted, actor=applicant)

    error = refused(
        services.case_message_send, application=submitted, actor=applicant, body="Hej igen"
    )

    assert error.code == "wrong_state"
    client.force_login(applicant)
    page = client.get(f"/en/mina-sidor/{submitted.pk}/").content.decode()
    assert 'name="body"' not in page


def test_empty_and_overlong_messages_are_refused(applicant, submitted):
    assert (
        refused(
            services.case_message_send, application=submitted, actor=applicant, body=" \n "
        ).code
        == "invalid"
    )
    assert (
        refused(
            services.case_message_send,
            application=submitted,
            actor=applicant,
            body="x" * (services.CASE_MESSAGE_MAX_LENGTH + 1),
        ).code
        == "invalid"
    )


def test_mark_read_marks_only_the_other_sides_messages(applicant, officer, under_review):
    services.case_message_send(application=under_review, actor=officer, body="Från regionen")
    services.case_message_send(application=under_review, actor=applicant, body="Från föreningen")

    assert services.case_messages_mark_read(application=under_review, reader=applicant) == 1
    assert services.case_messages_mark_read(application=under_review, reader=applicant) == 0
    assert services.case_messages_mark_read(application=under_review, reader=officer) == 1
    assert not CaseMessage.objects.filter(read_at__isnull=True).exists()


def test_mark_read_by_an_outsider_marks_nothing(applicant_b, officer, under_review):
    services.case_message_send(application=under_review, actor=officer, body="Hej")

    assert services.case_messages_mark_read(application=under_review, reader=applicant_b) == 0
    assert CaseMessage.objects.get().read_at is None


def test_messages_of_another_application_are_untouched(
    applicant, officer, under_review, organisation, call
):
    other = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    services.case_message_send(application=other, actor=officer, body="Annat ärende")

    services.case_messages_mark_read(application=under_review, reader=applicant)

    assert CaseMessage.objects.get().read_at is None
