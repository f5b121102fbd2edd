"""In a real browser: five wrong passwords on the sign-in page lock the user out with a Spanish page
in the site's layout; the right password is then refused too."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_passwords_lock_the_sign_in(live_server, page, django_user_model, screenshot_dir) -> None:
    django_user_model.objects.create_user("ingeniero", password="s3cret-pass", is_staff=True)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/ingresar/")
    for _ in range(5):
        page.get_by_label("Nombre de usuario").fill("Ingeniero ")
        page.get_by_label("Contraseña").fill("equivocada")
        page.get_by_role("button", name="Ingresar").click()
        page.wait_for_load_state("load")
    locked = page.get_by_test_id("locked-out")
    assert locked.is_visible()
    assert "bloqueado durante 15 minutos" in locked.inner_text()
    page.screenshot(path=screenshot_dir / "login-locked.png", full_page=True)

    page.get_by_role("link", name="Volver a ingresar").click()
    page.get_by_label("Nombre de usuario").fill("ingeniero")
    page.get_by_label("Contraseña").fill("s3cret-pass")
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state("load")
    assert page.get_by_test_id("locked-out").is_visible()
    assert "/ingresar/" in page.url

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "login-locked-390.png", full_page=True)
