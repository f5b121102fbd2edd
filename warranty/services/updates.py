"""Calltech Software Assurance: minor fixes and updates of the installed version only, while the
contract is in force and includes assurance, never automatic (an engineer applies it, on a case:
at the customer's request or as a case's solution), scheduled within the plan's hours. Each update
moves the installation's version/build and is kept as its history."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import ActivityKind, Case
from contracts import sla
from contracts.models import Installation

from ..errors import WarrantyError
from ..models import SoftwareUpdate

APPLY_PERMISSION = "warranty.add_softwareupdate"


def _parts(version: str) -> tuple[tuple[int, str], ...]:
    """ "8.4.2" → ((8, ""), (4, ""), (2, "")); "8.4b" → ((8, ""), (4, "b")): numbers compare as numbers."""
    parts = []
    for piece in re.split(r"[.\-_ ]+", version.strip()):
        match = re.match(r"(\d*)(.*)", piece)
        digits, rest = match.groups() if match else ("", piece)
        parts.append((int(digits) if digits else -1, rest.lower()))
    return tuple(parts)


def major(version: str) -> str:
    return re.split(r"[.\-_ ]+", version.strip())[0]


def _build_number(build: str) -> tuple[int, str]:
    match = re.match(r"(\d*)(.*)", build.strip())
    digits, rest = match.groups() if match else ("", build)
    return (int(digits) if digits else -1, rest.lower())


def _installed(version: str, build: str) -> str:
    return f"{version} build {build}" if build else version


@transaction.atomic
def software_update_apply(
    *,
    case: Case,
    actor: User,
    to_version: str,
    to_build: str = "",
    scheduled_for: datetime,
    reason: str,
    notes: str = "",
    now: datetime | None = None,
) -> SoftwareUpdate:
    """Record an update applied to the case's installation, as an activity of the case (a case of
    kind "software update" when the customer asked for it, or any case it solves)."""
    now = now or timezone.now()
    if actor is None or not actor.is_authenticated or not actor.has_perm(APPLY_PERMISSION):
        raise WarrantyError(
            _("Updates are never automatic: a support engineer applies them."), code="not_engineer"
        )
    case = (
        Case.objects.select_for_update()
        .select_related("contract__plan", "installation__product")
        .get(pk=case.pk)
    )
    contract = case.contract
    installation = (
        Installation.objects.select_for_update().select_related("product").get(pk=case.installation_id)
    )
    today = timezone.localdate(now)
    if not (contract.start_date <= today <= contract.end_date):
        raise WarrantyError(
            _(
                "Contract %(contract)s is not in force (it ended on %(end)s): software assurance covers "
                "contracts in force only."
            )
            % {"contract": contract.number, "end": f"{contract.end_date:%d/%m/%Y}"},
            code="contract_not_in_force",
        )
    if not contract.software_assurance:
        raise WarrantyError(
            _("Contract %(contract)s does not include Calltech Software Assurance.")
            % {"contract": contract.number},
            code="no_assurance",
        )
    if reason not in SoftwareUpdate.Reason.values:
        raise WarrantyError(_("Say why the update is applied."), code="no_reason")
    to_version, to_build = to_version.strip(), to_build.strip()
    installed = _installed(installation.version, installation.build)
    if major(to_version) != major(installation.version):
        raise WarrantyError(
            _(
                "Software assurance covers minor fixes of the installed version only (%(installed)s): "
                "%(to)s is a new major version."
            )
            % {"installed": installed, "to": to_version},
            code="major_version",
        )
    newer = _parts(to_version) > _parts(installation.version) or (
        _parts(to_version) == _parts(installation.version)
        and _build_number(to_build) > _build_number(installation.build)
    )
    if not newer:
        raise WarrantyError(
            _("%(to)s is not later than the installed version (%(installed)s).")
            % {"to": _installed(to_version, to_build), "installed": installed},
            code="not_newer",
        )
    if not sla.is_within_service_hours(scheduled_for, contract.plan):
        raise WarrantyError(
            _("Schedule the update within the hours of %(plan)s: %(when)s is outside them.")
            % {"plan": contract.plan.name, "when": f"{timezone.localtime(scheduled_for):%d/%m/%Y %H:%M}"},
            code="outside_hours",
        )
    update = SoftwareUpdate.objects.create(
        installation=installation,
        case=case,
        contract=contract,
        reason=reason,
        from_version=installation.version,
        from_build=installation.build,
        to_version=to_version,
        to_build=to_build,
        scheduled_for=scheduled_for,
        notes=notes.strip(),
        applied_by=actor,
        recorded_at=now,
    )
    installation.version, installation.build = to_version, to_build
    installation.save(update_fields=["version", "build", "updated_at"])
    case_services.case_record_warranty_event(
        case=case,
        actor=actor,
        kind=ActivityKind.SOFTWARE_UPDATE,
        body=_("Software update of %(product)s: %(before)s → %(after)s, scheduled for %(when)s (%(reason)s).")
        % {
            "product": installation.product.name,
            "before": installed,
            "after": _installed(to_version, to_build),
            "when": f"{timezone.localtime(scheduled_for):%d/%m/%Y %H:%M}",
            "reason": update.get_reason_display().lower(),
        }
        + (f"\n{update.notes}" if update.notes else ""),
        data={"software_update": update.pk},
        now=now,
    )
    return update
