"""State changes of the warranty app. Every one is atomic, keyword-only, takes an explicit actor
(or is the beat's own work) and leaves an audit row."""

from .assets import asset_register, asset_update, warranty_refusal
from .maintenance import maintenance_quota, maintenance_request
from .rma import rma_advance, rma_open
from .updates import software_update_apply
from .watch import rma_deadline_sweep

__all__ = [
    "asset_register",
    "asset_update",
    "maintenance_quota",
    "maintenance_request",
    "rma_advance",
    "rma_deadline_sweep",
    "rma_open",
    "software_update_apply",
    "warranty_refusal",
]
