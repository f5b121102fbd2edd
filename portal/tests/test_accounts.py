"""Portal accounts: the invitation (a single-use, expiring link to choose a password), the password
reset by e-mail in Spanish, and the lock-out after wrong passwords for contacts too."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services as contract_services
from contracts.models import TechnicalContactChange
from contracts.tests.factories import TechnicalContactFactory

from .world import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Gr4baciones-Andinas"


def _link(message) -> str:
    found = re.search(r"https?://[^\s]+/clave/[^\s]+/", message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


def _choose_password(client, link: str, password: str = NEW_PASSWORD):
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"], "the link works"
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_invitation_creates_the_account_and_mails_a_single_use_link(
    client, world, django_capture_on_commit_callbacks
) -> None:
    contact = TechnicalContactFactory(
        customer=world.a1.customer, full_name="Marta Lucía Pardo", email="mpardo@cliente.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        change = contract_services.technical_contact_invite(actor=world.engineer, contact=contact)
    contact.refresh_from_db()
    user = contact.user
    assert user is not None and user.username == "mpardo" and not user.has_usable_password()
    assert change.action == TechnicalContactChange.Action.INVITED and change.changed_by == world.engineer
    assert [m.to for m in mail.outbox] == [["Marta Lucía Pardo <mpardo@cliente.example>"]]
    message = mail.outbox[0]
    assert message.subject == "Su acceso al portal de soporte de Calltech"
    assert "Su usuario: mpardo" in message.body and "expira en 72 horas" in message.body
    link = _link(message)

    done = _choose_password(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    # Single use: the same link is dead once the password is set.
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False and "ya se usó o expiró" in again.content.decode()
    signed_in = client.post(reverse("login"), {"username": "mpardo", "password": NEW_PASSWORD})
    assert signed_in["Location"] == reverse("portal:home")
    # Sent once: the task run again sends nothing.
    from contracts.tasks import send_portal_invitation

    send_portal_invitation.delay(change.pk)
    assert len(mail.outbox) == 1


def test_invitation_link_expires(client, world, clock, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.technical_contact_invite(actor=world.engineer, contact=world.a2)
    link = _link(mail.outbox[0])
    clock.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    assert client.get(link, follow=True).context["validlink"] is False


def test_only_active_customer_contacts_are_invited(world) -> None:
    contract_services.technical_contact_deactivate(actor=world.engineer, contact=world.a2)
    with pytest.raises(ValidationError):
        contract_services.technical_contact_invite(actor=world.engineer, contact=world.a2)


def test_engineer_invites_from_the_admin(client, world, django_capture_on_commit_callbacks) -> None:
    client.force_login(world.engineer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:contracts_technicalcontact_changelist"),
            {"action": "invite_to_portal", "_selected_action": [world.a2.pk]},
            follow=True,
        )
    assert response.status_code == 200 and "Invitación al portal enviada" in response.content.decode()
    assert len(mail.outbox) == 1 and "julian.w" in mail.outbox[0].body


def test_password_reset_by_email_in_spanish(client, world) -> None:
    world.a1.user.email = "ana@cliente.example"
    world.a1.user.save()
    client.cookies["django_language"] = "en"  # even for someone who chose English
    response = client.post(reverse("password_reset"), {"email": "ANA@cliente.example"})
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.subject == "Restablezca su contraseña · Soporte Calltech"
    assert "Su usuario: ana.w" in message.body and settings.SMA_SITE_URL in message.body
    client.cookies.pop("django_language")
    assert _choose_password(client, _link(message)).status_code == 302
    assert client.post(reverse("login"), {"username": "ana.w", "password": NEW_PASSWORD}).status_code == 302


def test_password_reset_says_nothing_about_unknown_or_ended_accounts(client, world) -> None:
    contract_services.technical_contact_deactivate(actor=world.engineer, contact=world.a2)
    world.a2.user.email = "julian@cliente.example"
    world.a2.user.save()
    for email in ("nadie@cliente.example", "julian@cliente.example"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_contact_wrong_passwords_lock_out_with_variants_sharing_one_counter(client, world) -> None:
    for name in ("ana.w", " ANA.W", "Ana.W ", "ana.W", "  ana.w  "):
        client.post(reverse("login"), {"username": name, "password": "mala"})
    locked = client.post(reverse("login"), {"username": "ana.w", "password": PASSWORD})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # Another contact of the same company is not locked; an empty user name locks nobody.
    for _ in range(8):
        client.post(reverse("login"), {"username": "", "password": "mala"})
    assert client.post(reverse("login"), {"username": "julian.w", "password": PASSWORD}).status_code == 302


def test_a_staff_account_is_never_invited(world) -> None:
    contact = TechnicalContactFactory(customer=world.a1.customer, user=world.engineer)
    with pytest.raises(ValidationError):
        contract_services.technical_contact_invite(actor=world.manager, contact=contact)
    assert get_user_model().objects.get(pk=world.engineer.pk).is_staff
