"""Cases in the admin: for looking up and auditing. Work on cases happens in the case desk, through
the services, so nothing here changes a case."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .admin_lists import LargeTableAdmin, case_number_filter
from .models import Case, RefusedRequest, SurveyOwed, SurveyResponse
from .search import filter_search
from .selectors import DETAIL_RELATIONS


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


RECENT_ACTIVITIES = 50


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin, LargeTableAdmin):
    list_display = ["number", "subject", "customer", "priority", "status", "registered_at", "desk_link"]
    list_filter = ["status", "priority", "plan", "channel"]
    search_fields = ["number"]
    search_help_text = _(
        "A case number (SMA-2024-000123), its beginning (SMA-2024) or its serial (123); other words "
        "search the subject, description and customer like the case list."
    )
    list_select_related = ["customer"]
    date_hierarchy = None
    exclude = ["search_document"]
    readonly_fields = ["recent_activities"]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Case | None:
        # Every relation the read-only page shows, in the same query.
        queryset = self.get_queryset(request).select_related(*DETAIL_RELATIONS)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        if search_term and case_number_filter(search_term) is None:
            return filter_search(queryset, search_term), False  # the case list's full-text index
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("case desk"))
    def desk_link(self, obj: Case) -> str:
        return format_html('<a href="{}">{}</a>', reverse("cases:detail", args=[obj.number]), _("open"))

    @admin.display(description=_("latest activities"))
    def recent_activities(self, obj: Case) -> str:
        """The newest activities (two queries whatever the timeline's length); the whole
        timeline, with its files, is on the case desk."""
        total = obj.activities.count()
        latest = list(
            obj.activities.select_related("author").order_by("-created_at", "-id")[:RECENT_ACTIVITIES]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(localtime(a.created_at), "d/m/Y H:i"),
                    a.get_kind_display(),
                    (a.author.get_full_name() or a.author.get_username()) if a.author else _("system"),
                    _("yes") if a.is_public else _("no"),
                    Truncator(a.body).chars(300),
                )
                for a in latest
            ),
        )
        more = ""
        if total > len(latest):
            more = format_html(
                '<p>{} <a href="{}">{}</a></p>',
                _("%(shown)s of %(total)s activities shown.") % {"shown": len(latest), "total": total},
                reverse("cases:detail", args=[obj.number]),
                _("The whole timeline is on the case desk."),
            )
        head = format_html(
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            _("recorded at"),
            _("kind"),
            _("author"),
            _("visible to the customer"),
            _("details"),
        )
        return format_html("{}<table>{}<tbody>{}</tbody></table>", more, head, rows)


@admin.register(RefusedRequest)
class RefusedRequestAdmin(ReadOnlyAdmin):
    list_display = ["refused_at", "reason", "customer", "requester_text", "channel", "refused_by"]
    list_filter = ["reason", "channel"]
    search_fields = ["customer__name", "requester_text", "subject"]
    list_select_related = ["customer", "refused_by"]


@admin.register(SurveyOwed)
class SurveyOwedAdmin(ReadOnlyAdmin):
    list_display = ["case", "contact", "created_at", "sent_at", "expires_at", "attempts", "last_error"]
    list_select_related = ["case", "contact"]
    exclude = ["token_hash"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "contact",
        "answered_at",
        "attention_time",
        "technical_knowledge",
        "courtesy",
        "solution_quality",
    ]
    list_select_related = ["case", "contact"]
    search_fields = ["case__number"]
