"""The grantee requisitions an instalment paid on request (rekvisition): a signatory confirms
that its conditions are met, and the instalment becomes payable for finance (DESIGN §6)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from decisions import payments as services
from decisions import selectors
from decisions.models import Payment
from decisions.workflow import PaymentState
from grants import permissions
from organisations.errors import WorkflowError
from organisations.selectors import payout_account_status


class RequisitionForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that the conditions for this instalment are met, as the decision says, "
            "and that the organisation needs the money for the activity now."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm, or go back.")},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def requisition(request, pk, payment_pk):
    """Show an instalment paid on request and let a signatory requisition it."""
    decision = selectors.decision_for_applicant(user=request.user, pk=pk)
    payment = Payment.objects.filter(decision=decision, pk=payment_pk).first()
    if payment is None:
        raise Http404
    application = decision.application
    organisation = application.organisation
    is_signatory = permissions.is_signatory(request.user, organisation)
    open_ = payment.trigger == Payment.Trigger.ON_REQUEST and payment.state == PaymentState.PLANNED
    form = RequisitionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not is_signatory:
            messages.error(
                request,
                _("Only a signatory of %(organisation)s can requisition payments.")
                % {"organisation": organisation.name},
            )
        elif form.is_valid():
            try:
                services.payment_requisition(payment=payment, actor=request.user)
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "%(payment)s is requisitioned. The region's finance officers pay it to "
                        "the organisation's verified account."
                    )
                    % {"payment": services.payment_summary(payment)},
                )
                return redirect("portal:application", pk=application.pk)
    return render(
        request,
        "grants/portal/requisition.html",
        {
            "application": application,
            "decision": decision,
            "payment": payment,
            "organisation": organisation,
            "account_status": payout_account_status(organisation=organisation),
            "is_signatory": is_signatory,
            "open": open_,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
