"""Customers and contracts in the admin change through the audited services; their change
history (ChangeRecord) is shown read-only on their pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import ChangeRecord, Customer, SupportContract


def _blank(value: Any) -> str:
    return "—" if value in (None, "", []) else str(value)


class ChangeRecordInline(admin.TabularInline):
    """The audit of the customer's or contract's own changes, read-only."""

    model = ChangeRecord
    fk_name = "customer"
    subject: type[models.Model] = Customer  # whose field names the changes are labelled with
    extra = 0
    fields = readonly_fields = ("changed_at", "action", "changed_by", "changes")
    can_delete = False
    verbose_name_plural = _("change history")

    @admin.display(description=_("changes"))
    def changes(self, obj: ChangeRecord) -> str:
        """Each field as "label: before → after" (only the values a creation or deletion had)."""
        names = [*obj.before, *(name for name in obj.after if name not in obj.before)]
        return format_html_join(
            "",
            "<div><strong>{}</strong>: {}</div>",
            ((self._label(name), self._values(obj, name)) for name in names),
        )

    def _label(self, name: str) -> str:
        try:
            field = self.subject._meta.get_field(name)
        except FieldDoesNotExist:
            return name
        return str(getattr(field, "verbose_name", name))

    @staticmethod
    def _values(obj: ChangeRecord, name: str) -> str:
        shown = [_blank(side[name]) for side in (obj.before, obj.after) if name in side]
        return " → ".join(shown)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ChangeRecord]:
        # The customer's page shows its own changes; each contract's are on the contract's page.
        return super().get_queryset(request).filter(contract__isnull=True).select_related("changed_by")


class ContractChangeRecordInline(ChangeRecordInline):
    fk_name = "contract"
    subject = SupportContract

    def get_queryset(self, request: HttpRequest) -> QuerySet[ChangeRecord]:
        return ChangeRecord.objects.select_related("changed_by")


class ThroughServicesAdmin(admin.ModelAdmin):
    """Saving and deleting call the audited services; inlines are saved as usual. The change
    history is shown on the change page (a new record has none)."""

    history_inline: type[admin.TabularInline] = ChangeRecordInline

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, self.history_inline] if obj is not None else inlines

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:  # the service already set the fields and relations of the form
            self.save_formset(request, form, formset, change=change)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def point_at_saved(obj: Any, saved: Any) -> None:
    """Point the admin's instance at the row the service saved (the admin redirects to it)."""
    obj.pk = saved.pk
    obj._state.adding = False
