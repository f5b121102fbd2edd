"""Software assurance: a minor fix of the installed version only, while the contract is in force and
includes assurance, applied by an engineer on a case (never automatic), scheduled within the plan's
hours; the installation's version/build history kept."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from cases.models import ActivityKind, CaseKind
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.clock import BOGOTA
from contracts.tests.factories import UserFactory
from warranty.errors import WarrantyError
from warranty.models import SoftwareUpdate
from warranty.services import software_update_apply

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA)
TOMORROW_9 = datetime(2026, 12, 3, 9, 0, tzinfo=BOGOTA)


def update_case(**contract):
    setup = customer_setup(**contract)
    setup["installation"].version, setup["installation"].build = "8.4", "1045"
    setup["installation"].save()
    return registered_case(setup=setup, kind=CaseKind.SOFTWARE_UPDATE, subject="Actualizar CTLog", now=NOW)


def apply(case, to_version: str, to_build: str = "", when: datetime = TOMORROW_9, actor=None):
    return software_update_apply(
        case=case,
        actor=actor or engineer(),
        to_version=to_version,
        to_build=to_build,
        scheduled_for=when,
        reason="request",
        now=NOW,
    )


def test_a_minor_update_moves_the_installation_and_is_kept() -> None:
    case = update_case()
    first = apply(case, "8.4.1", "1102")
    second = apply(case, "8.4.1", "1110")
    case.installation.refresh_from_db()
    assert (case.installation.version, case.installation.build) == ("8.4.1", "1110")
    history = list(
        SoftwareUpdate.objects.filter(installation=case.installation).order_by("recorded_at", "id")
    )
    assert history == [first, second]
    assert (first.from_version, first.from_build, first.to_version) == ("8.4", "1045", "8.4.1")
    entry = case.activities.filter(kind=ActivityKind.SOFTWARE_UPDATE).first()
    assert entry.is_public and "8.4 build 1045 → 8.4.1 build 1102" in entry.body


def test_a_new_major_version_is_refused() -> None:
    case = update_case()
    with pytest.raises(WarrantyError) as refused:
        apply(case, "9.0")
    assert refused.value.messages == [
        "Software Assurance cubre solo correcciones menores de la versión instalada (8.4 build 1045): "
        "9.0 es una versión mayor nueva."
    ]


def test_an_older_version_is_refused() -> None:
    with pytest.raises(WarrantyError, match="no es posterior a la versión instalada"):
        apply(update_case(), "8.3.9")


def test_an_expired_contract_is_refused() -> None:
    case = update_case()
    contract = case.contract
    contract.end_date = date(2026, 12, 1)
    contract.save()
    with pytest.raises(WarrantyError) as refused:
        apply(case, "8.4.1")
    assert refused.value.messages == [
        f"El contrato {contract.number} no está vigente (terminó el 01/12/2026): Software Assurance solo "
        "cubre contratos vigentes."
    ]


def test_a_contract_without_assurance_is_refused() -> None:
    case = update_case(software_assurance=False)
    with pytest.raises(WarrantyError, match="no incluye Calltech Software Assurance"):
        apply(case, "8.4.1")


def test_outside_the_plans_hours_is_refused() -> None:
    case = update_case()  # Gold 8x5
    with pytest.raises(WarrantyError, match="fuera de ellas"):
        apply(case, "8.4.1", when=datetime(2026, 12, 5, 10, 0, tzinfo=BOGOTA))  # Saturday


def test_never_automatic_an_engineer_applies_it() -> None:
    with pytest.raises(WarrantyError, match="nunca son automáticas"):
        apply(update_case(), "8.4.1", actor=UserFactory())


def test_the_history_is_read_in_the_admin_and_never_edited_there(client) -> None:
    case = update_case()
    update = apply(case, "8.4.1", "1102")
    reader = engineer()  # staff, with the view permission of the history
    client.force_login(reader)
    listing = client.get(reverse("admin:warranty_softwareupdate_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "8.4 (1045)" in page and "8.4.1 (1102)" in page and case.number in page
    detail = client.get(reverse("admin:warranty_softwareupdate_change", args=[update.pk]))
    assert detail.status_code == 200 and 'name="to_version"' not in detail.content.decode()
    assert client.get(reverse("admin:warranty_softwareupdate_add")).status_code == 403
    assert client.post(
        reverse("admin:warranty_softwareupdate_change", args=[update.pk]), {"to_version": "9.9"}
    ).status_code == 403
    update.refresh_from_db()
    assert update.to_version == "8.4.1"
