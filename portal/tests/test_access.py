"""Who reaches the portal and where a contact lands: one sign-in page for everyone; contacts go to
the portal and never see the desk; an ended designation is out at the next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from contracts import services as contract_services

from .world import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_contact_lands_on_the_portal_and_staff_on_home(client, world) -> None:
    assert _sign_in(client, "ana.w")["Location"] == reverse("portal:home")
    client.logout()
    assert _sign_in(client, "ingeniera.w")["Location"] == reverse("home")


def test_contact_next_to_a_staff_page_still_lands_on_the_portal(client, world) -> None:
    assert _sign_in(client, "ana.w", next_url="/casos/")["Location"] == reverse("portal:home")
    client.logout()
    case_url = reverse("portal:case_detail", args=[world.case_a.number])
    assert _sign_in(client, "ana.w", next_url=case_url)["Location"] == case_url


def test_staff_keep_their_next_page(client, world) -> None:
    assert _sign_in(client, "ingeniera.w", next_url="/casos/")["Location"] == "/casos/"


def test_signed_in_contact_opening_sign_in_page_goes_to_the_portal(client, world) -> None:
    client.force_login(world.a1.user)
    assert client.get(reverse("login"))["Location"] == reverse("portal:home")


@pytest.mark.parametrize(
    "path", ["/casos/", "/casos/nuevo/", "/pqr/", "/contratos/simulador/", "/admin/", "/ivr/cliente/"]
)
def test_contact_never_reaches_staff_pages(client, world, path) -> None:
    client.force_login(world.a1.user)
    response = client.get(path)
    assert response.status_code == 404
    assert "Casos de soporte" not in response.content.decode()


def test_contact_on_the_home_page_is_sent_to_the_portal(client, world) -> None:
    client.force_login(world.a1.user)
    assert client.get("/")["Location"] == reverse("portal:home")


def test_anonymous_portal_visit_goes_to_sign_in(client, world) -> None:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_staff_get_404_in_the_portal(client, world) -> None:
    client.force_login(world.engineer)
    assert client.get(reverse("portal:home")).status_code == 404


def test_ended_designation_is_out_at_the_next_request_mid_session(client, world) -> None:
    client.force_login(world.a1.user)
    assert client.get(reverse("portal:home")).status_code == 200
    contract_services.technical_contact_deactivate(actor=world.engineer, contact=world.a1)
    response = client.get(reverse("portal:case_detail", args=[world.case_a.number]))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("login")).content.decode()
    assert "Su designación como contacto técnico terminó" in page
    # A POST is refused the same way, and the sign-in form refuses the right password.
    assert client.post(reverse("portal:home")).status_code in (302, 405)
    refused = _sign_in(client, "ana.w")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "Su designación como contacto técnico terminó" in refused.content.decode()


def test_session_key_changes_at_sign_in(client, world) -> None:
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _sign_in(client, "ana.w")
    assert client.session.session_key != before and client.session["_auth_user_id"]


def test_sessions_expire(client, world, clock) -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    _sign_in(client, "ana.w")
    assert client.get(reverse("portal:home")).status_code == 200
    clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
