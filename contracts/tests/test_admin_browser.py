"""In a browser: a new contract offers the installations of the customer chosen, and no other's."""

from __future__ import annotations

import pytest

from .factories import CustomerFactory, InstallationFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_customer_narrows_the_installations(
    live_server, page, admin_user, screenshot_dir
) -> None:
    mine = CustomerFactory(name="Banco Propio S.A.")
    InstallationFactory(customer=mine, product=ProductFactory(name="CTVox"))
    InstallationFactory(customer=CustomerFactory(name="Ajena S.A.S."), product=ProductFactory(name="CTLog"))
    page.goto(f"{live_server.url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill("admin")
    page.get_by_label("Contraseña").fill("password")
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")

    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.goto(f"{live_server.url}/admin/contracts/supportcontract/add/")
    page.wait_for_timeout(500)  # the admin's own scripts run on load
    assert len(navigations) == 1  # loading the page reloads nothing
    page.locator("#id_number").fill("CT-NAV-1")
    available = page.locator("#id_installations_from option")
    assert available.count() == 0  # no customer yet, no installations

    page.locator("#id_customer + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("Propio")
    page.locator(".select2-results__option", has_text="Banco Propio S.A.").click()
    page.wait_for_url("**/add/?*customer=*")
    assert page.locator("#id_number").input_value() == "CT-NAV-1"
    assert available.count() == 1 and "CTVox" in available.first.inner_text()
    page.wait_for_timeout(500)
    assert len(navigations) == 2  # one reload, no loop
    page.screenshot(path=screenshot_dir / "admin-contract-installations.png", full_page=True)
