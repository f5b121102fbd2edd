"""A contact's own data change: requested (nothing changes), approved by an admin (applied and
recorded with who and when) or rejected; one pending request at a time."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import ContactChangeRequest, TechnicalContactChange

from .clock import TEST_NOW
from .factories import TechnicalContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_request_changes_nothing_until_an_admin_approves_it() -> None:
    portal_user = UserFactory()
    contact = TechnicalContactFactory(user=portal_user, position="Jefe de TI", extension="100")
    request = services.contact_change_request(
        actor=portal_user, contact=contact, position="Gerente de TI", extension="100", now=TEST_NOW
    )
    assert request.status == "pending" and request.requested_by == portal_user
    assert request.proposed == {"position": "Gerente de TI"}  # only what differs
    assert request.before == {"position": "Jefe de TI"}
    contact.refresh_from_db()
    assert contact.position == "Jefe de TI"
    assert not contact.changes.filter(action="updated").exists()

    admin = UserFactory(is_staff=True, is_superuser=True)
    services.contact_change_approve(actor=admin, request=request, now=TEST_NOW)
    contact.refresh_from_db()
    request.refresh_from_db()
    assert contact.position == "Gerente de TI"
    assert (request.status, request.decided_by, request.decided_at) == ("approved", admin, TEST_NOW)
    change = contact.changes.get(action=TechnicalContactChange.Action.UPDATED)
    assert change.changed_by == admin and change.changed_at == TEST_NOW
    assert change.changes == {"position": ["Jefe de TI", "Gerente de TI"]}
    with pytest.raises(ValidationError):  # decided once
        services.contact_change_reject(actor=admin, request=request)


def test_a_rejected_request_leaves_the_contact_as_it_was() -> None:
    contact = TechnicalContactFactory(email="ana@cliente.example")
    request = services.contact_change_request(actor=UserFactory(), contact=contact, email="ANA@otro.example ")
    assert request.proposed == {"email": "ana@otro.example"}
    admin = UserFactory(is_staff=True)
    services.contact_change_reject(actor=admin, request=request, note="Dominio ajeno a la empresa")
    contact.refresh_from_db()
    request.refresh_from_db()
    assert contact.email == "ana@cliente.example"
    assert request.status == "rejected" and request.decision_note == "Dominio ajeno a la empresa"


def test_invalid_unchanged_and_second_pending_requests_are_refused() -> None:
    contact = TechnicalContactFactory(full_name="Ana Rodríguez")
    user = UserFactory()
    with pytest.raises(ValidationError) as bad:
        services.contact_change_request(actor=user, contact=contact, email="no es un correo")
    assert "email" in bad.value.message_dict
    with pytest.raises(ValidationError):
        services.contact_change_request(actor=user, contact=contact, full_name="Ana Rodríguez")
    with pytest.raises(TypeError):
        services.contact_change_request(actor=user, contact=contact, is_active=False)
    services.contact_change_request(actor=user, contact=contact, full_name="Ana María Rodríguez")
    with pytest.raises(ValidationError) as second:
        services.contact_change_request(actor=user, contact=contact, position="Gerente")
    assert second.value.code == "pending"
    assert ContactChangeRequest.objects.filter(contact=contact).count() == 1


def test_an_admin_approves_in_the_admin_and_the_change_is_recorded_as_theirs(client) -> None:
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from sma import roles

    roles.roles_sync()
    admin_user = UserFactory(is_staff=True)
    admin_user.groups.add(Group.objects.get(name=roles.ADMIN))
    contact = TechnicalContactFactory(position="Jefe de TI")
    pending = services.contact_change_request(actor=UserFactory(), contact=contact, position="CTO")
    other = services.contact_change_request(
        actor=UserFactory(), contact=TechnicalContactFactory(), position="Analista"
    )
    client.force_login(admin_user)
    changelist = reverse("admin:contracts_contactchangerequest_changelist")
    page = client.get(changelist + "?status__exact=pending")
    assert page.status_code == 200 and "CTO" in page.content.decode()
    response = client.post(
        changelist, {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )
    assert "1 solicitud aprobada." in response.content.decode()
    contact.refresh_from_db()
    pending.refresh_from_db()
    other.refresh_from_db()
    assert contact.position == "CTO" and pending.status == "approved" and other.status == "pending"
    assert contact.changes.get(action="updated").changed_by == admin_user
    # Engineers see no such page: approving is the admins'.
    engineer = UserFactory(is_staff=True)
    engineer.groups.add(Group.objects.get(name=roles.ENGINEER))
    client.force_login(engineer)
    assert client.get(changelist).status_code == 403
