"""The warranty app's data: hardware under warranty (assets) and its replacements (RMA),
preventive maintenance (its terms per contract and each maintenance scheduled), software updates
applied under Calltech Software Assurance (the installations' version history)."""

from .assets import AssetChange, HardwareAsset, WarrantyPlan
from .certificates import Certificate, CertificateBatch, CertificateEvent, CertificateSequence
from .maintenance import MaintenanceTerms, PreventiveMaintenance
from .rma import Rma, RmaAlert, RmaExclusion, RmaStatus, RmaStep
from .updates import SoftwareUpdate

__all__ = [
    "AssetChange",
    "Certificate",
    "CertificateBatch",
    "CertificateEvent",
    "CertificateSequence",
    "HardwareAsset",
    "MaintenanceTerms",
    "PreventiveMaintenance",
    "Rma",
    "RmaAlert",
    "RmaExclusion",
    "RmaStatus",
    "RmaStep",
    "SoftwareUpdate",
    "WarrantyPlan",
]
