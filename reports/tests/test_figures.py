"""The dashboard's aggregates against figures computed by hand on a small fixture."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import ActivityKind, CaseStatus, CloseReason
from cases.tests.factories import CaseFactory, customer_setup, engineer, registered_case
from contracts import sla
from contracts.models import AttentionPolicy
from contracts.tests.clock import TEST_NOW
from reports import selectors
from reports.periods import period, week_starts

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOV = datetime(2026, 11, 10, 9, 0, tzinfo=BOGOTA)  # a Tuesday of last month (TEST_NOW: 2 December)
H = 3600


@pytest.fixture
def november():
    """Seven cases registered in November 2026 on Gold, with their recorded results:

    A P1 met, 1 h to answer, closed after 2 h · B P2 answered late (7 h), closed after 10 h,
    reopened once · C P2 never answered, open, deadline passed · D P3 never answered, closed after
    its deadline · E P3 never answered, closed before its deadline (no result) · F P4 open,
    unanswered, deadline still ahead (no result) · G P3 met, 0.5 h to answer, still open."""
    setup = customer_setup()
    eng = engineer()

    def case(name, priority, *, met=None, answered=None, due_h=16, closed_h=None, status=None, **extra):
        reg = NOV + timedelta(days=len(name))  # distinct registration instants
        return CaseFactory(
            setup=setup,
            subject=name,
            priority=priority,
            assigned_to=eng,
            registered_at=reg,
            attention_due_at=reg + timedelta(hours=due_h),
            first_response_at=reg + timedelta(hours=answered) if answered is not None else None,
            attention_met=met,
            first_response_business_seconds=int(answered * H) if answered is not None else None,
            closed_at=reg + timedelta(hours=closed_h) if closed_h is not None else None,
            status=status or (CaseStatus.CLOSED if closed_h is not None else CaseStatus.IN_PROGRESS),
            **extra,
        )

    far_future = (TEST_NOW - NOV).total_seconds() / H + 24 * 60  # a deadline after TEST_NOW
    return {
        "A": case("A", "P1", met=True, answered=1, due_h=2, closed_h=2, resolution_business_seconds=2 * H),
        "B": case(
            "BB",
            "P2",
            met=False,
            answered=7,
            due_h=6,
            closed_h=10,
            resolution_business_seconds=10 * H,
            reopen_count=1,
        ),
        "C": case("CCC", "P2", due_h=6, status=CaseStatus.NEW),
        "D": case("DDDD", "P3", due_h=16, closed_h=20, resolution_business_seconds=5 * H),
        "E": case("EEEEE", "P3", due_h=16, closed_h=1, resolution_business_seconds=1 * H),
        "F": case("FFFFFF", "P4", due_h=far_future, status=CaseStatus.NEW),
        "G": case("GGGGGGG", "P3", met=True, answered=0.5, due_h=16),
        "eng": eng,
        "setup": setup,
    }


def _figures(filters=None, key="last_month"):
    return selectors.period_figures(
        period=period(key, now=TEST_NOW), filters=filters or selectors.Filters(), now=TEST_NOW
    )


def test_compliance_medians_p90_and_reopen_rate_by_hand(november) -> None:
    total = _figures().total
    assert total.cases == 7
    # met: A, G; breached: B (late), C (open, unanswered, past due), D (closed unanswered after due)
    assert (total.met, total.breached) == (2, 3)
    assert total.compliance == pytest.approx(2 / 5)
    # first responses 0.5 h, 1 h, 7 h: median 1 h; p90 = 1 + 0.8 × (7 − 1) = 5.8 h
    assert total.response_p50 == pytest.approx(1 * H)
    assert total.response_p90 == pytest.approx(5.8 * H)
    # closes 1, 2, 5, 10 h: median 3.5 h; p90 = 5 + 0.7 × (10 − 5) = 8.5 h
    assert total.close_p50 == pytest.approx(3.5 * H)
    assert total.close_p90 == pytest.approx(8.5 * H)
    # closed at least once: A, B, D, E; reopened: B
    assert (total.closed, total.reopened) == (4, 1)
    assert total.reopen_rate == pytest.approx(0.25)


def test_by_priority_by_hand(november) -> None:
    by = {r.key: r for r in _figures().by["priority"]}
    assert (by["P1"].met, by["P1"].breached, by["P1"].compliance) == (1, 0, 1.0)
    assert (by["P2"].met, by["P2"].breached, by["P2"].compliance) == (0, 2, 0.0)
    assert (by["P3"].met, by["P3"].breached, by["P3"].compliance) == (1, 1, 0.5)
    assert (by["P4"].met, by["P4"].breached, by["P4"].compliance) == (0, 0, None)
    # n = 1: the median and the p90 are the one value
    assert by["P1"].response_p50 == by["P1"].response_p90 == pytest.approx(1 * H)
    # n = 0: no median
    assert by["P4"].response_p50 is None and by["P4"].close_p50 is None
    [eng] = _figures().by["engineer"]
    assert (eng.key, eng.label, eng.cases) == (
        november["eng"].pk,
        november["eng"].get_full_name() or november["eng"].username,
        7,
    )
    [customer] = _figures().by["customer"]
    assert customer.label == november["setup"]["customer"].name


def test_no_cases_gives_no_figures(november) -> None:
    total = _figures(selectors.Filters(engineer=november["eng"].pk + 1000)).total
    assert (total.cases, total.met, total.breached) == (0, 0, 0)
    assert total.compliance is None and total.response_p50 is None and total.reopen_rate is None
    assert _figures(key="month").total.cases == 0  # nothing registered in December


def test_filters_narrow_the_figures(november) -> None:
    other = customer_setup()
    CaseFactory(setup=other, priority="P1", registered_at=NOV, attention_met=True, first_response_at=NOV)
    assert _figures().total.cases == 8
    assert _figures(selectors.Filters(customer=november["setup"]["customer"].pk)).total.cases == 7
    assert _figures(selectors.Filters(customer=other["customer"].pk)).total.met == 1


def test_weekly_breaches_by_the_week_of_the_deadline(november) -> None:
    weeks = selectors.weekly_breaches(filters=selectors.Filters(), now=TEST_NOW)
    starts = week_starts(now=TEST_NOW)
    assert [w.start for w in weeks] == starts and len(weeks) == 12
    assert starts[-1] == datetime(2026, 11, 30, tzinfo=BOGOTA)  # weeks from Monday, in Bogotá
    found = {w.start.date(): (w.met, w.breached) for w in weeks if w.met or w.breached}
    expected: dict = {}
    for name, breached in (("A", 0), ("B", 1), ("C", 1), ("D", 1), ("G", 0)):
        due = november[name].attention_due_at.astimezone(BOGOTA).date()
        monday = due - timedelta(days=due.weekday())
        met, br = expected.get(monday, (0, 0))
        expected[monday] = (met + (1 - breached), br + breached)
    assert found == expected


def test_backlog_age_buckets(november) -> None:
    # Open: C (registered 13 Nov), F (16 Nov), G (17 Nov): all older than 7 days on 2 December.
    ages = selectors.backlog_ages(filters=selectors.Filters(), now=TEST_NOW)
    assert ages == {"lt1d": 0, "1to3d": 0, "3to7d": 0, "7to30d": 3, "gt30d": 0}
    CaseFactory(setup=november["setup"], registered_at=TEST_NOW - timedelta(hours=5))
    CaseFactory(setup=november["setup"], registered_at=TEST_NOW - timedelta(days=40))
    ages = selectors.backlog_ages(filters=selectors.Filters(), now=TEST_NOW)
    assert ages == {"lt1d": 1, "1to3d": 0, "3to7d": 0, "7to30d": 3, "gt30d": 1}


def test_now_counters_match_the_case_list_filters(november) -> None:
    figures = selectors.now_figures(filters=selectors.Filters(), now=TEST_NOW)
    # open: C, F, G; unanswered: C, F; breached now: C (unanswered past due); B is closed
    assert (figures.open, figures.unanswered, figures.breached) == (3, 2, 1)
    from cases.selectors import CaseFilters, case_queryset

    for sla_filter, expected in (("breached", 1), ("unanswered", 2), ("at_risk", figures.at_risk)):
        qs = case_queryset(filters=CaseFilters(status="open", sla=sla_filter), user_id=None, now=TEST_NOW)
        assert qs.count() == expected
    [row] = figures.workload
    assert (row["n"], row["unanswered"], row["breached"]) == (3, 2, 1)


def test_the_service_records_business_time_to_answer_and_to_close() -> None:
    eng = engineer()
    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=BOGOTA)  # Gold 8x5, 07:30-17:30
    case = registered_case(actor=eng, now=tuesday, priority="P2")
    services.case_log_activity(
        case=case, actor=eng, kind=ActivityKind.PHONE_CALL, body="Llamada", now=tuesday + timedelta(hours=2.5)
    )
    services.case_propose_solution(
        case=case,
        actor=eng,
        solution_kind="procedure",
        solution="Reiniciar",
        now=tuesday + timedelta(hours=3),
    )
    wednesday_9 = datetime(2026, 11, 25, 9, 0, tzinfo=BOGOTA)
    services.case_close(case=case, actor=eng, reason=CloseReason.INACTIVITY, now=wednesday_9)
    case.refresh_from_db()
    assert case.first_response_business_seconds == int(2.5 * H)
    assert case.resolution_business_seconds == 10 * H  # 8.5 h on Tuesday + 1.5 h on Wednesday
    services.case_reopen(case=case, actor=eng, reason="Volvió a fallar", now=wednesday_9 + timedelta(hours=1))
    case.refresh_from_db()
    assert (case.reopen_count, case.resolution_business_seconds) == (1, None)


def test_a_past_month_is_unchanged_after_an_attention_table_edit() -> None:
    eng = engineer()
    setup = customer_setup()
    monday = datetime(2026, 11, 17, 9, 0, tzinfo=BOGOTA)  # a Tuesday (the 16th is a holiday)
    on_time = registered_case(actor=eng, setup=setup, now=monday, priority="P2")  # 6 h: 15:00
    late = registered_case(actor=eng, setup=setup, now=monday, priority="P1")  # 2 h: 11:00
    unanswered = registered_case(actor=eng, setup=setup, now=monday, priority="P1")
    for case in (on_time, late):
        services.case_log_activity(
            case=case,
            actor=eng,
            kind=ActivityKind.PHONE_CALL,
            body="Llamada",
            now=monday + timedelta(hours=4),
        )
    before = _figures()
    assert (before.total.met, before.total.breached) == (1, 2)
    AttentionPolicy.objects.filter(plan__code="GOLD_8X5", priority="P1").update(hours=Decimal("8"))
    AttentionPolicy.objects.filter(plan__code="GOLD_8X5", priority="P2").update(hours=Decimal("1"))
    sla.invalidate()
    services.cases_recompute_deadlines(now=TEST_NOW)
    after = _figures()
    assert (after.total.met, after.total.breached, after.total.response_p50) == (
        before.total.met,
        before.total.breached,
        before.total.response_p50,
    )
    unanswered.refresh_from_db()
    assert unanswered.first_response_at is None  # still breached: its deadline is long past


def test_backfill_fills_the_business_durations_of_older_cases() -> None:
    from django.core.management import call_command

    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=BOGOTA)
    old = CaseFactory(
        priority="P2",
        registered_at=tuesday,
        first_response_at=tuesday + timedelta(hours=2.5),
        attention_met=True,
        closed_at=datetime(2026, 11, 25, 9, 0, tzinfo=BOGOTA),
        status=CaseStatus.CLOSED,
    )
    call_command("backfill_case_durations")  # a dry run writes nothing
    old.refresh_from_db()
    assert old.first_response_business_seconds is None
    call_command("backfill_case_durations", "--for-real")
    old.refresh_from_db()
    assert (old.first_response_business_seconds, old.resolution_business_seconds) == (int(2.5 * H), 10 * H)


def test_the_daily_snapshot_of_a_long_period_equals_the_live_figures(november, client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cases.tests.factories import manager
    from reports.models import PeriodSnapshot
    from reports.services import period_snapshots_refresh

    live = _figures(key="year")
    assert live.total.cases == 7
    period_snapshots_refresh(now=TEST_NOW)
    period_snapshots_refresh(now=TEST_NOW)  # again the same day: replaced, not doubled
    assert PeriodSnapshot.objects.count() == 3
    weeks_live = selectors.weekly_breaches(filters=selectors.Filters(), now=TEST_NOW)
    assert selectors.weekly_breaches_for_page(filters=selectors.Filters(), now=TEST_NOW) == weeks_live
    stored = selectors.period_figures_for_page(
        period=period("year", now=TEST_NOW), filters=selectors.Filters(), now=TEST_NOW
    )
    assert stored == live
    client.force_login(manager())
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("reports:dashboard"), {"period": "year"}).content.decode()
    assert not any("percentile_cont" in q["sql"] for q in ctx.captured_queries)
    assert "40,0 %" in body  # 2 met of 5 judged, as computed live
    # a filtered view is computed live
    filtered = selectors.period_figures_for_page(
        period=period("year", now=TEST_NOW),
        filters=selectors.Filters(engineer=november["eng"].pk),
        now=TEST_NOW,
    )
    assert filtered.total.cases == 7
