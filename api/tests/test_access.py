"""Who may call the API: a valid key of the right scope, within its rate; errors are JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiKey, ApiScope
from cases.models import Case

from .conftest import ApiClient

pytestmark = pytest.mark.django_db
CASES = reverse("api:cases")


def test_no_key_is_401_with_a_json_error_in_spanish() -> None:
    response = ApiClient().get(CASES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json() == {
        "error": "not_authenticated",
        "detail": "Las credenciales de autenticación no se proveyeron.",
    }


def test_a_wrong_key_is_401(read_key) -> None:
    key, secret = read_key
    for wrong in (secret[:-1] + ("x" if secret[-1] != "x" else "y"), "nada", f"{key.prefix}.", "Api-Key"):
        response = ApiClient(wrong).get(CASES)
        assert response.status_code == 401, wrong
        assert response.json()["error"] == "authentication_failed"
    assert ApiClient().get(CASES, HTTP_AUTHORIZATION="Bearer whatever").status_code == 401


def test_a_revoked_or_expired_key_is_refused(read_key) -> None:
    key, secret = read_key
    assert ApiClient(secret).get(CASES).status_code == 200
    key.expiry_date = timezone.now() - timedelta(minutes=1)
    key.save()
    expired = ApiClient(secret).get(CASES)
    assert expired.status_code == 401 and expired.json()["detail"] == "La clave de la API venció."
    key.expiry_date = None
    key.revoked = True
    key.save()
    assert ApiClient(secret).get(CASES).status_code == 401


def test_a_read_only_key_may_not_write(reader) -> None:
    response = reader.post(CASES, {"customer": "1001"})
    assert response.status_code == 403
    assert response.json() == {
        "error": "permission_denied",
        "detail": "Esta clave de la API solo puede leer.",
    }
    assert not Case.objects.exists()


def test_english_on_request(reader) -> None:
    response = ApiClient(language="en").get(CASES)
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response["Content-Language"] == "en"
    english = ApiClient(reader.headers["Authorization"].split(" ", 1)[1], language="en")
    assert english.post(CASES, {}).json()["detail"] == "This API key may only read."


def test_requests_beyond_the_keys_rate_are_429(settings, read_key, write_key) -> None:
    settings.SMA_API_RATE = "3/min"
    reader = ApiClient(read_key[1])
    assert [reader.get(CASES).status_code for _ in range(4)] == [200, 200, 200, 429]
    answer = reader.get(CASES)
    assert answer.status_code == 429 and answer.json()["error"] == "throttled"
    assert int(answer["Retry-After"]) > 0
    # Counted per key: another integration is not held back.
    assert ApiClient(write_key[1]).get(CASES).status_code == 200


def test_only_the_hash_is_stored_and_the_admin_shows_the_key_once(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:api_apikey_add"), {"name": "Monitoreo", "scope": ApiScope.WRITE}, follow=True
    )
    key = ApiKey.objects.get(name="Monitoreo")
    shown = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(shown) == 1
    secret = shown[0].split(": ", 1)[1].split(" ", 1)[0]
    assert secret.startswith(key.prefix + ".") and secret not in key.hashed_key
    assert ApiClient(secret).get(CASES).status_code == 200
    page = admin_client.get(reverse("admin:api_apikey_change", args=[key.pk])).content.decode()
    assert key.prefix in page and secret not in page


def test_odd_input_is_a_400_or_404_never_a_500(reader) -> None:
    for params in (
        {"customer": "12\x0034"},
        {"assignee": "ana\x00"},
        {"q": "lic\x00encia"},
        {"cursor": "\x00"},
    ):
        response = reader.get(CASES, params)
        assert response.status_code == 400, params
        assert response.json()["error"] == "invalid"
    assert reader.get("/api/v1/cases/SMA%00-2026/").status_code == 404
    assert reader.get("/api/v1/customers/1%0001/entitlement/").status_code == 404
    assert reader.get(CASES)["Cache-Control"].startswith("max-age=0")
