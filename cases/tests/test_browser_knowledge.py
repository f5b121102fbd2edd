"""In a real browser, on the desk: the case page shows the related article, an engineer inserts a
canned reply (filled in for this case) into the activity form and logs it, copies a colleague
of the customer on the case's e-mails (an outside address is refused), and writes an article from
the case (the draft says the copied text must be rewritten)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import CaseActivity, CaseCopy
from cases.tests.factories import customer_setup, engineer, manager, registered_case
from contracts.tests.factories import TechnicalContactFactory
from knowledge.models import Article, CannedReply, Visibility
from knowledge.tests.factories import article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"


def test_engineer_uses_the_knowledge_base_canned_replies_and_copies_on_a_case(
    live_server, page: Page, screenshot_dir
) -> None:
    page.set_default_timeout(8000)
    page.set_viewport_size({"width": 1366, "height": 900})
    eng = engineer(username="ing.kbb", first_name="Laura", last_name="Gómez")
    setup = customer_setup()
    setup["requester"].full_name = "Ana Rodríguez"
    setup["requester"].save()
    colleague = TechnicalContactFactory(customer=setup["customer"], full_name="Julián Pérez")
    case = registered_case(
        setup=setup,
        subject="No graba: ERR-4012",
        description="Sale ERR-4012: no se pudo escribir el archivo de audio.",
    )
    related = article(
        author=eng, publisher=manager(username="ger.kbb"), product=case.product, visibility=Visibility.INTERNAL
    )
    CannedReply.objects.create(title="Acuse de recibo", body="Hola {contacto}: su caso {caso} lo atiende {ingeniero}.")

    page.goto(f"{live_server.url}/ingresar/?next=/casos/{case.number}/")
    page.get_by_label("Nombre de usuario").fill("ing.kbb")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(re.compile(case.number))

    expect(page.get_by_test_id("related-articles").get_by_role("link", name=related.title)).to_be_visible()

    page.locator("#activity summary").click()
    page.get_by_label("Insertar una respuesta predefinida").first.select_option(label="Acuse de recibo")
    body = page.locator("#id_activity-body")
    expect(body).to_have_value(f"Hola Ana Rodríguez: su caso {case.number} lo atiende Laura Gómez.")
    page.locator("#activity").screenshot(path=screenshot_dir / "desk_canned_reply.png")
    page.locator("#activity").get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Actividad registrada.")).to_be_visible()
    assert CaseActivity.objects.filter(case=case, body__startswith="Hola Ana Rodríguez").exists()

    page.locator("#copy summary").click()
    page.locator("#id_copy-email").fill("intruso@otra.example")
    page.locator("#copy").get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("intruso@otra.example no es un contacto técnico designado")).to_be_visible()
    page.screenshot(path=screenshot_dir / "desk_copy_refused.png", full_page=False)
    page.locator("#copy summary").click() if not page.locator("#id_copy-email").is_visible() else None
    page.locator("#id_copy-email").fill(colleague.email)
    page.locator("#copy").get_by_role("button", name="Guardar").click()
    expect(page.get_by_test_id("copies")).to_contain_text("Julián Pérez")
    assert CaseCopy.objects.filter(case=case, contact=colleague).exists()

    page.get_by_test_id("article-from-case").click()
    expect(page.get_by_test_id("copied-warning")).to_be_visible()
    page.screenshot(path=screenshot_dir / "desk_article_from_case.png", full_page=True)
    assert Article.objects.filter(source_case_number=case.number).exists()
