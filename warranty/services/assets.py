"""Hardware assets under warranty: registering and changing them (audited), and whether a unit's
warranty covers a claim on a given day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services.common import user_or_none
from contracts.models import Customer, Installation

from ..errors import WarrantyError
from ..models import AssetChange, HardwareAsset, WarrantyPlan
from ..models.assets import WarrantyState

# The fields an admin edits (the admin form and the service share this list).
ASSET_FIELDS = (
    "customer",
    "installation",
    "model",
    "serial_number",
    "warranty_plan",
    "warranty_start",
    "warranty_end",
    "nbd_24x7",
    "spare_kit",
    "backup_unit",
    "delivery_city",
)


def default_warranty_end(start: date) -> date:
    """One year: the day before the same date next year (29 February starts end on 28 February)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = start.replace(year=start.year + 1, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _check(asset: HardwareAsset) -> None:
    if asset.warranty_end < asset.warranty_start:
        raise WarrantyError(_("A warranty cannot end before it starts."), code="ends_before_start")
    installation = asset.installation if asset.installation_id is not None else None
    if installation is not None and installation.customer_id != asset.customer_id:
        raise WarrantyError(
            _("The installation %(installation)s is not the customer's.")
            % {"installation": asset.installation},
            code="foreign_installation",
        )
    if asset.warranty_plan not in WarrantyPlan.values:
        raise WarrantyError(_("Unknown warranty plan."), code="bad_plan")


@transaction.atomic
def asset_register(
    *,
    actor: User | None,
    customer: Customer,
    model: str,
    serial_number: str,
    warranty_start: date,
    delivery_city: str,
    warranty_plan: str = WarrantyPlan.STANDARD,
    warranty_end: date | None = None,
    installation: Installation | None = None,
    nbd_24x7: bool = False,
    spare_kit: bool = False,
    backup_unit: bool = False,
    now: datetime | None = None,
) -> HardwareAsset:
    """A unit the customer bought, under warranty from ``warranty_start`` for one year unless
    ``warranty_end`` (the offer or the certificate) says otherwise."""
    now = now or timezone.now()
    asset = HardwareAsset(
        customer=customer,
        installation=installation,
        model=model.strip(),
        serial_number=serial_number.strip(),
        warranty_plan=warranty_plan,
        warranty_start=warranty_start,
        warranty_end=warranty_end or default_warranty_end(warranty_start),
        nbd_24x7=nbd_24x7,
        spare_kit=spare_kit,
        backup_unit=backup_unit,
        delivery_city=delivery_city.strip(),
        created_at=now,
        updated_at=now,
    )
    _check(asset)
    if HardwareAsset.objects.filter(serial_number=asset.serial_number).exists():
        raise WarrantyError(
            _("A unit with serial number %(serial)s is already registered.")
            % {"serial": asset.serial_number},
            code="serial_taken",
        )
    asset.save(force_insert=True)
    AssetChange.objects.create(
        asset=asset,
        action=AssetChange.Action.CREATED,
        changed_by=user_or_none(actor),
        changed_at=now,
        changes={f: _jsonable(getattr(asset, f)) for f in ASSET_FIELDS},
    )
    return asset


@transaction.atomic
def asset_update(
    *, asset: HardwareAsset, actor: User | None, changes: dict[str, Any], now: datetime | None = None
) -> HardwareAsset:
    """Change an asset's fields (those in ASSET_FIELDS); the change record keeps before and after.
    An RMA in progress keeps the terms it started with."""
    now = now or timezone.now()
    asset = HardwareAsset.objects.select_for_update().get(pk=asset.pk)
    before, after = {}, {}
    for name, value in changes.items():
        if name not in ASSET_FIELDS:
            raise ValueError(f"not an editable asset field: {name}")
        old = getattr(asset, name)
        if old != value:
            before[name], after[name] = _jsonable(old), _jsonable(value)
            setattr(asset, name, value)
    if not after:
        return asset
    _check(asset)
    asset.updated_at = now
    asset.save()
    AssetChange.objects.create(
        asset=asset,
        action=AssetChange.Action.UPDATED,
        changed_by=user_or_none(actor),
        changed_at=now,
        changes={"before": before, "after": after},
    )
    return asset


def asset_void(*, asset: HardwareAsset, actor: User | None, reason: str, now: datetime) -> None:
    """Void a unit's warranty (unauthorised third-party software). Called inside the RMA's
    transaction that found it."""
    asset.voided_at, asset.void_reason, asset.updated_at = now, reason, now
    asset.save(update_fields=["voided_at", "void_reason", "updated_at"])
    AssetChange.objects.create(
        asset=asset,
        action=AssetChange.Action.VOIDED,
        changed_by=user_or_none(actor),
        changed_at=now,
        changes={"reason": reason},
    )


def warranty_refusal(asset: HardwareAsset, *, day: date) -> WarrantyError | None:
    """Why the unit's warranty does not cover a claim made that day, or None when it does."""
    values = {"model": asset.model, "serial": asset.serial_number}
    state = asset.state_on(day)
    if state == WarrantyState.VOID and asset.voided_at is not None:
        return WarrantyError(
            _("The warranty of %(model)s %(serial)s was voided on %(date)s: %(reason)s")
            % {
                **values,
                "date": f"{timezone.localtime(asset.voided_at):%d/%m/%Y}",
                "reason": asset.void_reason,
            },
            code="warranty_void",
        )
    if state == WarrantyState.EXPIRED:
        return WarrantyError(
            _("The warranty of %(model)s %(serial)s expired on %(date)s.")
            % {**values, "date": f"{asset.warranty_end:%d/%m/%Y}"},
            code="warranty_expired",
        )
    if state == WarrantyState.NOT_STARTED:
        return WarrantyError(
            _("The warranty of %(model)s %(serial)s starts on %(date)s.")
            % {**values, "date": f"{asset.warranty_start:%d/%m/%Y}"},
            code="warranty_not_started",
        )
    return None
