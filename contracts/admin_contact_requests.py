"""Admin of what contacts ask for themselves: data change requests (approved or rejected here,
through the services, recorded with who and when) and the product-news consents (read only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contracts.actors import request_actor

from . import services
from .models import ContactChangeRequest, NewsConsent


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContactChangeRequest)
class ContactChangeRequestAdmin(_ReadOnly):
    list_display = ["contact", "requested_at", "status", "proposed", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["contact__full_name", "contact__email", "contact__customer__name"]
    list_select_related = ["contact__customer", "decided_by"]
    readonly_fields = [
        "contact",
        "requested_by",
        "requested_at",
        "before",
        "proposed",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    actions = ["approve", "reject"]

    def _decide(self, request: HttpRequest, queryset: QuerySet, decide: Any) -> int:
        actor = request_actor(request)
        count = 0
        for change_request in queryset.filter(status=ContactChangeRequest.Status.PENDING):
            try:
                decide(actor=actor, request=change_request)
            except ValidationError as error:
                self.message_user(request, f"{change_request}: {' '.join(error.messages)}", messages.ERROR)
            else:
                count += 1
        return count

    @admin.action(description=_("Approve the selected requests (apply the data)"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._decide(request, queryset, services.contact_change_approve)
        done = ngettext("%(count)d request approved.", "%(count)d requests approved.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected requests"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._decide(request, queryset, services.contact_change_reject)
        done = ngettext("%(count)d request rejected.", "%(count)d requests rejected.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(NewsConsent)
class NewsConsentAdmin(_ReadOnly):
    list_display = ["contact", "action", "at", "source", "ip_address", "text_version"]
    list_filter = ["action", "source"]
    search_fields = ["contact__full_name", "contact__email", "contact__customer__name"]
    list_select_related = ["contact__customer"]
    readonly_fields = [
        "contact",
        "action",
        "at",
        "actor",
        "consent_text",
        "text_version",
        "source",
        "ip_address",
        "user_agent",
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
