"""Every write a user can cause from the decision on: decisions, follow-up and repayment.

Payments and batches are in ``decisions.payments``. The same steps as in ``grants.services``:
lock, check, transition, save, audit, side effects on commit.
"""

import calendar
import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import log_action
from decisions.committee import decision_list_render
from decisions.delivery import decision_letter_send, repayment_letter_send
from decisions.letter_texts import letter_texts_for
from decisions.models import (
    CommitteeDecision,
    Decision,
    DelegationRule,
    FollowUpReport,
    Payment,
    RepaymentClaim,
    ReportAttachment,
)
from decisions.workflow import BatchState, PaymentState, RepaymentState
from grants import permissions
from grants.models import Application, CompletionRequest
from grants.selectors import conflict_organisation_ids
from grants.services import (
    _application_facts,
    _money,
    _signatory_emails,
    lock_application,
    require_transition,
)
from grants.services.messages import _case_link
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.files import store_upload
from organisations.models import User
from organisations.notifications import email_on_commit

S = ApplicationState
Outcome = Decision.Outcome


@dataclass(frozen=True)
class CommitteeMeeting:
    """The committee meeting at which a decision was made (samlingsbeslut)."""

    body: str
    meeting_date: date
    paragraph: str


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def amount_concerned(*, outcome: str, amount: Decimal, requested: Decimal) -> Decimal:
    """Return the amount a decision concerns, for delegation and four-eyes.

    A grant concerns the granted amount; a rejection or dismissal concerns what was applied for.
    """
    return amount if outcome in Decision.GRANTING else requested


def delegation_rule_for(*, user: User, programme, amount: Decimal) -> DelegationRule | None:
    """Return the narrowest active delegation rule letting ``user`` decide ``amount``, if any."""
    return (
        DelegationRule.objects.filter(is_active=True, max_amount__gte=amount)
        .filter(Q(user=user) | Q(group__in=user.groups.all()))
        .filter(Q(programme=programme) | Q(programme__isnull=True))
        .order_by("max_amount", "id")
        .first()
    )


def payment_plan_amounts(*, plan: list[dict], amount: Decimal) -> list[tuple[Decimal, str]]:
    """Split a granted amount by the plan's shares into whole kronor; the last takes the rest."""
    if not plan:
        plan = [{"share": "1", "trigger": Payment.Trigger.ON_DECISION}]
    instalments = []
    remaining = amount
    for index, step in enumerate(plan):
        if index == len(plan) - 1:
            part = remaining.quantize(Decimal("0.01"))
        else:
            part = (amount * Decimal(str(step["share"]))).quantize(Decimal("1"), ROUND_DOWN)
            part = part.quantize(Decimal("0.01"))
            remaining -= part
        if part > 0:
            instalments.append((part, step["trigger"]))
    return instalments


#: Version 2 added the letter's worded parts ("texts"); letters are rendered from version 2 on.
SNAPSHOT_VERSION = 2


def decision_snapshot(decision: Decision, instalments: list[tuple[Decimal, str]]) -> dict:
    """Return every value the letter shows, copied now so it can be rendered identically later."""
    application = decision.application
    organisation = application.organisation
    programme = application.call.programme
    account = organisation.payout_accounts.verified().first()
    trigger_labels = dict(Payment.Trigger.choices)
    texts = letter_texts_for(programme=programme, language=decision.letter_language)
    shown = ["report", "repayment", "appeal"] if decision.is_grant else ["appeal"]
    with translation.override(decision.letter_language):
        snapshot = {
            "version": SNAPSHOT_VERSION,
            "region": settings.REGION,
            "case_number": application.case_number,
            "decision_date": decision.decision_date,
            "language": decision.letter_language,
            "outcome": decision.outcome,
            "outcome_label": str(decision.get_outcome_display()),
            "amount": decision.amount,
            "requested_amount": decision.requested_amount,
            "reasons": decision.reasons,
            "conditions": decision.conditions,
            "organisation": {
                "name": organisation.name,
                "org_number": organisation.display_org_number,
                "street_address": organisation.street_address,
                "postal_code": organisation.postal_code,
                "city": organisation.city,
            },
            "application": {
                "title": application.title,
                "submitted_at": application.submitted_at,
                "activity_starts": application.activity_starts,
                "activity_ends": application.activity_ends,
            },
            "programme": {
                "name": programme.name_en
                if decision.letter_language == "en"
                else programme.name_sv,
                "kind": programme.kind,
                "strategy_area": str(programme.get_strategy_area_display()),
                "appeal_kind": programme.appeal_kind,
            },
            "call": application.call.title_en
            if decision.letter_language == "en"
            else application.call.title_sv,
            "decided_by": {
                "name": decision.decided_by.full_name,
                "title": decision.decided_by.title,
            },
            "presenter": {"name": decision.presenter.full_name, "title": decision.presenter.title},
            "delegation_reference": decision.delegation_reference,
            "committee": {
                "body": decision.committee_body,
                "meeting_date": decision.committee_meeting_date,
                "paragraph": decision.committee_paragraph,
            }
            if decision.is_committee_decision
            else None,
            "payment_plan": [
                {
                    "instalment": number,
                    "amount": part,
                    "trigger": trigger,
                    "trigger_label": str(trigger_labels[trigger]),
                }
                for number, (part, trigger) in enumerate(instalments, start=1)
            ],
            "payout_account": {"kind": account.get_kind_display(), "number": account.number}
            if account
            else None,
            "report_due_date": decision.report_due_date,
            "contact": {
                "name": decision.presenter.full_name,
                "email": decision.presenter.email,
                "phone": decision.presenter.phone,
            },
            # The worded parts as the administrators had them when the decision was made.
            "texts": {part: texts[part] for part in shown},
        }
    # Stored exactly as it will be read back: dates and amounts as strings.
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def _check_outcome(*, outcome: str, amount: Decimal, requested: Decimal) -> None:
    if outcome not in Outcome.values:
        raise WorkflowError(_("Choose an outcome for the decision."), code="invalid")
    if outcome == Outcome.APPROVED and amount != requested:
        raise WorkflowError(
            _("Approval in full grants the %(amount)s kr applied for; choose approval in part.")
            % {"amount": _money(requested)},
            code="invalid",
        )
    if outcome == Outcome.APPROVED_PARTLY and not 0 < amount < requested:
        raise WorkflowError(
            _("Approval in part grants more than 0 and less than the %(amount)s kr applied for.")
            % {"amount": _money(requested)},
            code="invalid",
        )


@transaction.atomic
def decision_record(
    *,
    application: Application,
    actor: User,
    outcome: str,
    reasons: str,
    amount: Decimal | None = None,
    conditions: str | None = None,
    committee: CommitteeMeeting | CommitteeDecision | None = None,
    decision_date: date | None = None,
) -> Decision:
    """Decide a proposed case: approve (in full or part), reject or dismiss it.

    A decision by delegation needs a rule covering the amount; a committee decision is recorded
    by the secretary. The presenter may not decide (four-eyes) above ``FOUR_EYES_ABOVE``.
    A case decided alone at a meeting joins the ``CommitteeDecision`` of its §, or records one;
    ``committee_decide`` passes the ``CommitteeDecision`` it has recorded for all its cases.
    """
    application = lock_application(application)
    granting = outcome in Decision.GRANTING
    require_transition(application, "approve" if granting else "reject", actor)
    assessment = application.assessment
    requested = application.requested_amount
    if amount is None:
        amount = assessment.proposed_amount if granting else Decimal("0")
    amount = Decimal(amount or 0).quantize(Decimal("0.01"))
    if not granting:
        amount = Decimal("0.00")
    _check_outcome(outcome=outcome, amount=amount, requested=requested)
    if not reasons.strip():
        raise WorkflowError(_("Give the reasons for the decision."), code="invalid")
    concerned = amount_concerned(outcome=outcome, amount=amount, requested=requested)
    presenter = assessment.officer
    if presenter.pk == actor.pk and concerned > settings.FOUR_EYES_ABOVE:
        raise WorkflowError(
            _("You presented this case and may not also decide it (four-eyes principle)."),
            code="four_eyes",
        )
    rule = committee_record = None
    if committee is None:
        if not actor.has_perm(permissions.DECIDE):
            raise WorkflowError(
                _("Only a decision maker can decide by delegation; record a committee decision."),
                code="wrong_role",
            )
        rule = delegation_rule_for(
            user=actor, programme=application.call.programme, amount=concerned
        )
        if rule is None:
            raise WorkflowError(
                _(
                    "%(amount)s kr is above your delegation for this programme; the case goes "
                    "to the committee."
                )
                % {"amount": _money(concerned)},
                code="over_delegation",
            )
    elif not actor.has_perm(permissions.RECORD_COMMITTEE):
        raise WorkflowError(
            _("Only the committee secretary can record committee decisions."), code="wrong_role"
        )
    else:
        committee_record = _committee_record_for(
            committee=committee, call=application.call, actor=actor
        )

    if decision_date is None:
        decision_date = committee_record.meeting_date if committee_record else timezone.localdate()
    programme = application.call.programme
    report_due = None
    if granting:
        report_due = add_months(
            max(application.activity_ends or decision_date, decision_date),
            programme.report_due_months,
        )
    decision = Decision(
        application=application,
        outcome=outcome,
        amount=amount,
        requested_amount=requested,
        reasons=reasons.strip(),
        conditions=(assessment.conditions if conditions is None else conditions).strip(),
        decided_by=actor,
        presenter=presenter,
        delegation_rule=rule,
        delegation_reference=rule.reference if rule else "",
        committee_body=committee_record.body if committee_record else "",
        committee_meeting_date=committee_record.meeting_date if committee_record else None,
        committee_paragraph=committee_record.paragraph if committee_record else "",
        committee_decision=committee_record,
        decision_date=decision_date,
        report_due_date=report_due,
        letter_language=application.letter_language,
    )
    instalments = (
        payment_plan_amounts(plan=programme.payment_plan, amount=amount) if granting else []
    )
    decision.snapshot = decision_snapshot(decision, instalments)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as error:
        if Decision.objects.filter(application=application).exists():
            raise WorkflowError(
                _("This case has already been decided."), code="conflict"
            ) from error
        raise
    for number, (part, trigger) in enumerate(instalments, start=1):
        payment = Payment(decision=decision, instalment=number, amount=part, trigger=trigger)
        if trigger == Payment.Trigger.ON_DECISION:
            payment.make_payable()
        payment.save()
    if granting:
        FollowUpReport.objects.create(decision=decision, due_date=report_due)
        application.approve()
    else:
        application.reject()
    application.save(update_fields=["state", "decided_at", "updated_at"])
    log_action(
        application,
        f"grants.application.{'approved' if granting else 'rejected'}",
        actor=actor,
        data={
            "outcome": outcome,
            "amount": amount,
            "requested_amount": requested,
            "delegation_reference": decision.delegation_reference,
            "committee": decision.snapshot["committee"],
            "decision": decision.pk,
        },
    )
    # The decision e-mail carries the letter, so the task that renders the letter sends it.
    recipients = _signatory_emails(application.organisation) + [application.author.email]
    context = _application_facts(application) | {
        "outcome": outcome,
        "amount": _money(amount),
        "requested_amount": _money(requested),
        "reasons": decision.reasons,
        "link": _case_link(application, application.letter_language),
    }
    decision_id = decision.pk
    transaction.on_commit(
        lambda: decision_letter_send.enqueue(
            decision_id=decision_id, to=recipients, context=context
        )
    )
    if committee_record is not None and not isinstance(committee, CommitteeDecision):
        _committee_decided(record=committee_record, actor=actor, decisions=[decision])
    return decision


# Committee decisions (samlingsbeslut)


def _paragraph(text: str) -> str:
    """Return the minutes' § as written in the record: "87", "§87" and " § 87 " are "§ 87"."""
    number = " ".join(text.replace("§", " ").split())
    return f"§ {number}" if number else ""


def _meeting_label(meeting: CommitteeMeeting | CommitteeDecision) -> str:
    return _("%(paragraph)s of the meeting of %(body)s on %(date)s") % {
        "body": meeting.body,
        "date": date_format(meeting.meeting_date, "j F Y"),
        "paragraph": meeting.paragraph,
    }


def _checked_meeting(committee: CommitteeMeeting) -> CommitteeMeeting:
    """Return the meeting as it is recorded, or raise when the body, date or § is missing, or
    the date is still to come: decisions are recorded after the meeting that made them."""
    body = " ".join((committee.body or "").split())
    paragraph = _paragraph(committee.paragraph or "")
    if not (body and paragraph and committee.meeting_date):
        raise WorkflowError(_("Give the committee, the meeting date and the §."), code="invalid")
    if len(paragraph) > CommitteeDecision._meta.get_field("paragraph").max_length:
        raise WorkflowError(
            _("Give the § as in the minutes, e.g. § 87: %(paragraph)s is too long.")
            % {"paragraph": paragraph},
            code="invalid",
        )
    if committee.meeting_date > timezone.localdate():
        raise WorkflowError(
            _(
                "The meeting date %(date)s is in the future. Record the committee's decisions "
                "after the meeting has made them."
            )
            % {"date": date_format(committee.meeting_date, "j F Y")},
            code="invalid",
        )
    return CommitteeMeeting(body=body, meeting_date=committee.meeting_date, paragraph=paragraph)


def _committee_record_create(*, meeting: CommitteeMeeting, call, actor: User) -> CommitteeDecision:
    try:
        with transaction.atomic():
            return CommitteeDecision.objects.create(
                call=call,
                body=meeting.body,
                meeting_date=meeting.meeting_date,
                paragraph=meeting.paragraph,
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise WorkflowError(
            _(
                "%(meeting)s is already recorded. Give the § that records this decision in the "
                "minutes."
            )
            % {"meeting": _meeting_label(meeting)},
            code="paragraph_used",
        ) from error


def _committee_record_for(
    *, committee: CommitteeMeeting | CommitteeDecision, call, actor: User
) -> CommitteeDecision:
    """Return the committee decision a case decided at a meeting belongs to.

    A case decided alone joins the record of its § in the same call, or records it. A § used
    for another call, or whose decision list has been produced (it is never changed), is refused.
    """
    if isinstance(committee, CommitteeDecision):
        if committee.call_id != call.pk:
            raise WorkflowError(_("A committee decision covers proposals of one call."))
        return committee
    meeting = _checked_meeting(committee)
    record = (
        CommitteeDecision.objects.select_for_update()
        .filter(body=meeting.body, meeting_date=meeting.meeting_date, paragraph=meeting.paragraph)
        .first()
    )
    if record is None:
        return _committee_record_create(meeting=meeting, call=call, actor=actor)
    if record.call_id != call.pk:
        raise WorkflowError(
            _(
                "%(meeting)s is already recorded for another call. Give the § that records "
                "this decision in the minutes."
            )
            % {"meeting": _meeting_label(meeting)},
            code="paragraph_used",
        )
    if record.decision_list:
        raise WorkflowError(
            _(
                "The decision list of %(meeting)s has been produced and is not changed. Record "
                "this decision under its own §."
            )
            % {"meeting": _meeting_label(meeting)},
            code="paragraph_used",
        )
    return record


def _committee_decided(
    *, record: CommitteeDecision, actor: User, decisions: list[Decision]
) -> None:
    """Audit the cases decided under the record, and produce its decision list after commit."""
    log_action(
        record,
        "decisions.committee.decided",
        actor=actor,
        data={
            "call": record.call_id,
            "body": record.body,
            "meeting_date": record.meeting_date,
            "paragraph": record.paragraph,
            "cases": [decision.application.case_number for decision in decisions],
            "decisions": [decision.pk for decision in decisions],
        },
    )
    record_id = record.pk
    transaction.on_commit(lambda: decision_list_render.enqueue(committee_decision_id=record_id))


def committee_check(
    *, applications: list[Application], actor: User, committee: CommitteeMeeting
) -> CommitteeMeeting:
    """Raise unless the secretary may decide these proposals together at this meeting.

    Return the meeting as it will be recorded. The committee page asks before its confirmation
    step; ``committee_decide`` asks again with the cases locked.
    """
    if not actor.has_perm(permissions.RECORD_COMMITTEE):
        raise WorkflowError(
            _("Only the committee secretary can record committee decisions."), code="wrong_role"
        )
    if not applications:
        raise WorkflowError(
            _("Choose at least one proposal for the committee decision."), code="invalid"
        )
    if len({application.call_id for application in applications}) > 1:
        raise WorkflowError(_("A committee decision covers proposals of one call."))
    meeting = _checked_meeting(committee)
    conflicts = conflict_organisation_ids(user=actor)
    conflicted = sorted(a.case_number for a in applications if a.organisation_id in conflicts)
    if conflicted:
        raise WorkflowError(
            ngettext(
                "You have a conflict of interest (jäv) for %(cases)s. Leave the case out: "
                "you may not take part in its decision.",
                "You have a conflict of interest (jäv) for %(cases)s. Leave the cases out: "
                "you may not take part in their decisions.",
                len(conflicted),
            )
            % {"cases": ", ".join(conflicted)},
            problems=conflicted,
            code="conflict",
        )
    not_proposed = sorted(
        (a.case_number, a.get_state_display()) for a in applications if a.state != S.PROPOSED
    )
    if not_proposed:
        raise WorkflowError(
            ngettext(
                "%(cases)s is no longer a proposal for decision. Leave it out, or decide it "
                "when it has been proposed again.",
                "%(cases)s are no longer proposals for decision. Leave them out, or decide them "
                "when they have been proposed again.",
                len(not_proposed),
            )
            % {"cases": ", ".join(f"{case} ({state})" for case, state in not_proposed)},
            problems=[case for case, _state in not_proposed],
            code="wrong_state",
        )
    if CommitteeDecision.objects.filter(
        body=meeting.body, meeting_date=meeting.meeting_date, paragraph=meeting.paragraph
    ).exists():
        raise WorkflowError(
            _(
                "%(meeting)s is already recorded. Give the § that records this decision in the "
                "minutes."
            )
            % {"meeting": _meeting_label(meeting)},
            code="paragraph_used",
        )
    return meeting


@transaction.atomic
def committee_decide(
    *, applications: list[Application], actor: User, committee: CommitteeMeeting
) -> CommitteeDecision:
    """Decide proposals of one call at one meeting, each as its assessment recommends
    (samlingsbeslut), all or none; the decision list is produced after commit."""
    # Lock every case first, in id order: a row lock taken after the first audit entry (which
    # holds the audit chain's lock) could deadlock with a service acting on one of the cases.
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=[application.pk for application in applications])
        .order_by("pk")
    )
    meeting = committee_check(applications=locked, actor=actor, committee=committee)
    record = _committee_record_create(meeting=meeting, call=locked[0].call, actor=actor)
    decisions = []
    for application in locked:
        assessment = application.assessment
        outcome = {
            "approve": Outcome.APPROVED,
            "approve_partly": Outcome.APPROVED_PARTLY,
            "reject": Outcome.REJECTED,
            "dismiss": Outcome.DISMISSED,
        }[assessment.recommendation]
        decisions.append(
            decision_record(
                application=application,
                actor=actor,
                outcome=outcome,
                reasons=assessment.reasons,
                amount=assessment.proposed_amount,
                committee=record,
                decision_date=record.meeting_date,
            )
        )
    _committee_decided(record=record, actor=actor, decisions=decisions)
    return record


# Follow-up


def _lock_report(report: FollowUpReport) -> tuple[FollowUpReport, Application]:
    application = lock_application(report.decision.application)
    report = FollowUpReport.objects.select_for_update().select_related("decision").get(pk=report.pk)
    return report, application


REPORT_FIELDS = {
    "what_was_done",
    "participants",
    "target_groups",
    "municipalities",
    "activities_count",
    "perspectives",
    "actual_budget",
    "used_amount",
}


@transaction.atomic
def report_save(*, report: FollowUpReport, actor: User, **fields) -> FollowUpReport:
    """Save the grantee's draft of the follow-up report."""
    report, application = _lock_report(report)
    _require_report_editable(report, application, actor)
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise ValueError(f"Not report fields: {sorted(unknown)}")
    if fields.get("used_amount") is not None and fields["used_amount"] > report.decision.amount:
        raise WorkflowError(
            _("The amount used cannot be more than the %(amount)s kr granted.")
            % {"amount": _money(report.decision.amount)},
            code="invalid",
        )
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=[*fields, "updated_at"])
    return report


def _require_report_editable(report: FollowUpReport, application: Application, actor: User):
    if not permissions.is_member(actor, application.organisation):
        raise WorkflowError(
            _("Only members of %(organisation)s can write its reports.")
            % {"organisation": application.organisation.name},
            code="not_member",
        )
    if application.state not in {S.APPROVED, S.REPORT_COMPLETION_REQUESTED}:
        raise WorkflowError(_("The report can no longer be changed."), code="wrong_state")


@transaction.atomic
def report_attachment_add(
    *, report: FollowUpReport, actor: User, file, original_name: str, content_type: str
) -> ReportAttachment:
    """Attach a file (already checked by content and size by the form) to the report."""
    report, application = _lock_report(report)
    _require_report_editable(report, application, actor)
    attachment = store_upload(
        ReportAttachment(report=report),
        file,
        original_name=original_name,
        content_type=content_type,
        actor=actor,
    )
    report.save(update_fields=["updated_at"])
    log_action(
        application,
        "decisions.report.attachment_added",
        actor=actor,
        data={"name": attachment.original_name, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def report_attachment_remove(*, attachment: ReportAttachment, actor: User) -> None:
    """Remove a file from the report while it may be changed; what the region has received with
    a submitted report stays."""
    report, application = _lock_report(attachment.report)
    _require_report_editable(report, application, actor)
    attachment = ReportAttachment.objects.filter(pk=attachment.pk, report=report).first()
    if attachment is None:
        raise WorkflowError(_("The attachment has already been removed."), code="gone")
    if report.submitted_at and attachment.uploaded_at <= report.submitted_at:
        raise WorkflowError(
            _(
                "“%(name)s” was received with the report and stays in the case. Upload a new "
                "file if it needs to be replaced."
            )
            % {"name": attachment.original_name},
            code="received",
        )
    data = {"name": attachment.original_name, "sha256": attachment.sha256}
    attachment.file.delete(save=False)
    attachment.delete()
    report.save(update_fields=["updated_at"])
    log_action(application, "decisions.report.attachment_removed", actor=actor, data=data)


@transaction.atomic
def report_submit(*, report: FollowUpReport, actor: User) -> FollowUpReport:
    """Submit the complete follow-up report to the officer."""
    report, application = _lock_report(report)
    require_transition(application, "submit_report", actor)
    missing = report.missing_parts()
    if missing:
        raise WorkflowError(
            _("The report lacks %(parts)s.") % {"parts": ", ".join(missing)},
            problems=missing,
            code="incomplete",
        )
    CompletionRequest.objects.filter(
        application=application, subject="report", answered_at__isnull=True
    ).update(answered_at=timezone.now(), answered_by=actor)
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    application.submit_report()
    application.save(update_fields=["state", "updated_at"])
    log_action(
        application,
        "decisions.report.submitted",
        actor=actor,
        data={"report": report.pk, "used_amount": report.used_amount},
    )
    if application.assigned_officer:
        email_on_commit(
            to=[application.assigned_officer.email],
            template="report_submitted",
            context=_application_facts(application),
            language=application.assigned_officer.language,
        )
    return report


@transaction.atomic
def report_request_completion(
    *, report: FollowUpReport, actor: User, message: str, due_date: date
) -> CompletionRequest:
    """Ask the grantee to complete the follow-up report."""
    report, application = _lock_report(report)
    require_transition(application, "request_report_completion", actor)
    if not message.strip():
        raise WorkflowError(_("Write what the grantee must complete."), code="invalid")
    if due_date <= timezone.localdate():
        raise WorkflowError(_("The due date must be after today."), code="invalid")
    application.request_report_completion()
    application.save(update_fields=["state", "updated_at"])
    request = CompletionRequest.objects.create(
        application=application,
        subject=CompletionRequest.Subject.REPORT,
        message=message.strip(),
        due_date=due_date,
        requested_by=actor,
    )
    log_action(
        application,
        "decisions.report.completion_requested",
        actor=actor,
        data={"message": request.message, "due_date": due_date},
    )
    email_on_commit(
        to=_signatory_emails(application.organisation),
        template="report_completion_requested",
        context=_application_facts(application)
        | {"message": request.message, "due_date": due_date.isoformat()},
        language=application.letter_language,
    )
    return request


@transaction.atomic
def report_accept(*, report: FollowUpReport, actor: User) -> FollowUpReport:
    """Accept the report: the case is closed and instalments due on the report become payable."""
    report, application = _lock_report(report)
    require_transition(application, "accept_report", actor)
    report.accepted_at = timezone.now()
    report.accepted_by = actor
    report.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    payable = []
    for payment in Payment.objects.select_for_update().filter(
        decision=report.decision,
        trigger=Payment.Trigger.ON_REPORT_ACCEPTED,
        state=PaymentState.PLANNED,
    ):
        payment.make_payable()
        payment.save(update_fields=["state", "payable_at"])
        payable.append(payment.pk)
    application.accept_report()
    application.save(update_fields=["state", "closed_at", "updated_at"])
    log_action(
        application,
        "decisions.report.accepted",
        actor=actor,
        data={"report": report.pk, "payments_made_payable": payable},
    )
    email_on_commit(
        to=_signatory_emails(application.organisation),
        template="report_accepted",
        context=_application_facts(application),
        language=application.letter_language,
    )
    return report


# Repayment


def repayment_snapshot(claim: RepaymentClaim, *, paid: Decimal, cancelled: Decimal) -> dict:
    """Return every value the repayment letter shows, copied when the claim is made."""
    decision = claim.decision
    application = decision.application
    organisation = application.organisation
    programme = application.call.programme
    language = decision.letter_language
    texts = letter_texts_for(programme=programme, language=language)
    snapshot = {
        "version": 1,
        "region": settings.REGION,
        "case_number": application.case_number,
        "claim_date": timezone.localdate(),
        "language": language,
        "amount": claim.amount,
        "paid_amount": paid,
        "cancelled_amount": cancelled,
        "reasons": claim.reasons,
        "due_date": claim.due_date,
        "organisation": {
            "name": organisation.name,
            "org_number": organisation.display_org_number,
            "street_address": organisation.street_address,
            "postal_code": organisation.postal_code,
            "city": organisation.city,
        },
        "application": {"title": application.title},
        "programme": {
            "name": programme.name_en if language == "en" else programme.name_sv,
            "strategy_area": decision.snapshot["programme"]["strategy_area"],
        },
        "call": decision.snapshot["call"],
        "decision": {
            "decision_date": decision.decision_date,
            "amount": decision.amount,
            "outcome": decision.outcome,
            "delegation_reference": decision.delegation_reference,
            "committee": decision.snapshot["committee"],
        },
        "claimed_by": {"name": claim.claimed_by.full_name, "title": claim.claimed_by.title},
        "contact": {
            "name": claim.claimed_by.full_name,
            "email": claim.claimed_by.email,
            "phone": claim.claimed_by.phone,
        },
        "texts": {part: texts[part] for part in ("repayment", "appeal")},
    }
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


@transaction.atomic
def repayment_claim_create(
    *, decision: Decision, actor: User, amount: Decimal, reasons: str, due_date: date
) -> RepaymentClaim:
    """Claim part or all of a grant back; unpaid instalments are cancelled."""
    application = lock_application(decision.application)
    require_transition(application, "claim_repayment", actor)
    paid = sum((p.amount for p in decision.payments.filter(state=PaymentState.PAID)), Decimal("0"))
    if not 0 < amount <= paid:
        raise WorkflowError(
            _("The claim must be more than 0 and at most the %(paid)s kr paid out.")
            % {"paid": _money(paid)},
            code="invalid",
        )
    if not reasons.strip():
        raise WorkflowError(_("Give the reasons for the repayment claim."), code="invalid")
    if due_date <= timezone.localdate():
        raise WorkflowError(_("The due date must be after today."), code="invalid")
    waiting = Payment.objects.filter(
        decision=decision,
        state=PaymentState.BATCHED,
        batch_items__active=True,
        batch_items__batch__state__in=[BatchState.DRAFT, BatchState.ATTESTED],
    ).values_list("batch_items__batch_id", flat=True)
    if waiting:
        raise WorkflowError(
            _(
                "An instalment is in payment batch %(batch)s, which has not been sent to the "
                "bank. Cancel that batch first, so the instalment is not paid out."
            )
            % {"batch": waiting[0]},
            code="batched",
        )
    cancelled = []
    for payment in Payment.objects.select_for_update().filter(
        decision=decision,
        state__in=[PaymentState.PLANNED, PaymentState.PAYABLE, PaymentState.FAILED],
    ):
        payment.cancel()
        payment.save(update_fields=["state"])
        cancelled.append(payment.pk)
    claim = RepaymentClaim(
        decision=decision,
        amount=amount,
        reasons=reasons.strip(),
        due_date=due_date,
        claimed_by=actor,
    )
    cancelled_amount = sum(
        (p.amount for p in Payment.objects.filter(pk__in=cancelled)), Decimal("0")
    )
    claim.snapshot = repayment_snapshot(claim, paid=paid, cancelled=cancelled_amount)
    claim.save()
    application.claim_repayment()
    application.save(update_fields=["state", "updated_at"])
    log_action(
        application,
        "decisions.repayment.claimed",
        actor=actor,
        data={
            "claim": claim.pk,
            "amount": amount,
            "reasons": claim.reasons,
            "due_date": due_date,
            "cancelled_payments": cancelled,
        },
    )
    recipients = _signatory_emails(application.organisation)
    context = _application_facts(application) | {
        "amount": _money(amount),
        "reasons": claim.reasons,
        "due_date": due_date.isoformat(),
        "link": _case_link(application, application.letter_language),
    }
    claim_id = claim.pk
    transaction.on_commit(
        lambda: repayment_letter_send.enqueue(claim_id=claim_id, to=recipients, context=context)
    )
    return claim


@transaction.atomic
def repayment_claim_settle(
    *, claim: RepaymentClaim, actor: User, written_off: bool = False, note: str = ""
) -> RepaymentClaim:
    """Record the claim as repaid, or written off, and close the case."""
    claim = RepaymentClaim.objects.select_for_update().get(pk=claim.pk)
    application = lock_application(claim.decision.application)
    if not permissions.can_settle_repayment(application, actor):
        if actor.has_perm(permissions.SETTLE_REPAYMENT):
            raise WorkflowError(
                _("You have a conflict of interest (jäv) for %(organisation)s.")
                % {"organisation": application.organisation.name},
                code="conflict",
            )
        raise WorkflowError(
            _("Only a finance officer can settle repayment claims."), code="wrong_role"
        )
    if claim.state != RepaymentState.CLAIMED:
        raise WorkflowError(_("This claim has already been settled."), code="wrong_state")
    require_transition(application, "settle_repayment", actor)
    if written_off and not note.strip():
        raise WorkflowError(_("Give the reason for writing the claim off."), code="invalid")
    if written_off:
        claim.write_off()
    else:
        claim.settle()
    claim.settled_by = actor
    claim.settlement_note = note.strip()
    claim.save(update_fields=["state", "settled_at", "settled_by", "settlement_note"])
    application.settle_repayment()
    application.save(update_fields=["state", "closed_at", "updated_at"])
    log_action(
        application,
        "decisions.repayment.written_off" if written_off else "decisions.repayment.settled",
        actor=actor,
        data={"claim": claim.pk, "amount": claim.amount, "note": claim.settlement_note},
    )
    return claim
