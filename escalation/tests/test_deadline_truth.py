"""Deadline truth (issue 10): an answered case's attention result is history; a reopened case is
watched again; rule edits reach open cases at once; when a deadline moves the watch follows it,
each rule once per deadline, and thresholds a change puts in the past give one notice.

Gold 8x5 is Mon–Fri 07:30–17:30 (10 business hours a day). Tuesday 24 Nov 2026 is an ordinary
business day."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from cases import services as case_services
from cases.models import Case
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.models import AttentionPolicy, Holiday, ServiceCalendar
from escalation import services
from escalation.models import EscalationContact, EscalationRule, Notification

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def fired(case: Case) -> list[tuple[int, datetime]]:
    """(share, deadline) of every rule notification of the case, in the order they were written."""
    return [
        (share, deadline.astimezone(BOGOTA))
        for share, deadline in Notification.objects.filter(case=case, rule__isnull=False)
        .order_by("id")
        .values_list("rule__share_percent", "deadline")
    ]


@pytest.fixture
def follower():
    return engineer(email="camilo@calltechsa.example")


@pytest.fixture
def matrix_emails():
    for number in (2, 3, 4):
        EscalationContact.objects.filter(level__number=number).update(email=f"n{number}@calltechsa.example")


def test_a_holiday_added_after_the_answer_moves_only_the_unanswered_deadline(follower) -> None:
    setup = customer_setup()
    # Gold P3 (16 h) registered Tue 08:00: due Wed 25 at 14:00 (9 h 30 Tue + 6 h 30 Wed).
    answered = registered_case(setup=setup, priority="P3", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    waiting = registered_case(setup=setup, priority="P3", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    case_services.case_log_activity(
        case=answered, actor=follower, kind="phone_call", body="Llamé", now=bog(2026, 11, 24, 8, 30)
    )
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 31))  # the current tables are the baseline

    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.create(calendar=office, date=date(2026, 11, 25), name="Día cívico")
    result = services.deadline_sweep(now=bog(2026, 11, 24, 9, 0))

    assert result.recomputed == 1  # the answered case is not even looked at
    answered.refresh_from_db()
    waiting.refresh_from_db()
    assert answered.attention_due_at == bog(2026, 11, 25, 14, 0) and answered.attention_met is True
    assert answered.first_response_at == bog(2026, 11, 24, 8, 30) and answered.warn_at is None
    assert not answered.activities.filter(kind="deadline_recomputed").exists()
    assert waiting.attention_due_at == bog(2026, 11, 26, 14, 0)  # a day later: Wednesday is closed
    moved = waiting.activities.get(kind="deadline_recomputed")
    assert [datetime.fromisoformat(moved.data[k]) for k in ("from", "to")] == [
        bog(2026, 11, 25, 14, 0),
        bog(2026, 11, 26, 14, 0),
    ]


def test_a_table_edit_after_the_answer_leaves_met_and_breached_alone(follower) -> None:
    setup = customer_setup()
    # Gold P2 (6 h) registered Tue 08:00: due 14:00.
    in_time = registered_case(setup=setup, priority="P2", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    late = registered_case(setup=setup, priority="P1", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    waiting = registered_case(setup=setup, priority="P2", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    case_services.case_log_activity(
        case=in_time, actor=follower, kind="phone_call", body="x", now=bog(2026, 11, 24, 12, 0)
    )
    case_services.case_log_activity(  # P1 due 10:00: answered late
        case=late, actor=follower, kind="email", body="x", now=bog(2026, 11, 24, 11, 0)
    )
    services.deadline_sweep(now=bog(2026, 11, 24, 12, 1))
    gold = {"plan__code": "GOLD_8X5"}
    AttentionPolicy.objects.filter(**gold, priority="P2").update(hours=Decimal("2"))
    AttentionPolicy.objects.filter(**gold, priority="P1").update(hours=Decimal("8"))
    services.deadline_sweep(now=bog(2026, 11, 24, 12, 30))

    for case in (in_time, late, waiting):
        case.refresh_from_db()
    # Under the new table the first would be breached (due 10:00) and the second met (due 16:00).
    assert (in_time.attention_met, in_time.attention_due_at) == (True, bog(2026, 11, 24, 14, 0))
    assert (late.attention_met, late.attention_due_at) == (False, bog(2026, 11, 24, 10, 0))
    assert waiting.attention_due_at == bog(2026, 11, 24, 10, 0)  # unanswered: follows the table
    # Its 75 %, 100 %, 150 % and 200 % all passed with the edit: one notice, the highest.
    assert [share for share, _due in fired(waiting)] == [200]
    assert fired(in_time) == [] and fired(late) == []  # answered before the watch looked


def test_a_reopened_case_closed_before_any_answer_is_warned_again(follower) -> None:
    # Gold P2 registered Tue 08:00: 75 % at 12:30, due 14:00.
    setup = customer_setup()
    original = registered_case(setup=setup, priority="P2", now=bog(2026, 11, 24, 7, 45))
    case = registered_case(setup=setup, priority="P2", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 1))
    case_services.case_close(
        case=case, actor=follower, reason="duplicate", duplicate_of=original, now=bog(2026, 11, 24, 9, 0)
    )
    services.deadline_sweep(now=bog(2026, 11, 24, 12, 30))
    assert fired(case) == []  # closed: not watched

    case_services.case_reopen(
        case=case, actor=follower, reason="No era duplicado", now=bog(2026, 11, 24, 13, 0)
    )
    case.refresh_from_db()
    assert case.warn_at == bog(2026, 11, 24, 13, 0)  # re-armed by the reopening
    services.deadline_sweep(now=bog(2026, 11, 24, 13, 1))
    assert fired(case) == [(75, bog(2026, 11, 24, 14, 0))]  # the warning it missed, once
    services.deadline_sweep(now=bog(2026, 11, 24, 14, 0))
    assert [share for share, _due in fired(case)] == [75, 100]


def test_a_reopening_after_several_thresholds_passed_gives_one_notice(follower) -> None:
    case = registered_case(priority="P1", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))  # due 10:00
    services.deadline_sweep(now=bog(2026, 11, 24, 9, 30))
    assert [share for share, _due in fired(case)] == [75]
    case_services.case_close(case=case, actor=follower, reason="inactivity", now=bog(2026, 11, 24, 9, 40))
    case_services.case_reopen(
        case=case, actor=follower, reason="Volvió a fallar", now=bog(2026, 11, 24, 11, 30)
    )
    services.deadline_sweep(now=bog(2026, 11, 24, 11, 31))
    # 100 % (10:00) and 150 % (11:00) passed while it was closed: only 150 % is sent.
    assert [share for share, _due in fired(case)] == [75, 150]
    note = case.activities.filter(kind="notification").latest("id")
    assert note.data["passed_over"] == [100]
    services.deadline_sweep(now=bog(2026, 11, 24, 12, 0))
    assert [share for share, _due in fired(case)] == [75, 150, 200]


def test_a_new_rule_fires_at_its_own_instant_on_the_next_sweep(follower) -> None:
    # Gold P3 registered Tue 08:00: 25 % at 12:00, 50 % at 16:00, 75 % Wed 10:00.
    case = registered_case(priority="P3", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 1))
    case.refresh_from_db()
    assert case.warn_at == bog(2026, 11, 25, 10, 0)

    admin = engineer(is_superuser=True)
    for share in (25, 50):
        services.escalation_rule_save(
            rule=EscalationRule(name=f"Aviso {share} %", share_percent=share, target="assignee"), actor=admin
        )
    services.deadline_sweep(now=bog(2026, 11, 24, 13, 0))
    assert [share for share, _due in fired(case)] == [25]  # passed already: fired at once
    case.refresh_from_db()
    assert case.warn_at == bog(2026, 11, 24, 16, 0)  # not Wednesday's 75 %
    services.deadline_sweep(now=bog(2026, 11, 24, 16, 0))
    assert [share for share, _due in fired(case)] == [25, 50]
    assert services.deadline_sweep(now=bog(2026, 11, 24, 16, 1)).rearmed == 0  # applied once


def test_a_rule_switched_off_and_a_rule_moved_are_noticed(follower) -> None:
    case = registered_case(priority="P3", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 1))
    warning = EscalationRule.objects.get(share_percent=75)
    warning.share_percent = 60  # Tue 8:00 + 9 h 36 min: Tue 17:36 → Wed 07:36
    warning.save()  # straight in the table, not through the service: still noticed
    assert services.deadline_sweep(now=bog(2026, 11, 24, 8, 2)).rearmed == 1
    case.refresh_from_db()
    assert case.warn_at == bog(2026, 11, 25, 7, 36)
    EscalationRule.objects.filter(share_percent=60).update(is_active=False)
    assert services.deadline_sweep(now=bog(2026, 11, 24, 8, 3)).rearmed == 1
    case.refresh_from_db()
    assert case.warn_at == bog(2026, 11, 25, 14, 0)  # the next active rule: 100 %


def test_a_downgrade_warns_again_at_the_new_75_percent_and_the_new_deadline(follower) -> None:
    case = registered_case(priority="P1", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 9, 30))
    services.deadline_sweep(now=bog(2026, 11, 24, 10, 0))
    old = bog(2026, 11, 24, 10, 0)
    assert fired(case) == [(75, old), (100, old)]

    case_services.case_change_priority(
        case=case, actor=follower, priority="P3", now=bog(2026, 11, 24, 10, 30)
    )
    new = bog(2026, 11, 25, 14, 0)  # 16 h from Tue 08:00
    services.deadline_sweep(now=bog(2026, 11, 24, 10, 31))
    case.refresh_from_db()
    assert case.attention_due_at == new and case.warn_at == bog(2026, 11, 25, 10, 0)  # new 75 %
    assert len(fired(case)) == 2
    services.deadline_sweep(now=bog(2026, 11, 25, 10, 0))
    services.deadline_sweep(now=bog(2026, 11, 25, 14, 0))
    assert fired(case) == [(75, old), (100, old), (75, new), (100, new)]
    notice = Notification.objects.filter(case=case).latest("id")
    assert notice.due_at == new and "25/11/2026 14:00" in notice.body


def test_an_upgrade_past_three_thresholds_sends_one_notice_the_highest(
    follower, matrix_emails, django_capture_on_commit_callbacks
) -> None:
    case = registered_case(priority="P4", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 1))
    # Late in the day it turns out to be a system down: P1 was due at 10:00; 75 % (09:30), 100 %,
    # 150 % (11:00) and 200 % (12:00) are all behind.
    case_services.case_change_priority(case=case, actor=follower, priority="P1", now=bog(2026, 11, 24, 16, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 24, 16, 1))
        services.deadline_sweep(now=bog(2026, 11, 24, 16, 2))
    assert fired(case) == [(200, bog(2026, 11, 24, 10, 0))]
    assert [m.to for m in mail.outbox] == [["n4@calltechsa.example"]]
    case.refresh_from_db()
    assert case.warn_at is None  # nothing left for this deadline


def test_a_sweep_that_ran_late_still_sends_each_threshold_that_came_due(follower) -> None:
    # No change, only a gap (beat stopped): each threshold is owed, as before.
    case = registered_case(priority="P1", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 11, 30))
    assert [share for share, _due in fired(case)] == [75, 100, 150]


def test_a_rule_fires_once_per_deadline() -> None:
    case = registered_case(priority="P1", now=bog(2026, 11, 24, 8, 0))
    rule = EscalationRule.objects.get(share_percent=75)
    values = {"case": case, "rule": rule, "kind": "warning", "subject": "s", "body": "b"}
    at = {"due_at": bog(2026, 11, 24, 9, 30), "created_at": bog(2026, 11, 24, 9, 30)}
    Notification.objects.create(**values, **at, deadline=bog(2026, 11, 24, 10, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**values, **at, deadline=bog(2026, 11, 24, 10, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**values, **at)  # a rule's notice names its deadline
    Notification.objects.create(**values, **at, deadline=bog(2026, 11, 25, 14, 0))  # another deadline
