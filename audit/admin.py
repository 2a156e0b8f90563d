"""The audit trail in the admin: to read and search, never to change."""

import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.models import LogEntry


class ActionPrefixFilter(admin.SimpleListFilter):
    """Filter by the action's app ("grants") or entity ("grants.application")."""

    title = _("action")
    parameter_name = "action_prefix"

    def lookups(self, request, model_admin):
        actions = LogEntry.objects.order_by().values_list("action", flat=True).distinct()
        prefixes = set()
        for action in actions:
            parts = action.split(".")
            prefixes.update(".".join(parts[:depth]) for depth in (1, 2) if depth < len(parts))
        return [(prefix, prefix) for prefix in sorted(prefixes)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action__startswith=f"{self.value()}.")
        return queryset


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "action", "object_repr", "content_type", "actor"]
    list_display_links = ["id", "action"]
    list_filter = [ActionPrefixFilter, ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["actor", "content_type"]
    search_fields = ["action", "object_repr", "=object_id"]
    # Counting a long trail on every page is slow and tells the reader nothing.
    show_full_result_count = False
    fields = [
        "created_at",
        "action",
        "actor",
        "content_type",
        "object_id",
        "object_repr",
        "data_display",
        "prev_hash",
        "hash",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("data"))
    def data_display(self, obj):
        return format_html(
            "<pre>{}</pre>",
            json.dumps(obj.data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
