"""The admin for people and organisations, and what every admin of Bidrag shares.

The admin is the administrators' tool. What only the services may write is read-only here:
states and their timestamps, case numbers, payout accounts, assessments, decisions, payments.
A transition offered here is an admin action that calls the same service as the pages do, once
per selected object and with ``actor=request.user``, so it locks, checks permission, jäv and
delegation, and audits exactly as there. On a change page an action is offered only when the
object's state machine allows it for this user. What administrators do edit here (users,
organisations, memberships, programmes, calls, delegation rules) is written to the audit trail.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from grants import permissions
from organisations import services
from organisations.errors import WorkflowError
from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationDocument,
    PayoutAccount,
    User,
)

admin.site.site_header = _("Bidrag – administration")
admin.site.site_title = _("Bidrag – administration")

# Actions that run a service are offered on the change list and on the change page.
LIST_AND_PAGE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]

# The prefix of the fields of an intermediate form, kept apart from the action's own fields.
FORM_PREFIX = "service"
FORM_READY = f"{FORM_PREFIX}-ready"

ACTION_FORM_TEMPLATE = """{% extends "admin/base_site.html" %}
{% load i18n admin_urls static %}
{% block extrahead %}{{ block.super }}{{ media }}
<script src="{% static 'admin/js/cancel.js' %}" async></script>{% endblock %}
{% block bodyclass %}{{ block.super }} app-{{ opts.app_label }} model-{{ opts.model_name }}
{% endblock %}
{% block breadcrumbs %}<div class="breadcrumbs">
<a href="{% url 'admin:index' %}">{% translate 'Home' %}</a>
&rsaquo; <a href="{% url 'admin:app_list' app_label=opts.app_label %}">
{{ opts.app_config.verbose_name }}</a>
&rsaquo; <a href="{% url opts|admin_urlname:'changelist' %}">
{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; {{ title }}
</div>{% endblock %}
{% block content %}<div id="content-main">
<form method="post">{% csrf_token %}
<p>{{ intro }}</p>
<ul>{% for object in objects %}<li>{{ object }}</li>{% endfor %}</ul>
<fieldset class="module aligned">
{% for field in form %}
<div class="form-row{% if field.errors %} errors{% endif %}">{{ field.errors }}
<div class="flex-container">{{ field.label_tag }} {{ field }}</div>
{% if field.help_text %}<div class="help">{{ field.help_text }}</div>{% endif %}</div>
{% endfor %}</fieldset>
{% for name, value in reposted %}<input type="hidden" name="{{ name }}" value="{{ value }}">
{% endfor %}<input type="hidden" name="{{ ready }}" value="1">
<div class="submit-row"><input type="submit" class="default" value="{{ title }}">
<a href="#" class="button cancel-link">{% translate "No, take me back" %}</a></div>
</form></div>{% endblock %}
"""


# Actions that run services


def service_action(*, description, permission: str, offered_when=None):
    """Declare an admin action that runs a service, offered on the change list and page.

    ``permission`` names a ``has_<permission>_permission`` method of the ModelAdmin (the Django
    permission the service checks too). ``offered_when(obj, user)`` says whether the change page
    of ``obj`` offers the action to ``user``; the service decides in the end.
    """

    def decorator(func):
        func = admin.action(
            description=description, permissions=[permission], location=LIST_AND_PAGE
        )(func)
        func.offered_when = offered_when
        return func

    return decorator


def transition_offered(name: str, *, of=None, field: str = "state"):
    """Return an ``offered_when`` predicate: the state machine allows ``name`` to the user now.

    ``of(obj)`` returns the object whose state machine decides (default: ``obj`` itself).
    """

    def offered_when(obj, user) -> bool:
        target = of(obj) if of else obj
        available = getattr(target, f"get_available_user_{field}_transitions")(user)
        return any(transition.name == name for transition in available)

    return offered_when


class ServiceActionsMixin:
    """Run services from admin actions: one call per object, refusals named, successes counted."""

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if action_location != ActionLocation.CHANGE_FORM or not actions:
            return actions
        obj = self._object_on_page(request)
        return {
            name: action
            for name, action in actions.items()
            if obj is not None
            and (
                getattr(action.func, "offered_when", None) is None
                or action.func.offered_when(obj, request.user)
            )
        }

    def _object_on_page(self, request):
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if object_id is None:
            return None
        cache = request.__dict__.setdefault("_admin_objects_on_page", {})
        key = (self.opts.label, object_id)
        if key not in cache:
            cache[key] = self.get_object(request, unquote(object_id))
        return cache[key]

    def run_service(self, request, objects, call, *, done, describe=str) -> int:
        """Call ``call(obj)`` for each object; report each refusal, and the successes in one line.

        ``done`` is an ``ngettext_lazy`` message with a ``%(count)d`` placeholder.
        """
        succeeded = 0
        for obj in objects:
            try:
                call(obj)
            except WorkflowError as error:
                self.message_user(
                    request,
                    gettext("%(object)s: %(error)s") % {"object": describe(obj), "error": error},
                    level=messages.ERROR,
                )
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, level=messages.SUCCESS)
        return succeeded

    def ask(self, request, objects, form_class, *, title, then):
        """Ask for what the service needs on an intermediate page; once the answers are valid,
        call ``then(objects, answers)``.

        The page posts the original action back with the answers, so the action runs again and
        finds them. Return the page, or None when ``then`` ran (the admin then redirects back).
        """
        objects = list(objects)
        if request.POST.get(FORM_READY):
            form = form_class(request.POST, prefix=FORM_PREFIX)
            if form.is_valid():
                then(objects, form.cleaned_data)
                return None
        else:
            form = form_class(prefix=FORM_PREFIX)
        reposted = [
            (name, value)
            for name in request.POST
            if name != "csrfmiddlewaretoken" and not name.startswith(f"{FORM_PREFIX}-")
            for value in request.POST.getlist(name)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": gettext("This applies to:"),
            "opts": self.opts,
            "form": form,
            "objects": objects,
            "reposted": reposted,
            "ready": FORM_READY,
            "media": self.media + form.media,
        }
        template = engines["django"].from_string(ACTION_FORM_TEMPLATE)
        return TemplateResponse(request, template, context)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# Read-only admins


class ReadOnlyAdminMixin:
    """Show records that only the services write: to read and search, never to edit here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInlineMixin:
    """Show related records of a service on the parent's page, read-only."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Audit of what administrators edit

# Never copied into the audit trail.
SECRET_FIELDS = {"password"}


def _plain(value):
    """Return a form value as the audit trail stores it: related objects by primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set) and all(
        isinstance(item, models.Model) for item in value
    ):
        return sorted(item.pk for item in value)
    return value


def _form_changes(form, obj) -> dict:
    """Return the model fields the form changed, each with its old and new value."""
    changes = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            continue
        try:
            obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        changes[name] = {
            "old": _plain(form.initial.get(name)),
            "new": _plain(form.cleaned_data.get(name)),
        }
    return changes


def _log_edit(obj, verb: str, actor, changes=None) -> None:
    data = {"via": "admin"}
    if changes is not None:
        data["changes"] = changes
    log_action(obj, f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}", actor=actor, data=data)


class AuditedAdminMixin:
    """Write what is added, changed or deleted here, inlines included, to the audit trail."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = _form_changes(form, obj)
        if changes or not change:
            _log_edit(obj, "changed" if change else "created", request.user, changes)

    def delete_model(self, request, obj):
        _log_edit(obj, "deleted", request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _log_edit(obj, "deleted", request.user)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        edited = [
            (f, f.instance.pk is None)
            for f in formset.forms
            if f not in formset.deleted_forms and f.has_changed()
        ]
        for obj in deleted:
            _log_edit(obj, "deleted", request.user)
        super().save_formset(request, form, formset, change)
        for inline_form, created in edited:
            _log_edit(
                inline_form.instance,
                "created" if created else "changed",
                request.user,
                _form_changes(inline_form, inline_form.instance),
            )


class OrgNumberSearchMixin:
    """Find an organisation number however it is typed: with or without the hyphen or century."""

    org_number_lookup = "org_number"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = re.sub(r"\D", "", search_term)
        if len(digits) in (10, 12) and re.fullmatch(r"[\d\s-]+", search_term.strip()):
            number = f"{digits[-10:-4]}-{digits[-4:]}"
            results = results | queryset.filter(**{self.org_number_lookup: number})
        return results, may_have_duplicates


# Users


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "title", "language", "groups")

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organisation", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("organisation",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "title", "phone", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "title",
                    "language",
                    "groups",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "title", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "language")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    inlines = [UserMembershipInline]

    def get_inline_instances(self, request, obj=None):
        # A new user is given their organisations once they exist.
        return super().get_inline_instances(request, obj) if obj is not None else []


# Organisations


def payout_account_status(account: PayoutAccount) -> str:
    """Return where the account stands: awaiting verification, in use, rejected or replaced."""
    if account.rejected_at:
        return gettext("Rejected")
    if account.superseded_at:
        return gettext("Replaced")
    if account.verified_at:
        return gettext("Verified, in use")
    return gettext("Awaiting verification")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class PayoutAccountInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = PayoutAccount
    fields = ("kind", "number", "holder_name", "status", "created_at", "verified_at", "verified_by")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("verified_by")

    @admin.display(description=_("status"))
    def status(self, account):
        return payout_account_status(account)


class OrganisationDocumentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = OrganisationDocument
    fields = ("kind", "year", "original_name", "size", "uploaded_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, OrgNumberSearchMixin, admin.ModelAdmin):
    list_display = ("name", "org_number", "org_type", "municipality", "created_at")
    list_filter = ("org_type", "municipality", "publish_consent")
    search_fields = ("name", "org_number", "email")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("name", "org_number", "org_type", "municipality", "publish_consent")}),
        (
            _("Contact details"),
            {"fields": ("street_address", "postal_code", "city", "email", "phone", "website")},
        ),
        (None, {"fields": ("created_at",)}),
    )
    inlines = [MembershipInline, PayoutAccountInline, OrganisationDocumentInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, OrgNumberSearchMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation")
    search_fields = (
        "user__email",
        "user__full_name",
        "organisation__name",
        "organisation__org_number",
    )
    org_number_lookup = "organisation__org_number"
    autocomplete_fields = ("user", "organisation")
    readonly_fields = ("created_at",)


class PayoutAccountStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Awaiting verification")),
            ("verified", _("Verified, in use")),
            ("rejected", _("Rejected")),
            ("replaced", _("Replaced")),
        ]

    def queryset(self, request, queryset):
        current = {"superseded_at__isnull": True, "rejected_at__isnull": True}
        match self.value():
            case "pending":
                return queryset.filter(verified_at__isnull=True, **current)
            case "verified":
                return queryset.filter(verified_at__isnull=False, **current)
            case "rejected":
                return queryset.filter(rejected_at__isnull=False)
            case "replaced":
                return queryset.filter(superseded_at__isnull=False, rejected_at__isnull=True)
        return queryset


def _awaiting_verification(account, user) -> bool:
    return not (account.verified_at or account.rejected_at or account.superseded_at)


@admin.register(PayoutAccount)
class PayoutAccountAdmin(
    ServiceActionsMixin, OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """Accounts are added by signatories and verified by finance: only through the services."""

    list_display = (
        "organisation",
        "kind",
        "number",
        "holder_name",
        "status",
        "created_at",
        "created_by",
        "verified_by",
    )
    list_filter = (PayoutAccountStatusFilter, "kind")
    list_select_related = ("organisation", "created_by", "verified_by")
    search_fields = ("number", "holder_name", "organisation__name", "organisation__org_number")
    org_number_lookup = "organisation__org_number"
    date_hierarchy = "created_at"
    fields = (
        "organisation",
        "kind",
        "number",
        "bic",
        "holder_name",
        "status",
        "created_at",
        "created_by",
        "verified_at",
        "verified_by",
        "rejected_at",
        "rejected_by",
        "rejection_reason",
        "superseded_at",
    )
    readonly_fields = ("status", "created_at")
    actions = ["verify", "reject"]

    def has_verify_permission(self, request):
        return request.user.has_perm(permissions.VERIFY_ACCOUNT)

    @admin.display(description=_("status"))
    def status(self, account):
        return payout_account_status(account)

    @staticmethod
    def _describe(account):
        return f"{account} ({account.organisation.name})"

    @service_action(
        description=_("Verify the payout account"),
        permission="verify",
        offered_when=_awaiting_verification,
    )
    def verify(self, request, queryset):
        self.run_service(
            request,
            queryset.order_by("pk"),
            lambda account: services.payout_account_verify(account=account, actor=request.user),
            done=ngettext_lazy(
                "%(count)d payout account verified.", "%(count)d payout accounts verified.", "count"
            ),
            describe=self._describe,
        )

    @service_action(
        description=_("Reject the payout account…"),
        permission="verify",
        offered_when=_awaiting_verification,
    )
    def reject(self, request, queryset):
        def then(accounts, data):
            self.run_service(
                request,
                accounts,
                lambda account: services.payout_account_reject(
                    account=account, actor=request.user, reason=data["reason"]
                ),
                done=ngettext_lazy(
                    "%(count)d payout account rejected.",
                    "%(count)d payout accounts rejected.",
                    "count",
                ),
                describe=self._describe,
            )

        return self.ask(
            request,
            queryset.order_by("pk"),
            ReasonForm,
            title=gettext("Reject payout accounts"),
            then=then,
        )


@admin.register(OrganisationDocument)
class OrganisationDocumentAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Documents are uploaded by the organisation's members; the files stay private."""

    list_display = (
        "organisation",
        "kind",
        "year",
        "original_name",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("kind", "year")
    list_select_related = ("organisation", "uploaded_by")
    search_fields = ("original_name", "organisation__name", "organisation__org_number")
    org_number_lookup = "organisation__org_number"
    date_hierarchy = "uploaded_at"
    # The file itself is served only through permission-checked views, never by URL.
    fields = (
        "organisation",
        "kind",
        "year",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = ("uploaded_at",)


@admin.register(JoinRequest)
class JoinRequestAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Requests to join are decided by the organisation's signatories on their own pages."""

    list_display = ("user", "organisation", "state", "created_at", "decided_by", "decided_at")
    list_filter = ("state",)
    list_select_related = ("user", "organisation", "decided_by")
    search_fields = ("user__email", "organisation__name", "organisation__org_number")
    org_number_lookup = "organisation__org_number"


@admin.register(Invitation)
class InvitationAdmin(OrgNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Invitations are sent by signatories; the token itself is never stored, only its hash."""

    list_display = ("email", "organisation", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role",)
    list_select_related = ("organisation", "invited_by")
    search_fields = ("email", "organisation__name", "organisation__org_number")
    org_number_lookup = "organisation__org_number"
    exclude = ("token_sha256",)
