"""Who gets into the dashboard, what it shows, and its exports (equal to the screen, formulas
neutralised, the period's cases streamed)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import CaseStatus
from cases.tests.factories import CaseFactory, customer_setup, engineer, manager, staff_user
from contracts.models import Customer
from contracts.tests.clock import TEST_NOW
from sma import roles

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
DASHBOARD = reverse("reports:dashboard")


def _cases():
    setup = customer_setup()
    eng = engineer(first_name="Laura", last_name="Gómez")
    reg = TEST_NOW - timedelta(hours=30)
    CaseFactory(
        setup=setup,
        priority="P1",
        registered_at=reg,
        attention_due_at=reg + timedelta(hours=2),
        status=CaseStatus.NEW,
        assigned_to=eng,
    )  # breached, open, unanswered
    CaseFactory(
        setup=setup,
        priority="P2",
        registered_at=reg,
        attention_due_at=reg + timedelta(hours=6),
        first_response_at=reg + timedelta(hours=1),
        attention_met=True,
        first_response_business_seconds=3600,
        status=CaseStatus.IN_PROGRESS,
        assigned_to=eng,
    )
    return setup, eng


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("engineer", 403),
        ("manager", 200),
        ("admin", 200),
        ("superuser", 200),
        ("plain", 403),
    ],
)
def test_only_managers_and_admins_get_in(client, who, status) -> None:
    if who == "engineer":
        client.force_login(engineer())
    elif who == "manager":
        client.force_login(manager())
    elif who == "admin":
        client.force_login(staff_user(roles.ADMIN))
    elif who == "superuser":
        client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    elif who == "plain":  # e.g. a customer's contact: no staff role
        client.force_login(User.objects.create_user("contacto", "c@example.com", "x"))
    for url in (DASHBOARD, reverse("reports:export", args=["by_priority", "csv"])):
        response = client.get(url)
        assert response.status_code == status, url


def test_navbar_and_home_link_the_dashboard_for_managers_only(client) -> None:
    client.force_login(manager())
    assert DASHBOARD in client.get(reverse("home")).content.decode()
    client.force_login(engineer())
    assert DASHBOARD not in client.get(reverse("home")).content.decode()


def test_dashboard_shows_counters_linked_to_the_case_list(client) -> None:
    setup, eng = _cases()
    client.force_login(manager())
    body = client.get(DASHBOARD).content.decode()
    assert 'href="/casos/?status=open&amp;sla=breached"' in body
    assert 'data-testid="now-breached"' in body
    assert "Laura Gómez" in body
    assert "<svg" in body
    filtered = client.get(DASHBOARD, {"customer": setup["customer"].pk, "engineer": eng.pk}).content.decode()
    assert f"customer={setup['customer'].pk}" in filtered and f"assignee={eng.pk}" in filtered


def test_dashboard_queries_are_bounded(client) -> None:
    _cases()
    client.force_login(manager())
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    for _ in range(5):
        _cases()
    with CaptureQueriesContext(connection) as many:
        client.get(DASHBOARD)
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


def _screen_table(body: str, key: str) -> list[list[str]]:
    import re

    table = body.split(f'data-table="{key}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


def test_csv_and_xlsx_equal_the_screen(client) -> None:
    _cases()
    client.force_login(manager())
    body = client.get(DASHBOARD).content.decode()
    for key in ("by_priority", "workload", "backlog", "weeks"):
        screen = _screen_table(body, key)
        response = client.get(reverse("reports:export", args=[key, "csv"]))
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        exported = [[c if c else "—" for c in row] for row in csv.reader(io.StringIO(text))]
        localised = [[c.replace(",", ".") for c in row] for row in screen]
        assert exported[0] == screen[0] and exported[1:] == localised[1:], key
        xlsx = client.get(reverse("reports:export", args=[key, "xlsx"]))
        sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        cells = [["—" if v is None else _num(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert cells[0] == screen[0] and cells[1:] == [[_num(c) for c in row] for row in localised[1:]], key


def _num(value):
    """A number as a number whatever its spelling (an XLSX cell 0.0 reads back as 0)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def test_exported_cells_that_look_like_formulas_are_neutralised(client) -> None:
    setup = customer_setup()
    Customer.objects.filter(pk=setup["customer"].pk).update(name='=HYPERLINK("http://x","y")')
    for name in ("+sum", "-1+1", "@cmd"):
        CaseFactory(setup=customer_setup(), registered_at=TEST_NOW - timedelta(hours=1))
        Customer.objects.filter(pk=Customer.objects.latest("pk").pk).update(name=name)
    CaseFactory(setup=setup, registered_at=TEST_NOW - timedelta(hours=1))
    client.force_login(manager())
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("reports:export", args=["by_customer", fmt]))
        content = b"".join(response.streaming_content)
        if fmt == "csv":
            names = [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:]
        else:
            names = [row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)][
                1:
            ]
        assert sorted(names) == sorted(['\'=HYPERLINK("http://x","y")', "'+sum", "'-1+1", "'@cmd"]), fmt


def test_the_cases_of_the_period_are_streamed(client) -> None:
    _cases()
    client.force_login(manager())
    response = client.get(reverse("reports:export", args=["cases", "csv"]))
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    results = sorted(r[11] for r in rows[1:])
    assert results == ["cumplido", "incumplido"] or results == ["breached", "met"]
    xlsx = client.get(reverse("reports:export", args=["cases", "xlsx"]))
    assert xlsx.streaming and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unknown_export_is_a_404(client) -> None:
    client.force_login(manager())
    assert client.get(reverse("reports:export", args=["secrets", "csv"])).status_code == 404
    assert client.get(reverse("reports:export", args=["backlog", "pdf"])).status_code == 404


def test_engineer_home_shows_their_own_counters(client) -> None:
    setup, eng = _cases()
    CaseFactory(
        setup=setup, priority="P3", registered_at=TEST_NOW - timedelta(hours=1), status=CaseStatus.NEW
    )
    client.force_login(eng)
    body = client.get(reverse("home")).content.decode()
    import re

    values = dict(re.findall(r'data-testid="mine-(\w+)".*?sma-stat-value">(\d+)<', body, re.S))
    assert values == {"open": "2", "unanswered": "1", "at_risk": "0", "breached": "1"}
    assert "assignee=me" in body


def test_a_closed_case_never_answered_does_not_read_as_met() -> None:
    from cases.selectors import countdowns

    setup = customer_setup()
    reg = datetime(2026, 11, 24, 9, 0, tzinfo=BOGOTA)
    late = CaseFactory(
        setup=setup,
        registered_at=reg,
        attention_due_at=reg + timedelta(hours=2),
        closed_at=reg + timedelta(hours=5),
        status=CaseStatus.CLOSED,
    )
    early = CaseFactory(
        setup=setup,
        registered_at=reg,
        attention_due_at=reg + timedelta(hours=2),
        closed_at=reg + timedelta(hours=1),
        status=CaseStatus.CLOSED,
    )
    states = countdowns([late, early], now=TEST_NOW)
    assert (states[late.pk].state, states[early.pk].state) == ("closed_breached", "no_answer")
