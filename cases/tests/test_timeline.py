"""The case page shows its timeline a page at a time: the newest activities first, every older one
reachable through "Ver anteriores", attachments listed with their activity, and the same number of
queries whatever the timeline's length."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.models import Case, CaseActivity, CaseAttachment
from cases.selectors import TIMELINE_PAGE

from .factories import engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
REGISTERED = datetime(2026, 11, 24, 9, 0, tzinfo=BOGOTA)


@pytest.fixture
def eng():
    return engineer(first_name="Camilo", last_name="Suárez")


@pytest.fixture
def client_eng(client, eng):
    client.force_login(eng)
    return client


def _grow(case: Case, n: int, *, author) -> None:
    """``n`` notes after the registration, one minute apart; every seventh carries a file."""
    notes = CaseActivity.objects.bulk_create(
        CaseActivity(
            case=case,
            kind="internal_note",
            author=author,
            created_at=REGISTERED + timedelta(minutes=i + 1),
            body=f"nota {i + 1:04d}",
        )
        for i in range(n)
    )
    CaseAttachment.objects.bulk_create(
        CaseAttachment(
            case=case,
            activity=note,
            file=f"cases/{case.pk}/x{note.pk}",
            original_name=f"registro-{note.body[5:]}.log",
            content_type="text/plain",
            size=2048,
            sha256="0" * 64,
            uploaded_by=author,
            uploaded_at=note.created_at,
        )
        for note in notes
        if int(note.body[5:]) % 7 == 0
    )


def _notes(html: str) -> list[str]:
    return re.findall(r"nota \d{4}", html)


def test_the_newest_page_first_and_every_activity_reachable(client_eng, eng) -> None:
    case = registered_case(priority="P2", now=REGISTERED)
    _grow(case, 2 * TIMELINE_PAGE + 20, author=eng)  # + the registration: 121 activities, 3 pages
    url = reverse("cases:detail", args=[case.number])

    first = client_eng.get(url).content.decode()
    expected_first = [f"nota {i:04d}" for i in range(TIMELINE_PAGE + 21, 2 * TIMELINE_PAGE + 21)]
    assert _notes(first) == expected_first  # the latest 50, oldest of them first
    assert "?timeline=2" in first and "71 más" in first  # "Ver anteriores (71 más)"
    assert "121 actividades" in first

    seen: list[str] = []
    registration_seen = False
    for page in (3, 2, 1):
        html = client_eng.get(url, {"timeline": page}).content.decode()
        seen += _notes(html)
        registration_seen |= "Registro" in html and page == 3
    assert seen == [f"nota {i:04d}" for i in range(1, 2 * TIMELINE_PAGE + 21)]  # each once, in order
    assert registration_seen
    last = client_eng.get(url, {"timeline": 3}).content.decode()
    assert "?timeline=2" in last and "?timeline=4" not in last


def test_attachments_stay_with_their_activity(client_eng, eng) -> None:
    case = registered_case(priority="P2", now=REGISTERED)
    _grow(case, 60, author=eng)
    html = client_eng.get(reverse("cases:detail", args=[case.number])).content.decode()
    note = html[html.index("nota 0049") :]
    assert note.index("registro-0049.log") < note.index("</li>")  # inside that activity's entry
    file = CaseAttachment.objects.get(original_name="registro-0049.log")
    assert reverse("cases:attachment", args=[case.number, file.pk]) in note
    older = client_eng.get(reverse("cases:detail", args=[case.number]), {"timeline": 2}).content.decode()
    assert "registro-0007.log" in older and "registro-0007.log" not in html


@pytest.mark.parametrize("raw", ["abc", "0", "-3", "99999999999", "1.5", "\x00"])
def test_a_bad_page_shows_the_newest_or_the_oldest_not_a_500(client_eng, eng, raw) -> None:
    case = registered_case(priority="P2", now=REGISTERED)
    _grow(case, 70, author=eng)
    response = client_eng.get(reverse("cases:detail", args=[case.number]), {"timeline": raw})
    assert response.status_code == 200
    assert response.context["timeline"].page in (1, 2)


def test_past_the_end_shows_the_oldest_page(client_eng, eng) -> None:
    case = registered_case(priority="P2", now=REGISTERED)
    _grow(case, 70, author=eng)
    response = client_eng.get(reverse("cases:detail", args=[case.number]), {"timeline": 40})
    assert response.context["timeline"].page == 2 and "nota 0001" in response.content.decode()


def test_the_page_costs_the_same_queries_for_3_or_2000_activities(
    client_eng, eng, django_assert_max_num_queries
) -> None:
    short = registered_case(priority="P2", now=REGISTERED)
    _grow(short, 2, author=eng)
    long = registered_case(priority="P2", now=REGISTERED)
    _grow(long, 1999, author=eng)
    client_eng.get(reverse("cases:detail", args=[short.number]))  # warm the SLA snapshot
    with django_assert_max_num_queries(16) as few:
        client_eng.get(reverse("cases:detail", args=[short.number]))
    with django_assert_max_num_queries(16) as many:
        response = client_eng.get(reverse("cases:detail", args=[long.number]))
    with django_assert_max_num_queries(16) as deep:
        client_eng.get(reverse("cases:detail", args=[long.number]), {"timeline": 30})
    assert len(few.captured_queries) == len(many.captured_queries) == len(deep.captured_queries)
    assert len(_notes(response.content.decode())) == TIMELINE_PAGE
