"""Hostile text in a comment is shown as text, in the portal and on the desk: a <script> tag and a
markdown javascript: link stay inert."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services as case_services

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> [clic aquí](javascript:alert(1)) <img src=x onerror=alert(2)>'


def _assert_inert(body: str) -> None:
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert '<script>alert("x")' not in body
    assert 'href="javascript:' not in body.lower() and "href='javascript:" not in body.lower()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(2)&gt;" in body


def test_hostile_comment_is_inert_in_the_portal_and_on_the_desk(client, world) -> None:
    case_services.case_add_contact_comment(
        case=world.case_a, contact=world.a1, actor=world.a1.user, body=HOSTILE
    )
    client.force_login(world.a2.user)
    _assert_inert(client.get(reverse("portal:case_detail", args=[world.case_a.number])).content.decode())
    client.force_login(world.engineer)
    _assert_inert(client.get(reverse("cases:detail", args=[world.case_a.number])).content.decode())


def test_hostile_subject_is_inert_in_the_portal_list(client, world) -> None:
    world.case_a.subject = HOSTILE[:200]
    world.case_a.save(update_fields=["subject"])
    client.force_login(world.a1.user)
    body = client.get(reverse("portal:home")).content.decode()
    assert '<script>alert("x")' not in body and "&lt;script&gt;" in body
