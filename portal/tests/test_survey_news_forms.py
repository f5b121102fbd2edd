"""Every POST form of the company, contact-data, product-news and survey pages carries a one-time
token to a view that honours it (a double click makes one change)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.tests.double_submit import assert_forms_are_idempotent
from contracts import services as contract_services
from contracts.services.news import news_consent_text

from .test_survey import close, mailed_link

pytestmark = pytest.mark.django_db


def test_the_portal_forms_of_this_part_carry_a_token(
    client, world, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.a1.user)
    seen = []
    for name in ("company", "contact_change", "news"):
        url = reverse(f"portal:{name}")
        seen += assert_forms_are_idempotent(client.get(url).content.decode(), url)
    contract_services.news_consent_give(
        contact=world.a1, actor=None, consent_text=news_consent_text(), source="portal"
    )
    url = reverse("portal:news")
    seen += assert_forms_are_idempotent(client.get(url).content.decode(), url)  # the way out
    close(world.case_a, world.engineer)
    link = mailed_link(django_capture_on_commit_callbacks, world.case_a)
    seen += assert_forms_are_idempotent(client.get(link).content.decode(), link)
    assert seen == [reverse("portal:contact_change"), reverse("portal:news"), reverse("portal:news"), link]
