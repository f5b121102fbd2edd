"""The attention deadline follows the tables and the priority only until the first response; after
it, the deadline in force then and met/breached are history. Reopening an unanswered case takes
the deadline in force and asks the watch to look again."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Case
from contracts.models import Holiday, ServiceCalendar

from .factories import customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def wednesday_off() -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.create(calendar=office, date=date(2026, 11, 25), name="Día cívico")


@pytest.fixture
def eng():
    return engineer()


def test_the_first_response_keeps_the_deadline_in_force_then(eng) -> None:
    # Gold P3 registered Tue 24 at 08:00: due Wed 14:00. A holiday is added on Wednesday and the
    # engineer answers Thu 10:00 before the watch applied the edit: in time for the real deadline.
    case = registered_case(priority="P3", now=bog(2026, 11, 24, 8, 0))
    wednesday_off()
    services.case_log_activity(
        case=case, actor=eng, kind="phone_call", body="x", now=bog(2026, 11, 26, 10, 0)
    )
    case.refresh_from_db()
    assert case.attention_due_at == bog(2026, 11, 26, 14, 0) and case.attention_met is True
    moved = case.activities.get(kind="deadline_recomputed")
    assert datetime.fromisoformat(moved.data["to"]) == bog(2026, 11, 26, 14, 0)


def test_recomputing_after_an_sla_edit_skips_answered_cases(eng) -> None:
    setup = customer_setup()
    answered = registered_case(setup=setup, priority="P3", now=bog(2026, 11, 24, 8, 0))
    waiting = registered_case(setup=setup, priority="P3", now=bog(2026, 11, 24, 8, 0))
    services.case_log_activity(case=answered, actor=eng, kind="email", body="x", now=bog(2026, 11, 24, 9, 0))
    wednesday_off()
    assert services.cases_recompute_deadlines(now=bog(2026, 11, 24, 9, 30)) == 1
    answered.refresh_from_db()
    waiting.refresh_from_db()
    assert answered.attention_due_at == bog(2026, 11, 25, 14, 0) and answered.attention_met is True
    assert waiting.attention_due_at == bog(2026, 11, 26, 14, 0)
    assert waiting.warn_at == bog(2026, 11, 24, 9, 30)  # the watch looks again


def test_reopening_an_unanswered_case_takes_the_deadline_in_force_and_rearms_the_watch(eng) -> None:
    case = registered_case(priority="P3", now=bog(2026, 11, 24, 8, 0))
    services.case_close(case=case, actor=eng, reason="inactivity", now=bog(2026, 11, 24, 9, 0))
    wednesday_off()  # while it was closed: no recomputation reached it
    services.case_reopen(case=case, actor=eng, reason="Sigue fallando", now=bog(2026, 11, 24, 10, 0))
    case.refresh_from_db()
    assert case.attention_due_at == bog(2026, 11, 26, 14, 0)
    assert case.warn_at == bog(2026, 11, 24, 10, 0)
    reopening = case.activities.get(kind="reopening")
    assert datetime.fromisoformat(reopening.data["deadline"]["to"]) == bog(2026, 11, 26, 14, 0)


def test_reopening_an_answered_case_keeps_its_result_and_the_watch_off(eng) -> None:
    case = registered_case(priority="P1", now=bog(2026, 11, 24, 8, 0))
    services.case_log_activity(
        case=case, actor=eng, kind="phone_call", body="x", now=bog(2026, 11, 24, 11, 0)
    )
    services.case_close(case=case, actor=eng, reason="inactivity", now=bog(2026, 11, 24, 12, 0))
    services.case_reopen(case=case, actor=eng, reason="Otra vez", now=bog(2026, 11, 25, 8, 0))
    case.refresh_from_db()
    assert case.attention_due_at == bog(2026, 11, 24, 10, 0) and case.attention_met is False
    assert case.warn_at is None
    assert "deadline" not in case.activities.get(kind="reopening").data


def test_watching_again_arms_only_open_unanswered_cases_and_keeps_earlier_instants(eng) -> None:
    setup = customer_setup()
    at = {"setup": setup, "now": bog(2026, 11, 24, 8, 0)}
    later = registered_case(**at, priority="P3")
    earlier = registered_case(**at, priority="P3")
    done = registered_case(**at, priority="P3")
    answered = registered_case(**at, priority="P3")
    unset = registered_case(**at, priority="", channel="email")
    Case.objects.filter(pk=later.pk).update(warn_at=bog(2026, 11, 25, 10, 0))
    Case.objects.filter(pk=earlier.pk).update(warn_at=bog(2026, 11, 24, 8, 30))
    Case.objects.filter(pk=done.pk).update(warn_at=None)  # every rule fired
    services.case_log_activity(case=answered, actor=eng, kind="email", body="x", now=bog(2026, 11, 24, 8, 10))
    now = bog(2026, 11, 24, 9, 0)
    assert services.cases_watch_again(now=now) == 2
    warn = dict(Case.objects.values_list("pk", "warn_at"))
    assert warn[later.pk] == now and warn[done.pk] == now
    assert warn[earlier.pk] == bog(2026, 11, 24, 8, 30)
    assert warn[answered.pk] is None and warn[unset.pk] is None
