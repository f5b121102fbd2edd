"""In a real browser: a contact types an error message in the new-request form, is offered the
matching public article (never the internal one), opens it and says it solved the problem — no
case is opened, the deflection is recorded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from cases.models import Case
from knowledge.models import Deflection, Visibility
from knowledge.tests.factories import article

from .world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_contact_is_offered_the_matching_article_and_it_solves_it(
    live_server, browser: Browser, screenshot_dir, width
) -> None:
    world = build_world()
    product = world.case_a.product
    public = article(author=world.engineer, publisher=world.manager, product=product)
    internal = article(
        author=world.engineer,
        publisher=world.manager,
        product=product,
        visibility=Visibility.INTERNAL,
        title="Parche interno para ERR-4012 (solo ingenieros)",
    )
    cases_before = Case.objects.count()
    context = browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    page.set_default_timeout(8000)
    try:
        page.goto(f"{live_server.url}/ingresar/")
        page.get_by_label("Nombre de usuario").fill(world.a1.user.username)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Ingresar").click()
        expect(page).to_have_url(re.compile(r"/portal/$"))
        page.goto(f"{live_server.url}/portal/solicitudes/nueva/")

        form = page.get_by_test_id("request-form")
        box = form.get_by_test_id("suggestions")
        expect(box).to_be_hidden()
        form.get_by_label("Asunto").fill("No graba")
        form.get_by_label("Descripción").press_sequentially(
            "Sale el mensaje ERR-4012: no se pudo escribir el archivo de audio", delay=10
        )
        expect(box).to_be_visible()
        expect(box.get_by_role("link", name=public.title)).to_be_visible()
        expect(box.get_by_text(internal.title)).to_have_count(0)
        box.scroll_into_view_if_needed()
        page.screenshot(path=screenshot_dir / f"portal_kb_{width}_1_suggested.png", full_page=True)

        with context.expect_page() as opened:
            box.get_by_role("link", name=public.title).click()
        tab = opened.value
        tab.set_default_timeout(8000)
        expect(tab.get_by_role("heading", name=public.title)).to_be_visible()
        expect(tab.get_by_text("Liberar espacio en el disco de audio.")).to_be_visible()
        tab.screenshot(path=screenshot_dir / f"portal_kb_{width}_2_article.png", full_page=True)
        tab.get_by_role("button", name=re.compile("esto lo resolvió", re.I)).click()
        expect(tab.get_by_text("No se abrió ningún caso", exact=False)).to_be_visible()
        tab.screenshot(path=screenshot_dir / f"portal_kb_{width}_3_solved.png", full_page=True)
    finally:
        context.close()
    deflection = Deflection.objects.get()
    assert deflection.article == public and deflection.contact == world.a1
    assert "ERR-4012" in deflection.query
    assert Case.objects.count() == cases_before
