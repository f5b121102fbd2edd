from __future__ import annotations

from django.contrib import admin

from .models import EscalationContact, EscalationLevel, EscalationRule, OnCallShift


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
