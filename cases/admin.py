"""Cases in the admin: for looking up and auditing. Work on cases happens in the case desk, through
the services, so nothing here changes a case."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseActivity, RefusedRequest, SurveyOwed


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActivityInline(admin.TabularInline):
    model = CaseActivity
    fields = ["created_at", "kind", "author", "is_public", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "subject", "customer", "priority", "status", "registered_at", "desk_link"]
    list_filter = ["status", "priority", "plan", "channel"]
    search_fields = ["number"]
    list_select_related = ["customer"]
    show_full_result_count = False  # no full COUNT over a million cases
    date_hierarchy = None
    inlines = [ActivityInline]

    @admin.display(description=_("case desk"))
    def desk_link(self, obj: Case) -> str:
        return format_html('<a href="{}">{}</a>', reverse("cases:detail", args=[obj.number]), _("open"))


@admin.register(RefusedRequest)
class RefusedRequestAdmin(ReadOnlyAdmin):
    list_display = ["refused_at", "reason", "customer", "requester_text", "channel", "refused_by"]
    list_filter = ["reason", "channel"]
    search_fields = ["customer__name", "requester_text", "subject"]
    list_select_related = ["customer", "refused_by"]


@admin.register(SurveyOwed)
class SurveyOwedAdmin(ReadOnlyAdmin):
    list_display = ["case", "contact", "created_at", "sent_at"]
    list_select_related = ["case", "contact"]
