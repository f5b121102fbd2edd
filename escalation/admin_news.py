"""Admin of product-news mailings: write one, send it to the subscribed contacts (an action that
calls the service), see each delivery."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contracts.actors import request_actor

from .models import NewsDelivery, NewsMailing
from .services import news


class NewsDeliveryInline(admin.TabularInline):
    model = NewsDelivery
    extra = 0
    fields = readonly_fields = ("to_email", "created_at", "sent_at", "attempts", "last_error")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NewsMailing)
class NewsMailingAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "sent_by"]
    fields = ["subject", "body_text", "created_by", "created_at", "sent_by", "sent_at"]
    readonly_fields = ["created_by", "created_at", "sent_by", "sent_at"]
    inlines = [NewsDeliveryInline]
    actions = ["send_to_subscribers"]

    def save_model(self, request: HttpRequest, obj: NewsMailing, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = news.news_mailing_create(
            actor=request_actor(request), subject=obj.subject, body_text=obj.body_text
        )
        obj.pk, obj.created_at, obj.created_by = created.pk, created.created_at, created.created_by
        obj._state.adding = False

    @admin.action(description=_("Send to the contacts subscribed to product news"), permissions=["change"])
    def send_to_subscribers(self, request: HttpRequest, queryset: QuerySet) -> None:
        total = 0
        for mailing in queryset:
            total += news.news_mailing_send(mailing=mailing, actor=request_actor(request))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued.", "%(count)d e-mails queued.", total) % {"count": total},
            messages.SUCCESS,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
