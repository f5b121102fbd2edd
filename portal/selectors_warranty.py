"""Reads for the portal's warranty page, scoped to one company: its hardware under warranty, the
preventive maintenance quota of its contracts in force, and its maintenances. Anything of another
company is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from contracts.models import Customer, SupportContract
from contracts.selectors import contracts_in_force
from warranty.models import HardwareAsset, PreventiveMaintenance, Rma
from warranty.services.maintenance import Quota, maintenance_quota


@dataclass(frozen=True)
class WarrantyPage:
    assets: list[tuple[HardwareAsset, str]]
    quotas: list[tuple[SupportContract, Quota]]
    maintenances: list[PreventiveMaintenance]
    contracts: list[SupportContract]


def warranty_page(*, customer: Customer, today: date) -> WarrantyPage:
    assets = HardwareAsset.objects.filter(customer=customer).select_related("installation__product")
    contracts = list(contracts_in_force(customer=customer, on=today).order_by("-end_date", "number"))
    return WarrantyPage(
        assets=[(a, a.state_on(today)) for a in assets.order_by("model", "serial_number")],
        quotas=[(c, maintenance_quota(contract=c, day=today)) for c in contracts],
        maintenances=list(
            PreventiveMaintenance.objects.filter(contract__customer=customer)
            .select_related("case", "installation__product")
            .order_by("-scheduled_for")[:50]
        ),
        contracts=contracts,
    )


def company_maintenance_or_404(*, customer: Customer, pk: int) -> PreventiveMaintenance:
    company = PreventiveMaintenance.objects.filter(contract__customer=customer)
    maintenance = company.filter(pk=pk).select_related("case").first()
    if maintenance is None:
        raise Http404
    return maintenance


def company_asset_or_404(*, customer: Customer, pk: int) -> tuple[HardwareAsset, list[Rma]]:
    asset = (
        HardwareAsset.objects.filter(customer=customer, pk=pk).select_related("installation__product").first()
    )
    if asset is None:
        raise Http404
    return asset, list(asset.rmas.select_related("case").order_by("-started_at"))
