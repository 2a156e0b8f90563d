"""The admin: every model opens, what services own is read-only, and transitions offered there
go through the services (lock, permission, jäv, four-eyes, audit)."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from decisions import banking
from decisions import payments as payment_services
from decisions import services as decision_services
from decisions.models import (
    CommitteeDecision,
    Decision,
    DelegationRule,
    LetterText,
    Payment,
    PaymentBatch,
    ReportAttachment,
)
from decisions.workflow import BatchState, PaymentState
from grants import services
from grants.models import Application, CaseMessage, ConflictOfInterest
from grants.workflow import ApplicationState as S
from organisations import services as organisation_services
from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    PayoutAccount,
    User,
)
from tests import factories

# Queries for the application change list, whatever the number of rows: session, user,
# the page's rows and the filters' choices. A change here is an N+1 or a new filter.
APPLICATION_CHANGELIST_QUERIES = 9


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        email="admin@example.org", password=factories.PASSWORD, full_name="Ada Administratör"
    )


@pytest.fixture
def admin_session(client, superuser):
    client.force_login(superuser)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def run_action(client, model, action, objects, *, answers=None, on_page=False):
    """Post an admin action as the browser does: from the change list, or from a change page."""
    data = {"_selected_action": [obj.pk for obj in objects], "index": "0"}
    if on_page:
        (obj,) = objects
        url = admin_url(model, "change", obj.pk)
        data["CHANGE_FORM-action"] = action
    else:
        url = admin_url(model, "changelist")
        data["action"] = action
    if answers is not None:
        data["service-ready"] = "1"
        data.update({f"service-{name}": value for name, value in answers.items()})
    return client.post(url, data)


def sent_messages(response, level):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


def next_banking_day():
    return banking.next_banking_day(timezone.localdate())


@pytest.fixture
def payable_payment(approved):
    return approved.decision.payments.get(state=PaymentState.PAYABLE)


def populate(*, call, officer, officer_2, finance, finance_2, decider, name):
    """Create one of every model the admin shows, for a new organisation, through the services.

    Needs a delegation rule for ``decider``.
    """
    today = timezone.localdate()
    applicant = factories.user(full_name=f"Signatory of {name}")
    organisation = factories.organisation(applicant, verified_by=finance, name=name)
    organisation_services.organisation_document_add(
        organisation=organisation,
        actor=applicant,
        kind="statutes",
        year=today.year,
        file=ContentFile(factories.PDF_BYTES, name="stadgar.pdf"),
        original_name="Stadgar.pdf",
        content_type="application/pdf",
    )
    organisation_services.payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="bankgiro",
        number=factories.bankgiro(),
        holder_name=organisation.name,
    )
    services.conflict_declare(
        user=officer_2, organisation=organisation, reason="Styrelseledamot.", actor=officer_2
    )
    application = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    services.application_start_review(application=application, actor=officer)
    decision = factories.decide(factories.assess(application, officer), decider)
    # A committee decision (samlingsbeslut) of another case, recorded by a secretary.
    decision_services.committee_decide(
        applications=[factories.proposal(call, officer, organisation_obj=organisation)],
        actor=factories.user(None, "secretary"),
        committee=decision_services.CommitteeMeeting(
            body="Regionala utvecklingsnämnden",
            meeting_date=today,
            paragraph=f"§ {CommitteeDecision.objects.count() + 1}",
        ),
    )
    second = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    services.application_request_completion(
        application=second,
        actor=officer,
        message="Bifoga en budgetspecifikation.",
        due_date=today + timedelta(days=14),
    )
    CaseMessage.objects.create(
        application=second, sender=officer, from_staff=True, body="Hör av er vid frågor."
    )
    services.internal_note_add(application=second, actor=officer, body="Ringde ordföranden.")
    JoinRequest.objects.create(user=factories.user(), organisation=organisation)
    Invitation.objects.create(
        organisation=organisation,
        email="ny@example.org",
        token_sha256=hashlib.sha256(name.encode()).hexdigest(),
        invited_by=applicant,
        expires_at=timezone.now() + timedelta(days=3),
    )
    batch = payment_services.batch_create(
        actor=finance,
        payments=list(decision.payments.filter(state=PaymentState.PAYABLE)),
        payment_date=next_banking_day(),
    )
    payment_services.batch_attest(batch=batch, actor=finance_2)
    payment_services.batch_export(batch=batch, actor=finance)
    payment_services.batch_confirm(batch=batch, actor=finance, paid_on=today)
    ReportAttachment.objects.create(
        report=decision.follow_up_report,
        file=ContentFile(factories.PDF_BYTES, name="rapport.pdf"),
        original_name="Slutrapport.pdf",
        content_type="application/pdf",
        size=len(factories.PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=applicant,
    )
    from decisions.reminders import reminder_send

    reminder_send(report=decision.follow_up_report, today=decision.follow_up_report.due_date)
    decision_services.repayment_claim_create(
        decision=decision,
        actor=decider,
        amount=Decimal("1000"),
        reasons="Projektet genomfördes inte i sin helhet.",
        due_date=today + timedelta(days=30),
    )
    LetterText.objects.get_or_create(
        programme=call.programme,
        part=LetterText.Part.APPEAL,
        language="sv",
        defaults={"text": "Beslutet kan överklagas hos Kammarkollegiet inom tre veckor."},
    )


@pytest.fixture
def staff(call, officer, officer_2, finance, finance_2, decider, delegation):
    return {
        "call": call,
        "officer": officer,
        "officer_2": officer_2,
        "finance": finance,
        "finance_2": finance_2,
        "decider": decider,
    }


# Every model


def test_every_model_of_the_three_apps_is_in_the_admin():
    shown = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        shown.update(inline.model for inline in model_admin.inlines)
    for label in ("organisations", "grants", "decisions"):
        for model in apps.get_app_config(label).get_models():
            assert model in shown, f"{model._meta.label} is not in the admin"


def test_every_registered_model_opens(admin_session, superuser, staff):
    populate(**staff, name="Storsjöteatern ideell förening")
    request = RequestFactory().get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        response = admin_session.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model._meta.label

        if model_admin.has_add_permission(request):
            assert admin_session.get(admin_url(model, "add")).status_code == 200, model

        obj = model._default_manager.order_by("pk").first()
        if model._meta.app_label in {"organisations", "grants", "decisions"}:
            assert obj is not None, f"no {model._meta.label} to open"
        if obj is not None:
            response = admin_session.get(admin_url(model, "change", obj.pk))
            assert response.status_code == 200, model._meta.label


def test_site_header(admin_session):
    response = admin_session.get(reverse("admin:index"))
    assert str(admin.site.site_header) in response.content.decode()


def test_search_finds_an_application_by_case_number_organisation_and_org_number(
    admin_session, submitted
):
    organisation = submitted.organisation
    for term in (
        submitted.case_number,
        organisation.name[:10],
        organisation.org_number,
        organisation.org_number.replace("-", ""),
    ):
        response = admin_session.get(admin_url(Application, "changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [submitted], term


# What only services write


def test_state_is_not_editable_in_the_application_form(admin_session, submitted):
    url = admin_url(Application, "change", submitted.pk)

    page = admin_session.get(url)
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()

    response = admin_session.post(
        url, {"state": S.APPROVED, "title": "Ändrad titel", "case_number": "X", "_save": "1"}
    )

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
    assert submitted.title == "Sommarteater i Storsjöbygden"
    assert submitted.case_number.startswith("KUL ")


def test_records_that_must_be_kept_cannot_be_deleted(superuser, approved, draft):
    request = RequestFactory().get("/")
    request.user = superuser
    decision = approved.decision
    batch = PaymentBatch(payment_date=next_banking_day(), created_by=superuser)
    for model, obj in [
        (Decision, decision),
        (Payment, decision.payments.first()),
        (PaymentBatch, batch),
        (LogEntry, LogEntry.objects.first()),
        (Application, approved),
    ]:
        assert not admin.site._registry[model].has_delete_permission(request, obj), model
    assert admin.site._registry[Application].has_delete_permission(request, draft)
    assert not admin.site._registry[Application].has_delete_permission(request)


def test_a_draft_can_be_deleted_and_the_deletion_is_audited(admin_session, superuser, draft):
    response = admin_session.post(admin_url(Application, "delete", draft.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Application.objects.filter(pk=draft.pk).exists()
    entry = LogEntry.objects.get(action="grants.application.deleted")
    assert (entry.actor, entry.object_id) == (superuser, str(draft.pk))


def test_a_submitted_application_cannot_be_deleted(admin_session, submitted):
    response = admin_session.post(admin_url(Application, "delete", submitted.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Application.objects.filter(pk=submitted.pk).exists()


def test_a_decision_page_shows_the_snapshot_and_cannot_be_changed(admin_session, approved):
    decision = approved.decision
    url = admin_url(Decision, "change", decision.pk)

    response = admin_session.get(url)

    content = response.content.decode()
    assert "<pre>" in content
    assert approved.case_number in content
    assert 'name="_save"' not in content
    assert admin_session.post(url, {"amount": "1", "_save": "1"}).status_code == 403
    assert admin_session.get(admin_url(Decision, "delete", decision.pk)).status_code == 403


# Transitions through the services


def test_start_review_action_goes_through_the_service(admin_session, superuser, submitted):
    response = run_action(admin_session, Application, "start_review", [submitted])

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == S.UNDER_REVIEW
    assert submitted.assigned_officer == superuser
    assert LogEntry.objects.filter(
        action="grants.application.review_started",
        object_id=str(submitted.pk),
        actor=superuser,
    ).exists()
    assert len(sent_messages(response, messages.SUCCESS)) == 1
    assert sent_messages(response, messages.ERROR) == []


def test_start_review_action_refuses_an_administrator_with_jav(admin_session, superuser, submitted):
    services.conflict_declare(
        user=superuser,
        organisation=submitted.organisation,
        reason="Ordförande i föreningen.",
        actor=superuser,
    )

    response = run_action(admin_session, Application, "start_review", [submitted])

    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
    assert submitted.assigned_officer is None
    assert not LogEntry.objects.filter(action="grants.application.review_started").exists()
    (error,) = sent_messages(response, messages.ERROR)
    assert submitted.case_number in error
    assert submitted.organisation.name in error
    assert sent_messages(response, messages.SUCCESS) == []


def test_change_page_offers_only_the_transitions_allowed_now(admin_session, superuser, submitted):
    def offered():
        response = admin_session.get(admin_url(Application, "change", submitted.pk))
        action_form = response.context["action_form"]
        return (
            {name for name, _label in action_form.fields["action"].choices}
            if action_form
            else set()
        )

    assert "start_review" in offered()

    services.conflict_declare(
        user=superuser, organisation=submitted.organisation, reason="Jäv.", actor=superuser
    )
    assert "start_review" not in offered()


def test_start_review_from_the_change_page(admin_session, superuser, submitted):
    response = run_action(admin_session, Application, "start_review", [submitted], on_page=True)

    assert response.status_code == 302
    assert response["Location"].endswith(admin_url(Application, "change", submitted.pk))
    submitted.refresh_from_db()
    assert submitted.state == S.UNDER_REVIEW


def test_assign_action_asks_for_the_officer(admin_session, superuser, under_review, officer_2):
    page = run_action(admin_session, Application, "assign", [under_review])
    assert page.status_code == 200
    assert 'name="service-officer"' in page.content.decode()

    response = run_action(
        admin_session, Application, "assign", [under_review], answers={"officer": officer_2.pk}
    )

    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.assigned_officer == officer_2
    assert LogEntry.objects.filter(action="grants.application.assigned", actor=superuser).exists()


def test_verify_action_verifies_a_pending_payout_account(
    admin_session, superuser, organisation, applicant
):
    account = organisation_services.payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="bankgiro",
        number=factories.bankgiro(),
        holder_name=organisation.name,
    )

    run_action(admin_session, PayoutAccount, "verify", [account])

    account.refresh_from_db()
    assert account.verified_by == superuser
    assert LogEntry.objects.filter(
        action="organisations.payout_account.verified", object_id=str(account.pk)
    ).exists()


def test_attest_action_refuses_the_batch_creator(admin_session, superuser, payable_payment):
    batch = payment_services.batch_create(
        actor=superuser, payments=[payable_payment], payment_date=next_banking_day()
    )

    response = run_action(admin_session, PaymentBatch, "attest", [batch])

    batch.refresh_from_db()
    assert batch.state == BatchState.DRAFT
    assert batch.attested_by is None
    (error,) = sent_messages(response, messages.ERROR)
    assert str(batch) in error
    assert not LogEntry.objects.filter(action="decisions.batch.attested").exists()


def test_attest_action_attests_another_officers_batch(
    admin_session, superuser, finance, payable_payment
):
    batch = payment_services.batch_create(
        actor=finance, payments=[payable_payment], payment_date=next_banking_day()
    )

    response = run_action(admin_session, PaymentBatch, "attest", [batch])

    batch.refresh_from_db()
    assert batch.state == BatchState.ATTESTED
    assert batch.attested_by == superuser
    assert LogEntry.objects.filter(action="decisions.batch.attested", actor=superuser).exists()
    assert len(sent_messages(response, messages.SUCCESS)) == 1


def test_cancel_action_asks_for_the_reason(admin_session, superuser, finance, payable_payment):
    batch = payment_services.batch_create(
        actor=finance, payments=[payable_payment], payment_date=next_banking_day()
    )

    page = run_action(admin_session, PaymentBatch, "cancel", [batch])
    assert page.status_code == 200
    assert 'name="service-reason"' in page.content.decode()
    unanswered = run_action(admin_session, PaymentBatch, "cancel", [batch], answers={"reason": ""})
    assert unanswered.status_code == 200
    batch.refresh_from_db()
    assert batch.state == BatchState.DRAFT

    response = run_action(
        admin_session, PaymentBatch, "cancel", [batch], answers={"reason": "Fel betalningsdag."}
    )

    assert response.status_code == 302
    batch.refresh_from_db()
    payable_payment.refresh_from_db()
    assert batch.state == BatchState.CANCELLED
    assert payable_payment.state == PaymentState.PAYABLE
    entry = LogEntry.objects.get(action="decisions.batch.cancelled")
    assert entry.actor == superuser
    assert entry.data["reason"] == "Fel betalningsdag."


def test_a_batch_goes_from_payments_to_paid_in_the_admin(
    admin_session, superuser, finance, payable_payment
):
    run_action(
        admin_session,
        Payment,
        "put_in_new_batch",
        [payable_payment],
        answers={"payment_date": next_banking_day().isoformat(), "note": ""},
    )
    batch = PaymentBatch.objects.get()
    assert batch.created_by == superuser
    # Four-eyes: another finance officer attests.
    payment_services.batch_attest(batch=batch, actor=finance)

    run_action(admin_session, PaymentBatch, "mark_exported", [batch], on_page=True)
    today = timezone.localdate()
    run_action(
        admin_session, PaymentBatch, "confirm", [batch], answers={"paid_on": today.isoformat()}
    )

    batch.refresh_from_db()
    payable_payment.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED
    assert batch.exported_by == batch.confirmed_by == superuser
    assert payable_payment.state == PaymentState.PAID
    assert payable_payment.paid_at == today


# Edits made in the admin


def test_declaring_jav_in_the_admin_goes_through_the_service(
    admin_session, superuser, under_review, officer
):
    response = admin_session.post(
        admin_url(ConflictOfInterest, "add"),
        {
            "user": officer.pk,
            "organisation": under_review.organisation.pk,
            "reason": "Gift med kassören.",
        },
    )

    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(user=officer).exists()
    under_review.refresh_from_db()
    assert under_review.assigned_officer is None
    assert LogEntry.objects.get(action="grants.conflict.declared").actor == superuser


def test_a_user_is_added_with_an_email_address(admin_session, superuser):
    response = admin_session.post(
        admin_url(User, "add"),
        {
            "email": "Ny.Handlaggare@Example.org",
            "full_name": "Nils Handläggare",
            "title": "Kulturhandläggare",
            "language": "sv",
            "groups": [Group.objects.get(name="officer").pk],
            "usable_password": "true",
            "password1": "ett-långt-lösenord-2026",
            "password2": "ett-långt-lösenord-2026",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="ny.handlaggare@example.org")
    assert user.check_password("ett-långt-lösenord-2026")
    assert list(user.groups.values_list("name", flat=True)) == ["officer"]
    entry = LogEntry.objects.get(action="organisations.user.created")
    assert entry.actor == superuser
    assert "password" not in entry.data["changes"]


def page_data(response) -> dict:
    """Return what the browser would post back from an admin change page, changing nothing."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_a_membership_added_on_the_organisation_page_is_audited(
    admin_session, superuser, organisation, officer
):
    url = admin_url(Organisation, "change", organisation.pk)
    data = page_data(admin_session.get(url))
    row = int(data["memberships-TOTAL_FORMS"])
    data |= {
        "memberships-TOTAL_FORMS": row + 1,
        f"memberships-{row}-user": officer.pk,
        f"memberships-{row}-role": "member",
        "_save": "1",
    }

    response = admin_session.post(url, data)

    assert response.status_code == 302
    membership = Membership.objects.get(user=officer, organisation=organisation)
    entry = LogEntry.objects.get(action="organisations.membership.created")
    assert entry.actor == superuser
    assert entry.object_id == str(membership.pk)
    assert entry.data["changes"]["user"]["new"] == officer.pk
    # The organisation itself did not change: nothing to audit for it.
    assert not LogEntry.objects.filter(action="organisations.organisation.changed").exists()


def test_a_changed_delegation_rule_is_audited(admin_session, superuser, delegation):
    response = admin_session.post(
        admin_url(DelegationRule, "change", delegation.pk),
        {
            "user": delegation.user_id,
            "group": "",
            "programme": "",
            "max_amount": "150000.00",
            "reference": delegation.reference,
            "is_active": "on",
            "_save": "1",
        },
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get(action="decisions.delegationrule.changed")
    assert entry.actor == superuser
    assert entry.data["changes"] == {"max_amount": {"old": "100000.00", "new": "150000.00"}}


# Query counts


def changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200, model._meta.label
    return len(captured)


def test_no_changelist_queries_grow_with_rows(admin_session, staff):
    populate(**staff, name="Storsjöteatern ideell förening")
    once = {model: changelist_queries(admin_session, model) for model in admin.site._registry}

    populate(**staff, name="Krokoms hembygdsförening")
    twice = {model: changelist_queries(admin_session, model) for model in admin.site._registry}

    assert twice == once


def test_application_changelist_queries_do_not_grow_with_rows(
    admin_session, organisation, call, applicant, officer, django_assert_num_queries
):
    url = admin_url(Application, "changelist")

    def add_applications(count):
        for _ in range(count):
            application = services.application_submit(
                application=factories.draft(organisation, call, applicant), actor=applicant
            )
            services.application_start_review(application=application, actor=officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = admin_session.get(url)
        assert response.status_code == 200
        return len(captured)

    add_applications(3)
    few = queries()
    add_applications(27)
    many = queries()

    assert many == few
    with django_assert_num_queries(APPLICATION_CHANGELIST_QUERIES):
        admin_session.get(url)
