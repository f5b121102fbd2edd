"""Who may ask the IVR endpoint: only with a long token (a short one leaves it off and says why),
compared in constant time; wrong guesses from one address are limited."""

from __future__ import annotations

import hmac
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from contracts.tests.factories import CustomerFactory
from escalation import ivr
from escalation.checks import ivr_token_check

pytestmark = pytest.mark.django_db
URL = reverse("escalation:ivr_lookup")
TOKEN = "Zp4q8Lr2Ws6Ty0Uv3Xa7Bc1De5Fg9Hj-ivr-k"


def _ask(client, token: str, address: str = "10.0.0.5", numero: str = "1001"):
    return client.get(URL, {"numero": numero}, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def test_a_short_token_leaves_the_endpoint_off_and_says_why(client, settings, caplog) -> None:
    settings.SMA_IVR_TOKEN = "x"
    with caplog.at_level(logging.ERROR, logger="escalation.ivr"):
        assert _ask(client, "x").status_code == 503
    assert "at least 32" in caplog.text
    settings.SMA_IVR_TOKEN = "a" * 31
    assert _ask(client, "a" * 31).status_code == 503
    settings.SMA_IVR_TOKEN = "a" * 32
    assert _ask(client, "a" * 32).status_code != 503


def test_the_system_check_refuses_a_short_token(settings) -> None:
    settings.SMA_IVR_TOKEN = "s3cr3t-ivr-token"
    errors = ivr_token_check()
    assert [e.id for e in errors] == ["escalation.E001"] and "16 characters" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"escalation\.E001"):
        call_command("check")
    settings.SMA_IVR_TOKEN = TOKEN
    assert ivr_token_check() == []
    settings.SMA_IVR_TOKEN = ""  # unset: the endpoint is simply off
    assert ivr_token_check() == []


def test_the_token_is_compared_in_constant_time(client, settings, monkeypatch) -> None:
    settings.SMA_IVR_TOKEN = TOKEN
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(ivr.hmac, "compare_digest", spy)
    CustomerFactory(customer_number="1001")
    assert _ask(client, TOKEN).status_code == 200
    assert _ask(client, TOKEN[:-1]).status_code == 401
    assert calls == [(TOKEN.encode(), TOKEN.encode()), (TOKEN[:-1].encode(), TOKEN.encode())]


def test_wrong_guesses_from_one_address_are_limited(client, settings) -> None:
    settings.SMA_IVR_TOKEN = TOKEN
    CustomerFactory(customer_number="1001")
    for attempt in range(ivr.MAX_FAILURES):
        assert _ask(client, f"guess-{attempt}").status_code == 401
    refused = _ask(client, "guess-again")
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    # Blocked even with the right token: the guesser cannot tell a hit from a miss.
    assert _ask(client, TOKEN).status_code == 429
    # The IVR itself, from its own address, is not affected.
    assert _ask(client, TOKEN, address="10.0.0.9").status_code == 200
    # The window passes (its cache entry expires): the address may ask again.
    cache.delete("ivr-failures:10.0.0.5")
    assert _ask(client, TOKEN).status_code == 200


def test_a_missing_or_malformed_header_is_a_failure_too(client, settings) -> None:
    settings.SMA_IVR_TOKEN = TOKEN
    for header in ["", "Basic abc", f"Token {TOKEN}", "Bearer "]:
        response = client.get(URL, {"numero": "1001"}, HTTP_AUTHORIZATION=header, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 401
    assert cache.get("ivr-failures:10.0.0.7") == 4
