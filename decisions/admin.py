"""The admin for delegation rules, decisions, payments, repayment claims and follow-up reports.

Delegation rules are the administrators' to edit (and audited). Decisions, payments, batches,
claims and reports are written only by the services: read-only here, never deleted (they are
public records), with the finance and follow-up transitions offered as actions that call the
services in ``decisions.payments`` and ``decisions.services``.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from decisions import banking, payments, services
from decisions.exports.payment_list import PaymentListResource
from decisions.exports.repayments import RepaymentClaimResource
from decisions.letter_texts import default_text
from decisions.models import (
    BatchExport,
    CommitteeDecision,
    Decision,
    DelegationRule,
    FollowUpReport,
    LetterText,
    Payment,
    PaymentBatch,
    PaymentBatchItem,
    Reminder,
    RepaymentClaim,
    ReportAttachment,
)
from decisions.workflow import RepaymentState
from grants import permissions
from organisations.admin import (
    AuditedAdminMixin,
    OrgNumberSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    ReasonForm,
    ServiceActionsMixin,
    service_action,
    transition_offered,
)
from organisations.errors import WorkflowError


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _application_of(obj):
    return obj.decision.application


class CaseAdminMixin(OrgNumberSearchMixin):
    """Columns and search for records that hang off a decision: case number and organisation."""

    search_fields = (
        "decision__application__case_number",
        "decision__application__organisation__name",
        "decision__application__organisation__org_number",
    )
    org_number_lookup = "decision__application__organisation__org_number"

    @admin.display(description=_("case number"), ordering="decision__application__case_number")
    def case_number(self, obj):
        return obj.decision.application.case_number

    @admin.display(
        description=_("organisation"), ordering="decision__application__organisation__name"
    )
    def organisation(self, obj):
        return obj.decision.application.organisation.name


# Delegation


@admin.register(DelegationRule)
class DelegationRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("holder", "programme", "max_amount", "reference", "is_active")
    list_filter = ("is_active", "programme")
    list_select_related = ("user", "group", "programme")
    search_fields = ("reference", "user__email", "user__full_name", "group__name")
    autocomplete_fields = ("user", "group", "programme")

    @admin.display(description=_("holder"))
    def holder(self, rule):
        return rule.user or rule.group


# Letter texts


class LetterTextForm(forms.ModelForm):
    class Meta:
        model = LetterText
        fields = ("programme", "part", "language", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 16, "cols": 90})}


@admin.register(LetterText)
class LetterTextAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The worded parts of the letters. A decision copies them when it is made: editing a text
    changes the letters of later decisions, never one already made."""

    form = LetterTextForm
    list_display = ("part", "language", "scope", "beginning", "updated_at")
    list_filter = ("part", "language", "programme")
    list_select_related = ("programme",)
    search_fields = ("text", "programme__name_sv", "programme__name_en")
    autocomplete_fields = ("programme",)
    readonly_fields = ("default_display",)
    fieldsets = (
        (None, {"fields": ("programme", "part", "language", "text")}),
        (
            _("The built-in text"),
            {
                "fields": ("default_display",),
                "description": _(
                    "What letters say when neither the programme nor every programme has a "
                    "text of its own for this part and language."
                ),
            },
        ),
    )

    def get_changeform_initial_data(self, request):
        """Start a new text from the built-in one for the part and language asked for."""
        initial = super().get_changeform_initial_data(request)
        part = initial.get("part") or LetterText.Part.CONDITIONS
        language = initial.get("language") or "sv"
        if part in LetterText.Part.values and language in ("sv", "en"):
            initial.setdefault("text", default_text(part=part, language=language))
        return initial

    @admin.display(description=_("applies to"), ordering="programme__name_sv")
    def scope(self, text):
        return text.programme or gettext("every programme")

    @admin.display(description=_("text"))
    def beginning(self, text):
        return text.text if len(text.text) <= 80 else text.text[:79] + "…"

    @admin.display(description=_("built-in text"))
    def default_display(self, text):
        if text is None or not text.part:
            return "–"
        appeal_kind = text.programme.appeal_kind if text.programme_id else ""
        return format_html(
            '<div style="white-space: pre-wrap; max-width: 60em">{}</div>',
            default_text(part=text.part, language=text.language or "sv", appeal_kind=appeal_kind),
        )


# Decisions


class PaymentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Payment
    fields = ("instalment", "amount", "trigger", "state", "payee_name", "paid_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(Decision)
class DecisionAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A decision is made through ``decision_record`` and never edited: a new letter needs a new
    decision."""

    list_display = (
        "case_number",
        "organisation",
        "outcome",
        "amount",
        "requested_amount",
        "decision_date",
        "decided_by",
        "basis",
    )
    list_filter = ("outcome", "letter_language", "application__call__programme")
    list_select_related = ("application__organisation", "decided_by")
    search_fields = (
        "application__case_number",
        "application__organisation__name",
        "application__organisation__org_number",
    )
    org_number_lookup = "application__organisation__org_number"
    date_hierarchy = "decision_date"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "application",
                    "outcome",
                    "amount",
                    "requested_amount",
                    "reasons",
                    "conditions",
                    "decision_date",
                    "report_due_date",
                    "letter_language",
                )
            },
        ),
        (
            _("Who decided"),
            {
                "fields": (
                    "decided_by",
                    "presenter",
                    "delegation_rule",
                    "delegation_reference",
                    "committee_body",
                    "committee_meeting_date",
                    "committee_paragraph",
                )
            },
        ),
        (
            _("Letter"),
            {"fields": ("letter_name", "letter_sha256", "snapshot_display", "created_at")},
        ),
    )
    readonly_fields = ("letter_name", "snapshot_display", "created_at")
    inlines = [PaymentInline]

    @admin.display(description=_("case number"), ordering="application__case_number")
    def case_number(self, decision):
        return decision.application.case_number

    @admin.display(description=_("organisation"), ordering="application__organisation__name")
    def organisation(self, decision):
        return decision.application.organisation.name

    @admin.display(description=_("decided by delegation or committee"))
    def basis(self, decision):
        if decision.is_committee_decision:
            # The paragraph is stored as the minutes write it, "§ 87".
            return (
                f"{decision.committee_body} {decision.committee_meeting_date}"
                f" {decision.committee_paragraph}"
            )
        return decision.delegation_reference

    @admin.display(description=_("letter"))
    def letter_name(self, decision):
        # The letter is a private file, served only through the permission-checked view.
        if not decision.letter:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("casework:decision_letter", args=[decision.application_id]),
            decision.letter.name,
        )

    @admin.display(description=_("snapshot"))
    def snapshot_display(self, decision):
        return format_html(
            "<pre>{}</pre>",
            json.dumps(decision.snapshot, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )


# Payments


class NewBatchForm(forms.Form):
    payment_date = forms.DateField(
        label=_("payment date"),
        widget=_date_input(),
        initial=lambda: banking.next_banking_day(timezone.localdate()),
        help_text=_("A banking day, today or later."),
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaidOnForm(forms.Form):
    paid_on = forms.DateField(
        label=_("paid on"),
        widget=_date_input(),
        initial=timezone.localdate,
        help_text=_("The day the bank paid the batch."),
    )


class ReportCompletionForm(forms.Form):
    message = forms.CharField(
        label=_("What the grantee must complete"), widget=forms.Textarea(attrs={"rows": 4})
    )
    due_date = forms.DateField(label=_("due date"), widget=_date_input())


@admin.register(Payment)
class PaymentAdmin(
    ExportMixin, ServiceActionsMixin, CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """Payments follow from the decision's payment plan; the payee is copied when batched.

    "Export" gives the payments shown as a payment list (CSV or XLSX), the same columns as a
    batch's payment list."""

    resource_classes = [PaymentListResource]
    export_formats = [CSV, XLSX]

    list_display = (
        "case_number",
        "instalment",
        "organisation",
        "amount",
        "trigger",
        "state",
        "payee_name",
        "payee_account",
        "paid_at",
    )
    list_filter = ("state", "trigger", "payee_account_kind")
    list_select_related = ("decision__application__organisation",)
    search_fields = (
        *CaseAdminMixin.search_fields,
        "payee_name",
        "payee_org_number",
        "reference",
    )
    # Counting every payment on each page is slow at national scale and says little.
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("decision", "instalment", "amount", "trigger", "state")}),
        (
            _("Payee, copied when batched"),
            {
                "fields": (
                    "payout_account",
                    "payee_name",
                    "payee_org_number",
                    "payee_account_kind",
                    "payee_account_number",
                    "payee_bic",
                    "reference",
                )
            },
        ),
        (_("Lifecycle"), {"fields": ("requested_at", "payable_at", "paid_at")}),
    )
    actions = ["put_in_new_batch", "record_failed"]

    def has_manage_payments_permission(self, request):
        return request.user.has_perm(permissions.MANAGE_PAYMENTS)

    @admin.display(description=_("account"))
    def payee_account(self, payment):
        if not payment.payee_account_number:
            return "–"
        return f"{payment.get_payee_account_kind_display()} {payment.payee_account_number}"

    @service_action(
        description=_("Put into a new payment batch…"),
        permission="manage_payments",
        offered_when=transition_offered("add_to_batch"),
    )
    def put_in_new_batch(self, request, queryset):
        def then(selected, data):
            try:
                batch = payments.batch_create(
                    actor=request.user,
                    payments=selected,
                    payment_date=data["payment_date"],
                    note=data["note"],
                )
            except WorkflowError as error:
                self.message_user(request, str(error), level=messages.ERROR)
                for problem in error.problems[1:]:
                    self.message_user(request, str(problem), level=messages.ERROR)
                return
            count = len(selected)
            self.message_user(
                request,
                ngettext(
                    "%(batch)s created with %(count)d payment.",
                    "%(batch)s created with %(count)d payments.",
                    count,
                )
                % {"batch": batch, "count": count},
                level=messages.SUCCESS,
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            NewBatchForm,
            title=gettext("Put into a new payment batch"),
            then=then,
        )

    @service_action(
        description=_("Record as failed…"),
        permission="manage_payments",
        offered_when=transition_offered("mark_failed"),
    )
    def record_failed(self, request, queryset):
        def then(selected, data):
            self.run_service(
                request,
                selected,
                lambda payment: payments.payment_fail(
                    payment=payment, actor=request.user, reason=data["reason"]
                ),
                done=ngettext_lazy(
                    "%(count)d payment recorded as failed.",
                    "%(count)d payments recorded as failed.",
                    "count",
                ),
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            ReasonForm,
            title=gettext("Record payments as failed"),
            then=then,
        )


class PaymentBatchItemInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = PaymentBatchItem
    fields = ("payment_link", "amount", "payee", "account", "payment_state", "active")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment__decision__application")

    @admin.display(description=_("payment"))
    def payment_link(self, item):
        url = reverse("admin:decisions_payment_change", args=[item.payment_id])
        payment = item.payment
        label = f"{payment.decision.application.case_number} ({payment.instalment})"
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("amount (SEK)"))
    def amount(self, item):
        return item.payment.amount

    @admin.display(description=_("payee"))
    def payee(self, item):
        return f"{item.payment.payee_name} ({item.payment.payee_org_number})"

    @admin.display(description=_("account"))
    def account(self, item):
        payment = item.payment
        return f"{payment.get_payee_account_kind_display()} {payment.payee_account_number}"

    @admin.display(description=_("state"))
    def payment_state(self, item):
        return item.payment.get_state_display()


def _attest_offered(batch, user) -> bool:
    # The creator may not attest (four-eyes): the page does not offer it to them.
    return batch.created_by_id != user.pk and transition_offered("attest")(batch, user)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ServiceActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Batches are created, attested, exported, confirmed and cancelled only through services."""

    list_display = (
        "__str__",
        "payment_date",
        "state",
        "payment_count",
        "total",
        "created_by",
        "attested_by",
        "created_at",
    )
    list_filter = ("state",)
    list_select_related = ("created_by", "attested_by")
    search_fields = ("=id", "items__payment__decision__application__case_number")
    date_hierarchy = "payment_date"
    fieldsets = (
        (None, {"fields": ("payment_date", "state", "note", "paid_on")}),
        (
            _("Lifecycle"),
            {
                "fields": (
                    "created_by",
                    "created_at",
                    "attested_by",
                    "attested_at",
                    "exported_by",
                    "exported_at",
                    "confirmed_by",
                    "confirmed_at",
                    "cancelled_at",
                )
            },
        ),
    )
    readonly_fields = ("created_at",)
    inlines = [PaymentBatchItemInline]
    actions = ["attest", "mark_exported", "confirm", "cancel"]

    def get_queryset(self, request):
        active = Q(items__active=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                payment_count=Count("items", filter=active),
                total=Sum("items__payment__amount", filter=active),
            )
        )

    def has_attest_permission(self, request):
        return request.user.has_perm(permissions.ATTEST_BATCH)

    def has_manage_payments_permission(self, request):
        return request.user.has_perm(permissions.MANAGE_PAYMENTS)

    @admin.display(description=_("payments"), ordering="payment_count")
    def payment_count(self, batch):
        return batch.payment_count

    @admin.display(description=_("total (SEK)"), ordering="total")
    def total(self, batch):
        return batch.total

    def _run(self, request, queryset, call, done):
        self.run_service(request, queryset.order_by("pk"), call, done=done)

    @service_action(
        description=_("Attest the payment batch"), permission="attest", offered_when=_attest_offered
    )
    def attest(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda batch: payments.batch_attest(batch=batch, actor=request.user),
            ngettext_lazy(
                "%(count)d payment batch attested.", "%(count)d payment batches attested.", "count"
            ),
        )

    @service_action(
        description=_("Mark as exported to the bank"),
        permission="manage_payments",
        offered_when=transition_offered("export"),
    )
    def mark_exported(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda batch: payments.batch_export(batch=batch, actor=request.user),
            ngettext_lazy(
                "%(count)d payment batch marked as exported.",
                "%(count)d payment batches marked as exported.",
                "count",
            ),
        )

    @service_action(
        description=_("Confirm as paid…"),
        permission="manage_payments",
        offered_when=transition_offered("confirm"),
    )
    def confirm(self, request, queryset):
        def then(batches, data):
            self.run_service(
                request,
                batches,
                lambda batch: payments.batch_confirm(
                    batch=batch, actor=request.user, paid_on=data["paid_on"]
                ),
                done=ngettext_lazy(
                    "%(count)d payment batch confirmed as paid.",
                    "%(count)d payment batches confirmed as paid.",
                    "count",
                ),
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            PaidOnForm,
            title=gettext("Confirm payment batches as paid"),
            then=then,
        )

    @service_action(
        description=_("Cancel the payment batch…"),
        permission="manage_payments",
        offered_when=transition_offered("cancel"),
    )
    def cancel(self, request, queryset):
        def then(batches, data):
            self.run_service(
                request,
                batches,
                lambda batch: payments.batch_cancel(
                    batch=batch, actor=request.user, reason=data["reason"]
                ),
                done=ngettext_lazy(
                    "%(count)d payment batch cancelled.",
                    "%(count)d payment batches cancelled.",
                    "count",
                ),
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            ReasonForm,
            title=gettext("Cancel payment batches"),
            then=then,
        )


# Repayment


def _settle_offered(claim, user) -> bool:
    return claim.state == RepaymentState.CLAIMED and permissions.can_settle_repayment(
        claim.decision.application, user
    )


@admin.register(RepaymentClaim)
class RepaymentClaimAdmin(
    ExportMixin, ServiceActionsMixin, CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """Claims are made by decision makers and settled by finance, only through the services.

    "Export" gives the claims shown for invoicing (CSV or XLSX), the same columns as the download
    on /ekonomi/aterkrav/."""

    resource_classes = [RepaymentClaimResource]
    export_formats = [CSV, XLSX]

    list_display = (
        "case_number",
        "organisation",
        "amount",
        "state",
        "due_date",
        "claimed_by",
        "claimed_at",
        "settled_at",
    )
    list_filter = ("state",)
    list_select_related = ("decision__application__organisation", "claimed_by")
    date_hierarchy = "claimed_at"
    fields = (
        "decision",
        "amount",
        "reasons",
        "due_date",
        "state",
        "claimed_by",
        "claimed_at",
        "settled_by",
        "settled_at",
        "settlement_note",
        "letter_name",
        "letter_sha256",
    )
    readonly_fields = ("claimed_at", "letter_name")
    actions = ["record_repaid", "write_off"]

    def has_settle_permission(self, request):
        return request.user.has_perm(permissions.SETTLE_REPAYMENT)

    @admin.display(description=_("letter"))
    def letter_name(self, claim):
        # The letter is a private file, served only through permission-checked views.
        return claim.letter.name or "–"

    @service_action(
        description=_("Record as repaid"), permission="settle", offered_when=_settle_offered
    )
    def record_repaid(self, request, queryset):
        self.run_service(
            request,
            queryset.order_by("pk"),
            lambda claim: services.repayment_claim_settle(claim=claim, actor=request.user),
            done=ngettext_lazy(
                "%(count)d repayment claim recorded as repaid.",
                "%(count)d repayment claims recorded as repaid.",
                "count",
            ),
        )

    @service_action(description=_("Write off…"), permission="settle", offered_when=_settle_offered)
    def write_off(self, request, queryset):
        def then(claims, data):
            self.run_service(
                request,
                claims,
                lambda claim: services.repayment_claim_settle(
                    claim=claim, actor=request.user, written_off=True, note=data["reason"]
                ),
                done=ngettext_lazy(
                    "%(count)d repayment claim written off.",
                    "%(count)d repayment claims written off.",
                    "count",
                ),
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            ReasonForm,
            title=gettext("Write off repayment claims"),
            then=then,
        )


# Follow-up


class ReportAttachmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ReportAttachment
    # The file itself is served only through permission-checked views, never by URL.
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(FollowUpReport)
class FollowUpReportAdmin(
    ServiceActionsMixin, CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """The grantee writes and submits the report; officers follow it up through the services."""

    list_display = (
        "case_number",
        "organisation",
        "due_date",
        "submitted_at",
        "accepted_at",
        "used_amount",
    )
    list_filter = (
        ("submitted_at", admin.EmptyFieldListFilter),
        ("accepted_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("decision__application__organisation",)
    date_hierarchy = "due_date"
    fieldsets = (
        (None, {"fields": ("decision", "due_date", "used_amount")}),
        (
            _("The report"),
            {
                "fields": (
                    "what_was_done",
                    "participants",
                    "target_groups",
                    "municipalities",
                    "activities_count",
                    "perspectives",
                    "actual_budget",
                )
            },
        ),
        (
            _("Lifecycle"),
            {
                "fields": (
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "submitted_by",
                    "accepted_at",
                    "accepted_by",
                )
            },
        ),
    )
    readonly_fields = ("created_at", "updated_at")
    inlines = [ReportAttachmentInline]
    actions = ["accept", "request_completion"]

    def has_handle_permission(self, request):
        return request.user.has_perm(permissions.HANDLE)

    @service_action(
        description=_("Accept the report and close the case"),
        permission="handle",
        offered_when=transition_offered("accept_report", of=_application_of),
    )
    def accept(self, request, queryset):
        self.run_service(
            request,
            queryset.order_by("pk"),
            lambda report: services.report_accept(report=report, actor=request.user),
            done=ngettext_lazy(
                "%(count)d follow-up report accepted.",
                "%(count)d follow-up reports accepted.",
                "count",
            ),
        )

    @service_action(
        description=_("Ask the grantee to complete the report…"),
        permission="handle",
        offered_when=transition_offered("request_report_completion", of=_application_of),
    )
    def request_completion(self, request, queryset):
        def then(reports, data):
            self.run_service(
                request,
                reports,
                lambda report: services.report_request_completion(
                    report=report,
                    actor=request.user,
                    message=data["message"],
                    due_date=data["due_date"],
                ),
                done=ngettext_lazy(
                    "Completion requested for %(count)d follow-up report.",
                    "Completion requested for %(count)d follow-up reports.",
                    "count",
                ),
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            ReportCompletionForm,
            title=gettext("Ask the grantee to complete the report"),
            then=then,
        )


@admin.register(ReportAttachment)
class ReportAttachmentAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("report__decision__application", "uploaded_by")
    search_fields = (
        "original_name",
        "report__decision__application__case_number",
        "report__decision__application__organisation__name",
        "report__decision__application__organisation__org_number",
    )
    org_number_lookup = "report__decision__application__organisation__org_number"
    date_hierarchy = "uploaded_at"
    # The file itself is served only through permission-checked views, never by URL.
    fields = (
        "report",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = ("uploaded_at",)


@admin.register(BatchExport)
class BatchExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The files of exported batches, each made once; finance downloads them from /ekonomi/."""

    list_display = ("batch", "format", "size", "sha256", "created_by", "created_at")
    list_filter = ("format",)
    list_select_related = ("batch", "created_by")
    search_fields = ("=batch__id", "sha256")
    date_hierarchy = "created_at"
    # The file itself is served only through the finance pages, which check the SHA-256.
    fields = ("batch", "format", "size", "sha256", "created_by", "created_at", "download")
    readonly_fields = ("created_at", "download")

    @admin.display(description=_("file"))
    def download(self, export):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("finance:download", args=[export.batch_id, export.format]),
            gettext("Download on the finance pages"),
        )


# Committee decisions


class CommitteeDecisionDecisionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Decision
    fields = ("application", "outcome", "amount", "requested_amount", "presenter")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "presenter")


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A committee decision (samlingsbeslut) is recorded through ``committee_decide`` and never
    edited; its decision list is a private file, served only through the officer workspace."""

    list_display = (
        "body",
        "meeting_date",
        "paragraph",
        "call",
        "cases",
        "recorded_by",
        "decision_list_stored",
    )
    list_filter = ("body", "call__programme")
    list_select_related = ("call", "recorded_by")
    search_fields = ("body", "paragraph", "call__title_sv", "decisions__application__case_number")
    date_hierarchy = "meeting_date"
    fields = (
        "call",
        "body",
        "meeting_date",
        "paragraph",
        "recorded_by",
        "recorded_at",
        "decision_list_name",
        "decision_list_sha256",
    )
    readonly_fields = ("recorded_at", "decision_list_name")
    inlines = [CommitteeDecisionDecisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("decisions"))

    @admin.display(description=_("decisions"), ordering="case_count")
    def cases(self, record):
        return record.case_count

    @admin.display(description=_("decision list"), boolean=True)
    def decision_list_stored(self, record):
        return bool(record.decision_list)

    @admin.display(description=_("decision list"))
    def decision_list_name(self, record):
        return record.decision_list.name or "–"


# Report reminders


@admin.register(Reminder)
class ReminderAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The reminders ``manage.py send_reminders`` has e-mailed: to read, never to edit."""

    list_display = ("case_number", "organisation", "kind", "due_date", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("report__decision__application__organisation",)
    search_fields = (
        "report__decision__application__case_number",
        "report__decision__application__organisation__name",
        "report__decision__application__organisation__org_number",
    )
    org_number_lookup = "report__decision__application__organisation__org_number"
    date_hierarchy = "sent_at"
    fields = ("report", "kind", "due_date", "sent_at", "recipients")
    readonly_fields = ("sent_at",)

    @admin.display(
        description=_("case number"), ordering="report__decision__application__case_number"
    )
    def case_number(self, reminder):
        return reminder.report.decision.application.case_number

    @admin.display(
        description=_("organisation"),
        ordering="report__decision__application__organisation__name",
    )
    def organisation(self, reminder):
        return reminder.report.decision.application.organisation.name
