"""The staff inbox over HTTP: the bell's unread count in the navbar (no query of its own), the list
newest first a page at a time, unread/all, mark one or all read (POST, idempotent), only one's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.tests.factories import engineer, manager, registered_case
from contracts.tests.factories import UserFactory
from escalation.models import InboxItem, Notification

pytestmark = pytest.mark.django_db
INBOX = reverse("escalation:inbox")


def _notify(user, *, case=None, subject="Caso: tiempo de atención vencido", kind="breach", at=None):
    at = at or timezone.now()
    case = case or registered_case(priority="P1", now=at - timedelta(hours=3))
    notification = Notification.objects.create(
        case=case, kind=kind, recipients=[], subject=subject, body="…", due_at=at, created_at=at
    )
    return InboxItem.objects.create(user=user, notification=notification, created_at=at)


def _bell(html: str) -> str | None:
    marker = 'data-testid="inbox-unread">'
    if marker not in html:
        return None
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


def test_the_bell_counts_unread_items_on_every_staff_page(client) -> None:
    boss = manager()
    client.force_login(boss)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="inbox-bell"' in home and _bell(home) is None
    first = _notify(boss)
    _notify(boss)
    _notify(engineer())  # somebody else's
    assert _bell(client.get(reverse("cases:list")).content.decode()) == "2"
    first.read_at = timezone.now()
    first.save()
    assert _bell(client.get(reverse("home")).content.decode()) == "1"


def test_customers_have_no_bell_and_no_inbox(client) -> None:
    client.force_login(UserFactory(is_staff=False))
    assert client.get(INBOX).status_code == 403


def test_the_bell_costs_no_query_of_its_own(client) -> None:
    """The count comes with the signed-in user (sma.auth.InboxCountBackend), in the same query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = manager()
    client.force_login(boss)
    client.get(reverse("home"))  # warm the session and the SLA cache
    with CaptureQueriesContext(connection) as none:
        client.get(reverse("home"))
    for _ in range(3):
        _notify(boss)
    with CaptureQueriesContext(connection) as some:
        assert _bell(client.get(reverse("home")).content.decode()) == "3"
    assert len(some.captured_queries) == len(none.captured_queries)
    assert not any(
        "escalation_inboxitem" in q["sql"] and "auth_user" not in q["sql"] for q in some.captured_queries
    )


def test_the_inbox_lists_newest_first_links_the_case_and_filters_unread(client) -> None:
    boss = manager()
    now = timezone.now()
    old = _notify(boss, subject="Aviso viejo", at=now - timedelta(hours=2))
    new = _notify(boss, subject="Aviso nuevo", at=now - timedelta(minutes=5))
    old.read_at = now
    old.save()
    client.force_login(boss)
    page = client.get(INBOX).content.decode()
    assert page.index("Aviso nuevo") < page.index("Aviso viejo")
    assert reverse("cases:detail", args=[new.notification.case.number]) in page
    unread = client.get(INBOX, {"ver": "no-leidas"}).content.decode()
    assert "Aviso nuevo" in unread and "Aviso viejo" not in unread


def test_the_inbox_is_paginated_in_sql_with_constant_queries(client, django_assert_max_num_queries) -> None:
    boss = manager()
    case = registered_case(priority="P1", now=timezone.now() - timedelta(hours=3))
    for i in range(3):
        _notify(boss, case=case, subject=f"Aviso {i}")
    client.force_login(boss)
    client.get(INBOX)
    with django_assert_max_num_queries(12) as few:
        client.get(INBOX)
    for i in range(60):
        _notify(boss, case=case, subject=f"Más {i}")
    with django_assert_max_num_queries(12) as many:
        page = client.get(INBOX).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count('data-testid="inbox-item"') == 25 and "1 / 3" in page
    assert client.get(INBOX, {"page": 3}).content.decode().count('data-testid="inbox-item"') == 13


def test_marking_read_is_a_post_idempotent_and_only_for_ones_own(client) -> None:
    boss = manager()
    item = _notify(boss)
    theirs = _notify(engineer())
    client.force_login(boss)
    url = reverse("escalation:inbox_read", args=[item.pk])
    assert client.get(url).status_code == 405  # GET never changes state
    token = form_token_new()
    first = client.post(url, {TOKEN_FIELD: token, "ver": "no-leidas"})
    assert first.status_code == 302 and first["Location"] == f"{INBOX}?ver=no-leidas"
    item.refresh_from_db()
    read_at = item.read_at
    assert read_at is not None
    again = client.post(url, {TOKEN_FIELD: token, "ver": "no-leidas"})  # a double click
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.read_at == read_at
    assert client.post(url, {"ver": "todas"}).status_code == 302  # already read: still fine
    assert client.post(reverse("escalation:inbox_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client) -> None:
    boss = manager()
    for _ in range(3):
        _notify(boss)
    other = _notify(engineer())
    client.force_login(boss)
    page = client.get(INBOX).content.decode()
    assert 'data-testid="inbox-read-all"' in page and _bell(page) == "3"
    response = client.post(reverse("escalation:inbox_read_all"), {TOKEN_FIELD: form_token_new()}, follow=True)
    html = response.content.decode()
    assert _bell(html) is None and "3 avisos marcados como leídos" in html
    assert not InboxItem.objects.filter(user=boss, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
