"""The admin lists over big tables: no full count, no deep pages, case numbers through the index,
and a read-only case page whose queries do not grow with the timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import admin_lists
from cases.admin_lists import AtLeast, Estimated, LargeTablePaginator, case_number_filter
from cases.models import Case, CaseActivity

from .factories import customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
CASES = reverse("admin:cases_case_changelist")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


@pytest.fixture
def three_cases() -> list[Case]:
    setup = customer_setup()
    return [registered_case(setup=setup, priority="P3", now=bog(2026, 11, 24, 9, i)) for i in range(3)]


def _numbers(response) -> list[str]:
    return [case.number for case in response.context["cl"].result_list]


def test_a_case_number_its_beginning_or_its_serial_find_the_case(admin_client, three_cases) -> None:
    first = three_cases[0]
    serial = str(int(first.number.rsplit("-", 1)[1]))
    assert _numbers(admin_client.get(CASES, {"q": first.number})) == [first.number]
    assert _numbers(admin_client.get(CASES, {"q": first.number.lower()})) == [first.number]
    assert _numbers(admin_client.get(CASES, {"q": serial})) == [first.number]
    newest_first = sorted((c.number for c in three_cases), reverse=True)
    assert _numbers(admin_client.get(CASES, {"q": "SMA-2026"})) == newest_first
    assert _numbers(admin_client.get(CASES, {"q": "SMA-2025"})) == []


def test_number_lookups_are_exact_or_prefix_never_contains() -> None:
    assert case_number_filter("sma-2026-000123") == case_number_filter("SMA-2026-000123")
    prefix = str(case_number_filter("SMA-2026"))
    assert "startswith" in prefix and "icontains" not in prefix and "number__lt" in prefix
    assert case_number_filter("licencia") is None


def test_other_words_use_the_case_lists_search(admin_client, three_cases) -> None:
    response = admin_client.get(CASES, {"q": "grabación"})
    assert response.status_code == 200 and len(_numbers(response)) == 3


def test_a_deep_page_is_sent_back_with_a_message(admin_client, three_cases) -> None:
    response = admin_client.get(CASES, {"p": admin_lists.MAX_PAGES + 1, "status__exact": "new"})
    assert response.status_code == 302
    assert (
        f"p={admin_lists.MAX_PAGES}" in response["Location"] and "status__exact=new" in response["Location"]
    )
    followed = admin_client.get(response["Location"], follow=True)
    assert "Solo se muestran las primeras 50 páginas" in followed.content.decode()


def test_the_unfiltered_count_is_the_planners_estimate(admin_client, three_cases, monkeypatch) -> None:
    monkeypatch.setattr(admin_lists, "estimated_rows", lambda model: 1_000_000)
    response = admin_client.get(CASES)
    count = response.context["cl"].result_count
    assert isinstance(count, Estimated) and count == 1_000_000
    assert "≈ 1.000.000" in response.content.decode()
    assert response.context["cl"].paginator.num_pages == admin_lists.MAX_PAGES
    filtered = admin_client.get(CASES, {"priority__exact": "P3"}).context["cl"].result_count
    assert filtered == 3 and not isinstance(filtered, Estimated)  # a filter counts for real


def test_a_filtered_count_stops_at_what_the_pages_can_show(three_cases) -> None:
    paginator = LargeTablePaginator(Case.objects.filter(priority="P3").order_by("id"), per_page=1)
    paginator.max_pages = 2
    assert isinstance(paginator.count, AtLeast) and paginator.count == 3
    assert str(paginator.count) in ("more than 2", "más de 2")
    assert paginator.num_pages == 2


def test_the_case_page_queries_do_not_grow_with_the_timeline(
    admin_client, django_assert_max_num_queries
) -> None:
    short = registered_case(priority="P2", now=bog(2026, 11, 24, 9, 0))
    long = registered_case(priority="P2", assigned_to=engineer(), now=bog(2026, 11, 24, 9, 0))
    author = engineer(first_name="Ana", last_name="Ruiz")
    CaseActivity.objects.bulk_create(
        CaseActivity(
            case=long, kind="email", author=author, created_at=long.registered_at + timedelta(minutes=i)
        )
        for i in range(1, 200)
    )
    admin_client.get(reverse("admin:cases_case_change", args=[short.pk]))
    with django_assert_max_num_queries(20) as few:
        admin_client.get(reverse("admin:cases_case_change", args=[short.pk]))
    with django_assert_max_num_queries(20) as many:
        response = admin_client.get(reverse("admin:cases_case_change", args=[long.pk]))
    assert len(many.captured_queries) <= len(few.captured_queries) + 1  # + the assignee
    html = response.content.decode()
    assert "Ana Ruiz" in html and "Se muestran 50 de 200 actividades." in html
    assert reverse("cases:detail", args=[long.number]) in html


def test_notifications_and_customer_emails_search_by_case_number(admin_client, three_cases) -> None:
    from escalation.models import Notification

    case = three_cases[1]
    Notification.objects.create(
        case=case,
        kind="warning",
        recipients=[],
        subject="aviso",
        body="",
        due_at=case.registered_at,
        created_at=case.registered_at,
    )
    response = admin_client.get(reverse("admin:escalation_notification_changelist"), {"q": case.number})
    assert [n.case_id for n in response.context["cl"].result_list] == [case.pk]
    other = admin_client.get(
        reverse("admin:escalation_notification_changelist"), {"q": three_cases[0].number}
    )
    assert list(other.context["cl"].result_list) == []
    emails = admin_client.get(reverse("admin:escalation_customeremail_changelist"), {"q": case.number})
    assert emails.status_code == 200
