from __future__ import annotations

from django.contrib import admin

from .models import EscalationContact, EscalationLevel, EscalationRule, Notification, OnCallShift


class EscalationContactInline(admin.TabularInline):
    model = EscalationContact
    extra = 0
    fields = ["order", "name", "role", "phone_extension", "mobile", "email", "is_active"]


@admin.register(EscalationLevel)
class EscalationLevelAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    inlines = [EscalationContactInline]


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["share_percent", "name", "target", "level", "is_active"]
    list_editable = ["is_active"]


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ["engineer", "starts_at", "ends_at", "phone", "notes"]
    list_select_related = ["engineer"]
    date_hierarchy = "starts_at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The notification log: read-only."""

    list_display = ["created_at", "case", "kind", "level", "sent_at", "attempts"]
    list_filter = ["kind", "level"]
    search_fields = ["case__number", "subject"]
    list_select_related = ["case", "level"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
