"""The knowledge base in the admin: canned replies are kept here (managers and admins); articles
are written and published on the desk (/conocimiento/), so here they are read only, with their
history; deflections are read only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import canned
from .models import Article, ArticleEvent, CannedReply, Deflection


class CannedReplyForm(forms.ModelForm):
    class Meta:
        model = CannedReply
        fields = ["title", "product", "body", "is_active"]
        help_texts = {
            "body": _(
                "Placeholders: {contacto} (the contact's name), {caso} (the case number), "
                "{vence} (the attention deadline), {ingeniero} (the engineer writing)."
            ),
        }

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        canned.validate_placeholders(body)
        return body


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    form = CannedReplyForm
    list_display = ["title", "product", "is_active", "updated_at"]
    list_filter = ["is_active", "product"]
    search_fields = ["title", "body"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    fields = ("at", "action", "from_state", "to_state", "actor", "note")
    readonly_fields = ("at", "action", "from_state", "to_state", "actor", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "product", "state", "visibility", "updated_at"]
    list_filter = ["state", "visibility", "product"]
    search_fields = ["title", "error_codes"]
    list_select_related = ["product"]
    exclude = ["search_document", "search_title"]
    inlines = [ArticleEventInline]


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "article", "contact", "query"]
    list_select_related = ["article", "contact__customer"]
    date_hierarchy = "created_at"
