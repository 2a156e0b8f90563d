"""Lock an application, and check what the application services share."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from grants import permissions, workflow
from grants.models import Application, AttachmentKind
from organisations.errors import WorkflowError
from organisations.models import Organisation, User


def lock_application(application: Application) -> Application:
    """Return the application re-read with its row locked until the transaction ends."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "organisation")
        .get(pk=application.pk)
    )


def require_transition(application: Application, transition_name: str, user: User) -> None:
    """Raise unless the transition is allowed from the current state and for this user."""
    method = getattr(application, transition_name)
    if not can_proceed(method, check_conditions=False):
        raise WorkflowError(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    meta = method._django_fsm
    if not meta.has_transition_perm(application, application.state, user):
        raise WorkflowError(_permission_message(application, transition_name, user), code="denied")


def _permission_message(application: Application, transition_name: str, user: User) -> str:
    organisation = application.organisation
    if transition_name in {"submit", "complete", "withdraw", "submit_report"}:
        return _("Only a signatory of %(organisation)s can do this.") % {
            "organisation": organisation.name
        }
    is_staff_member = user.is_authenticated and any(
        user.has_perm(perm)
        for perm in (permissions.HANDLE, permissions.DECIDE, permissions.RECORD_COMMITTEE)
    )
    if is_staff_member and permissions.has_conflict(user, organisation):
        return _(
            "You have a conflict of interest (jäv) for %(organisation)s and may not handle "
            "its applications."
        ) % {"organisation": organisation.name}
    if transition_name == "propose" and application.assigned_officer_id != user.pk:
        return _("Only the officer assigned to the case can propose a decision.")
    return _("Your role does not allow this.")


def submission_problems(application: Application, *, check_call: bool = True) -> list[str]:
    """Return every reason the application cannot be submitted now, each saying how to fix it.

    A completed application is checked again without ``check_call``: it may come back after the
    call has closed, but not with an amount or a budget the programme does not allow.
    """
    call = application.call
    programme = call.programme
    problems = []
    if check_call and not workflow.call_is_open(application):
        if timezone.now() < call.opens_at:
            problems.append(
                _("The call opens on %(date)s; submit then.")
                % {"date": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M")}
            )
        else:
            problems.append(
                _("The call closed on %(date)s; apply in a later call.")
                % {"date": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")}
            )
    if not workflow.organisation_type_eligible(application):
        problems.append(
            _(
                "%(programme)s does not accept applications from organisations of the type "
                "“%(type)s”."
            )
            % {
                "programme": programme.name,
                "type": application.organisation.get_org_type_display(),
            }
        )
    if application.requested_amount is None:
        problems.append(_("Enter the amount you apply for."))
    elif not workflow.amount_within_limits(application):
        problems.append(
            _("The amount applied for must be between %(min)s and %(max)s kr.")
            % {"min": _money(programme.min_amount), "max": _money(programme.max_amount)}
        )
    totals = application.budget_totals()
    if not application.budget_balances():
        problems.append(
            _(
                "The budget does not balance: costs are %(costs)s kr, but other income and the "
                "amount applied for add up to %(income)s kr. Adjust the lines so they are equal."
            )
            % {
                "costs": _money(totals["costs"]),
                "income": _money(totals["income"] + totals["requested"]),
            }
        )
    elif not application.cofinancing_sufficient():
        problems.append(
            _(
                "The programme requires at least %(share)s %% of the costs to be financed from "
                "other sources than this grant."
            )
            % {"share": _money(programme.cofinancing_share * 100)}
        )
    missing = application.missing_attachment_kinds()
    if missing:
        labels = dict(AttachmentKind.choices)
        problems.append(
            _("Attach: %(attachments)s.")
            % {"attachments": ", ".join(str(labels.get(kind, kind)) for kind in missing)}
        )
    if not workflow.has_payout_account(application):
        problems.append(
            _("Add a payout account (Bankgiro, Plusgiro, bank account or IBAN) for %(org)s.")
            % {"org": application.organisation.name}
        )
    return problems


def _money(amount: Decimal) -> str:
    """Return an amount the Swedish way: 25 000 (thin spaces between thousands)."""
    return f"{amount:,.0f}".replace(",", "\u00a0")


def _application_facts(application: Application) -> dict:
    return {
        "case_number": application.case_number,
        "title": application.title,
        "organisation": application.organisation.name,
        "call": application.call.title_sv,
    }


def _signatory_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role="signatory").values_list("user__email", flat=True)
    )
