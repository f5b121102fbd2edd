"""Admins keep the hardware under warranty (through the services: audited); RMAs are read here and
worked on the desk. The support certificates' admin is in ``admin_certificates`` (imported at the
end so that Django's admin autodiscovery registers it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from contracts.actors import request_actor
from contracts.admin_audit import point_at_saved

from . import services
from .models import (
    AssetChange,
    HardwareAsset,
    MaintenanceTerms,
    PreventiveMaintenance,
    Rma,
    RmaAlert,
    RmaStep,
    SoftwareUpdate,
)
from .services.assets import ASSET_FIELDS


class AssetChangeInline(admin.TabularInline):
    model = AssetChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "action", "changed_by", "changes")
    readonly_fields = ("changed_at", "action", "changed_by", "changes")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HardwareAsset)
class HardwareAssetAdmin(admin.ModelAdmin):
    list_display = (
        "serial_number",
        "model",
        "customer",
        "warranty_plan",
        "warranty_start",
        "warranty_end",
        "delivery_city",
    )
    list_filter = ("warranty_plan", "nbd_24x7", "spare_kit", "backup_unit")
    search_fields = ("serial_number", "model", "customer__name")
    autocomplete_fields = ("customer",)
    raw_id_fields = ("installation",)
    fields = (*ASSET_FIELDS, "voided_at", "void_reason")
    readonly_fields = ("voided_at", "void_reason")
    inlines = (AssetChangeInline,)

    def save_model(
        self, request: HttpRequest, obj: HardwareAsset, form: forms.ModelForm, change: bool
    ) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in ASSET_FIELDS}
        if change:
            saved = services.asset_update(asset=obj, actor=request_actor(request), changes=data)
        else:
            saved = services.asset_register(actor=request_actor(request), **data)
        point_at_saved(obj, saved)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RmaStepInline(admin.TabularInline):
    model = RmaStep
    extra = 0
    can_delete = False
    fields = ("at", "kind", "exclusion", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rma)
class RmaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "case", "asset", "status", "started_at", "delivery_due_at", "delivery_met")
    list_filter = ("status", "warranty_plan")
    search_fields = ("case__number", "asset__serial_number")
    list_select_related = ("case", "asset")
    inlines = (RmaStepInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Rma._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RmaAlert)
class RmaAlertAdmin(admin.ModelAdmin):
    list_display = ("rma", "stage", "due_at", "created_at", "notification")
    list_select_related = ("rma", "notification")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MaintenanceTerms)
class MaintenanceTermsAdmin(admin.ModelAdmin):
    """What a contract's conditions add to the default preventive maintenance."""

    list_display = ("contract", "extra_per_year", "onsite", "extended_hours", "cable_cleaning", "reference")
    search_fields = ("contract__number", "contract__customer__name")
    autocomplete_fields = ("contract",)


@admin.register(PreventiveMaintenance)
class PreventiveMaintenanceAdmin(admin.ModelAdmin):
    """Scheduled on the desk (each one a case); read here."""

    list_display = ("case", "contract", "scheduled_for", "support_year", "onsite", "extended_hours")
    list_select_related = ("case", "contract")
    search_fields = ("case__number", "contract__number")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in PreventiveMaintenance._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

@admin.register(SoftwareUpdate)
class SoftwareUpdateAdmin(admin.ModelAdmin):
    """The installations' version/build history (software assurance). Updates are recorded on the
    desk, on their case (``software_update_apply``); here they are read, never edited."""

    list_display = (
        "installation",
        "customer",
        "from_text",
        "to_text",
        "scheduled_for",
        "reason",
        "case",
        "applied_by",
    )
    list_filter = ("reason",)
    search_fields = (
        "installation__customer__name",
        "installation__product__name",
        "case__number",
        "to_version",
        "from_version",
    )
    list_select_related = ("installation__customer", "installation__product", "case", "applied_by")
    date_hierarchy = "scheduled_for"
    ordering = ("-scheduled_for", "-id")

    @admin.display(description=_("customer"), ordering="installation__customer__name")
    def customer(self, obj: SoftwareUpdate) -> str:
        return obj.installation.customer.name

    @admin.display(description=_("version before"))
    def from_text(self, obj: SoftwareUpdate) -> str:
        return f"{obj.from_version} ({obj.from_build})" if obj.from_build else obj.from_version

    @admin.display(description=_("version installed"))
    def to_text(self, obj: SoftwareUpdate) -> str:
        return f"{obj.to_version} ({obj.to_build})" if obj.to_build else obj.to_version

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in SoftwareUpdate._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from . import admin_certificates  # noqa: E402,F401  (registers the certificates admin)
