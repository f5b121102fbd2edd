"""Ley 1581 de 2012 for one technical contact: everything held about them exported (JSON and
their files), and a former contact anonymised everywhere while every case stays readable."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, CaseActivity, SolutionKind
from cases.tests.factories import customer_setup, engineer, registered_case, staff_user
from contracts.models import TechnicalContact, TechnicalContactChange
from contracts.services import technical_contact_deactivate
from contracts.tests.factories import UserFactory
from escalation.models import CustomerEmail
from escalation.services.customer_mail import customer_email_collect
from sma import roles
from sma.privacy import contact_data_export, contact_forget

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("America/Bogota"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def story():
    setup = customer_setup()
    contact = setup["requester"]
    contact.full_name, contact.email = "Ana María Rodríguez", "ana.rodriguez@bancoandino.example"
    contact.user = UserFactory(username="ana.rodriguez", first_name="Ana", last_name="Rodríguez")
    contact.save()
    eng = engineer(first_name="Camilo", last_name="Suárez")
    case = registered_case(
        setup=setup, actor=eng, now=NOW, description="Ana María Rodríguez reporta audio mudo."
    )
    case_services.case_add_contact_comment(
        case=case,
        contact=contact,
        actor=contact.user,
        body="Adjunto el log.",
        attachments=[SimpleUploadedFile("grabador.log", b"ERROR 0x80040154\n", content_type="text/plain")],
        now=NOW + timedelta(minutes=30),
    )
    case_services.case_propose_solution(
        case=case,
        actor=eng,
        solution_kind=SolutionKind.PROCEDURE,
        solution="Reinicie.",
        now=NOW + timedelta(hours=1),
    )
    case_services.case_accept_solution(
        case=case, contact=contact, actor=contact.user, now=NOW + timedelta(hours=2)
    )
    customer_email_collect(now=NOW + timedelta(hours=2))
    return {"setup": setup, "contact": contact, "case": case, "engineer": eng}


def test_the_export_holds_everything_and_their_files(story) -> None:
    contact = story["contact"]
    archive = zipfile.ZipFile(io.BytesIO(contact_data_export(contact=contact, actor=None, now=NOW)))
    data = json.loads(archive.read("datos.json"))
    assert data["contact"]["email"] == "ana.rodriguez@bancoandino.example"
    assert data["portal_account"]["username"] == "ana.rodriguez"
    assert [c["number"] for c in data["cases_requested"]] == [story["case"].number]
    assert any(a["text"] == "Adjunto el log." for a in data["activities_written"])
    assert data["files_uploaded"][0]["name"] == "grabador.log"
    assert {m["event"] for m in data["emails_sent_to_them"]} >= {"registered", "closed"}
    files = [name for name in archive.namelist() if name.startswith("archivos/")]
    assert len(files) == 1 and archive.read(files[0]) == b"ERROR 0x80040154\n"
    assert TechnicalContactChange.objects.filter(contact=contact, action="exported").count() == 1


def test_a_designated_contact_is_not_anonymised(story) -> None:
    with pytest.raises(ValidationError) as refused:
        contact_forget(contact=story["contact"], actor=None, now=NOW)
    assert refused.value.code == "still_designated"
    assert TechnicalContact.objects.get(pk=story["contact"].pk).full_name == "Ana María Rodríguez"


def test_a_former_contact_is_anonymised_everywhere_and_the_history_reads(story) -> None:
    contact, case = story["contact"], story["case"]
    technical_contact_deactivate(actor=None, contact=contact, now=NOW + timedelta(days=1))
    contact.refresh_from_db()
    assert contact_forget(contact=contact, actor=None, now=NOW + timedelta(days=2)) is True
    contact.refresh_from_db()
    anon = f"Contacto anonimizado {contact.pk}"
    assert contact.full_name == anon and contact.email == f"anonimizado-{contact.pk}@invalid.example"
    assert contact.anonymised_at is not None and str(contact.phone) == ""
    user = contact.user
    assert not user.is_active and not user.has_usable_password() and user.first_name == user.email == ""
    # Nothing with the name or address is left in the case, its timeline or its e-mails.
    case = Case.objects.get(pk=case.pk)
    assert case.requester_id == contact.pk and "Ana María Rodríguez" not in case.description
    bodies = " ".join(CaseActivity.objects.filter(case=case).values_list("body", flat=True))
    assert "Ana María Rodríguez" not in bodies and anon in bodies and "Adjunto el log." in bodies
    for email in CustomerEmail.objects.filter(case=case):
        assert "ana.rodriguez@" not in email.to_email and "Ana María Rodríguez" not in email.body_text
    changes = TechnicalContactChange.objects.filter(contact=contact)
    assert "ana.rodriguez" not in json.dumps(list(changes.values_list("changes", flat=True)))
    assert changes.filter(action="anonymised").count() == 1
    # A second time changes nothing.
    assert contact_forget(contact=contact, actor=None, now=NOW + timedelta(days=3)) is False


def test_the_admin_actions_are_for_admins(client, story) -> None:
    contact = story["contact"]
    url = reverse("admin:contracts_technicalcontact_changelist")
    admin = staff_user(roles.ADMIN)
    client.force_login(admin)
    response = client.post(url, {"action": "export_personal_data", "_selected_action": [contact.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "datos.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    response = client.post(
        url, {"action": "anonymise_former_contacts", "_selected_action": [contact.pk]}, follow=True
    )
    assert "todavía" in response.content.decode() or "still" in response.content.decode()
    client.force_login(story["engineer"])
    response = client.get(url)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "export_personal_data" not in response.content.decode()


def test_the_command(story, tmp_path) -> None:
    target = tmp_path / "datos.zip"
    call_command("contact_data", str(story["contact"].pk), "--export", str(target), stdout=io.StringIO())
    assert "datos.json" in zipfile.ZipFile(target).namelist()
