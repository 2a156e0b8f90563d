"""The admin for programmes, calls, applications and their assessment.

Programmes, criteria and calls are the administrators' to edit (and audited). An application,
its budget, attachments, completion requests and assessment are written only by the services:
read-only here, with the officer's transitions offered as actions that call those services.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from grants import permissions, services
from grants.models import (
    Application,
    Assessment,
    Attachment,
    AttachmentKind,
    BudgetLine,
    Call,
    CaseMessage,
    CaseNumberSequence,
    CompletionRequest,
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    InternalNote,
    Programme,
)
from grants.workflow import ApplicationState
from organisations.admin import (
    AuditedAdminMixin,
    OrgNumberSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    ServiceActionsMixin,
    service_action,
    transition_offered,
)
from organisations.models import Organisation, User

# Programmes and calls


class ProgrammeForm(forms.ModelForm):
    eligible_org_types = forms.MultipleChoiceField(
        label=Programme._meta.get_field("eligible_org_types").verbose_name,
        choices=Organisation.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    required_attachments = forms.MultipleChoiceField(
        label=Programme._meta.get_field("required_attachments").verbose_name,
        choices=AttachmentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        # The admin's fieldsets add the other fields.
        fields = ["eligible_org_types", "required_attachments", "payment_plan"]

    def clean_payment_plan(self):
        """Require instalments with known triggers whose shares add up to the whole grant."""
        plan = self.cleaned_data["payment_plan"]
        error = ValidationError(
            _(
                'Give a list of instalments such as [{"share": "0.8", "trigger": "on_decision"}, '
                '{"share": "0.2", "trigger": "on_report_accepted"}]; the shares must add up to 1.'
            )
        )
        if not isinstance(plan, list) or not plan:
            raise error
        total = Decimal("0")
        for step in plan:
            if (
                not isinstance(step, dict)
                or step.get("trigger") not in Programme.PaymentTrigger.values
            ):
                raise error
            try:
                share = Decimal(str(step.get("share")))
            except InvalidOperation as invalid:
                raise error from invalid
            if not 0 < share <= 1:
                raise error
            total += share
        if total != 1:
            raise error
        return plan


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("name_sv", "name_en", "weight", "order")


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ProgrammeForm
    list_display = (
        "name_sv",
        "kind",
        "strategy_area",
        "min_amount",
        "max_amount",
        "case_prefix",
        "publish_grants",
        "is_active",
    )
    list_filter = ("kind", "strategy_area", "is_active", "publish_grants")
    search_fields = ("name_sv", "name_en", "case_prefix")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name_sv",
                    "name_en",
                    "description_sv",
                    "description_en",
                    "kind",
                    "strategy_area",
                    "is_active",
                )
            },
        ),
        (
            _("Rules"),
            {
                "fields": (
                    "eligible_org_types",
                    "min_amount",
                    "max_amount",
                    "cofinancing_share",
                    "required_attachments",
                    "payment_plan",
                    "report_due_months",
                    "appeal_kind",
                    "publish_grants",
                )
            },
        ),
        (
            _("Case numbers and accounting"),
            {"fields": ("case_prefix", "account", "cost_centre", "activity_code", "project_code")},
        ),
    )
    inlines = [CriterionInline]


@admin.register(Call)
class CallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title_sv",
        "programme",
        "opens_at",
        "closes_at",
        "is_open",
        "budget",
        "planned_decision_date",
    )
    list_filter = ("programme",)
    list_select_related = ("programme",)
    search_fields = ("title_sv", "title_en", "programme__name_sv", "programme__name_en")
    autocomplete_fields = ("programme",)
    date_hierarchy = "opens_at"

    @admin.display(description=_("open"), boolean=True)
    def is_open(self, call):
        return call.is_open()


# Applications


class BudgetLineInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = BudgetLine
    fields = ("kind", "category", "description", "amount")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Attachment
    # The file itself is served only through permission-checked views, never by URL.
    fields = (
        "kind",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class CompletionRequestInline(ReadOnlyInlineMixin, admin.StackedInline):
    model = CompletionRequest
    fields = (
        "subject",
        "message",
        "parts",
        "due_date",
        "requested_by",
        "requested_at",
        "reply",
        "answered_at",
        "answered_by",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "answered_by")


class AssessmentInline(ReadOnlyInlineMixin, admin.StackedInline):
    model = Assessment
    fields = (
        "officer",
        "recommendation",
        "proposed_amount",
        "weighted_score",
        "reasons",
        "conditions",
        "updated_at",
    )
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("officer")

    @admin.display(description=_("weighted score"))
    def weighted_score(self, assessment):
        return assessment.weighted_score()


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app_label, codename = permissions.HANDLE.split(".")
        handle = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        self.fields["officer"].queryset = (
            User.objects.filter(is_active=True)
            .filter(Q(groups__permissions__in=handle) | Q(user_permissions__in=handle))
            .distinct()
            .order_by("full_name")
        )


def _being_handled(application, user) -> bool:
    """Return whether the case is one an officer may be (re)assigned to."""
    return application.state not in {
        ApplicationState.DRAFT,
        ApplicationState.WITHDRAWN,
        ApplicationState.REJECTED,
        ApplicationState.CLOSED,
    } and permissions.can_handle(application, user)


@admin.register(Application)
class ApplicationAdmin(
    ServiceActionsMixin,
    AuditedAdminMixin,
    OrgNumberSearchMixin,
    ReadOnlyAdminMixin,
    admin.ModelAdmin,
):
    """Applicants write applications and officers handle them: only through the services."""

    list_display = (
        "case_number",
        "title",
        "organisation",
        "call",
        "state",
        "requested_amount",
        "assigned_officer",
        "submitted_at",
    )
    list_display_links = ("case_number", "title")
    list_filter = (
        "state",
        "call__programme",
        "call",
        ("assigned_officer", admin.RelatedOnlyFieldListFilter),
        "organisation__municipality",
    )
    list_select_related = ("organisation", "call", "assigned_officer")
    search_fields = ("case_number", "title", "organisation__name", "organisation__org_number")
    org_number_lookup = "organisation__org_number"
    date_hierarchy = "submitted_at"
    # Counting every application on each page is slow at national scale and says little.
    show_full_result_count = False
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "case_number",
                    "state",
                    "title",
                    "organisation",
                    "call",
                    "author",
                    "assigned_officer",
                    "letter_language",
                    "decision_link",
                )
            },
        ),
        (
            _("The application"),
            {
                "fields": (
                    "summary",
                    "description",
                    "activity_starts",
                    "activity_ends",
                    "target_groups",
                    "municipalities",
                    "perspectives",
                    "agenda_goals",
                    "requested_amount",
                )
            },
        ),
        (
            _("Lifecycle"),
            {
                "fields": (
                    "created_at",
                    "submitted_at",
                    "review_started_at",
                    "proposed_at",
                    "decided_at",
                    "withdrawn_at",
                    "closed_at",
                    "updated_at",
                )
            },
        ),
    )
    readonly_fields = ("decision_link", "created_at", "updated_at")
    inlines = [BudgetLineInline, AttachmentInline, CompletionRequestInline, AssessmentInline]
    actions = ["start_review", "assign"]

    def has_delete_permission(self, request, obj=None):
        """Only a draft can be deleted: a submitted application is a public record."""
        return (
            obj is not None
            and obj.state == ApplicationState.DRAFT
            and super(ReadOnlyAdminMixin, self).has_delete_permission(request, obj)
        )

    def has_handle_permission(self, request):
        return request.user.has_perm(permissions.HANDLE)

    @admin.display(description=_("decision"))
    def decision_link(self, application):
        try:
            decision = application.decision
        except ObjectDoesNotExist:
            return "–"
        url = reverse("admin:decisions_decision_change", args=[decision.pk])
        return format_html('<a href="{}">{}</a>', url, decision.get_outcome_display())

    @service_action(
        description=_("Start review (assign to me)"),
        permission="handle",
        offered_when=transition_offered("start_review"),
    )
    def start_review(self, request, queryset):
        self.run_service(
            request,
            queryset.order_by("pk"),
            lambda application: services.application_start_review(
                application=application, actor=request.user
            ),
            done=ngettext_lazy(
                "Review started for %(count)d application.",
                "Review started for %(count)d applications.",
                "count",
            ),
        )

    @service_action(
        description=_("Assign to an officer…"), permission="handle", offered_when=_being_handled
    )
    def assign(self, request, queryset):
        def then(applications, data):
            self.run_service(
                request,
                applications,
                lambda application: services.application_assign(
                    application=application, actor=request.user, officer=data["officer"]
                ),
                done=ngettext_lazy(
                    "%(count)d application assigned.", "%(count)d applications assigned.", "count"
                ),
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            AssignForm,
            title=gettext("Assign to an officer"),
            then=then,
        )


class CriterionScoreInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CriterionScore
    fields = ("criterion", "weight", "score", "comment")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    @admin.display(description=_("weight"))
    def weight(self, score):
        return score.criterion.weight


@admin.register(Assessment)
class AssessmentAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The assigned officer assesses through the service; the weighted score is computed."""

    list_display = (
        "application",
        "officer",
        "recommendation",
        "proposed_amount",
        "updated_at",
    )
    list_filter = ("recommendation",)
    list_select_related = ("application", "officer")
    search_fields = (
        "application__case_number",
        "application__organisation__name",
        "application__organisation__org_number",
    )
    org_number_lookup = "application__organisation__org_number"
    fields = (
        "application",
        "officer",
        "recommendation",
        "proposed_amount",
        "weighted_score",
        "reasons",
        "conditions",
        "perspectives",
        "agenda_goals",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("weighted_score", "created_at", "updated_at")
    inlines = [CriterionScoreInline]

    @admin.display(description=_("weighted score"))
    def weighted_score(self, assessment):
        return assessment.weighted_score()


@admin.register(CaseMessage)
class CaseMessageAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Messages between the applicant and the region, written on the case pages."""

    list_display = ("application", "sender", "from_staff", "created_at", "read_at")
    list_filter = ("from_staff",)
    list_select_related = ("application", "sender")
    search_fields = (
        "application__case_number",
        "application__organisation__name",
        "application__organisation__org_number",
    )
    org_number_lookup = "application__organisation__org_number"


# Jäv and case numbers


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(OrgNumberSearchMixin, admin.ModelAdmin):
    """A declared jäv is added through the service (which unassigns the user's open cases) and
    kept."""

    list_display = ("user", "organisation", "declared_at")
    list_select_related = ("user", "organisation")
    search_fields = (
        "user__email",
        "user__full_name",
        "organisation__name",
        "organisation__org_number",
    )
    org_number_lookup = "organisation__org_number"
    autocomplete_fields = ("user", "organisation")
    date_hierarchy = "declared_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "organisation", "reason")
        return ("user", "organisation", "reason", "declared_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("declared_at",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The service lets only an administrator declare jäv on someone else's behalf.
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        declared = services.conflict_declare(
            user=obj.user, organisation=obj.organisation, reason=obj.reason, actor=request.user
        )
        obj.pk = declared.pk
        obj.declared_at = declared.declared_at


@admin.register(CaseNumberSequence)
class CaseNumberSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Case numbers are taken only by submission, in its transaction: never set here."""

    list_display = ("prefix", "year", "last_value")
    list_filter = ("year",)
    search_fields = ("prefix",)
    ordering = ("-year", "prefix")


# Internal notes (the officer's case page)


@admin.register(InternalNote)
class InternalNoteAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff's notes in a case, written on the case page and never changed: to read and search."""

    list_display = ("application", "author", "created_at")
    list_select_related = ("application", "author")
    search_fields = (
        "application__case_number",
        "application__organisation__name",
        "application__organisation__org_number",
        "body",
    )
    org_number_lookup = "application__organisation__org_number"
    date_hierarchy = "created_at"
    fields = ("application", "author", "body", "created_at")
