"""The tests' own clock and calendar data, the same whatever day the suite runs on.

Every test starts at ``TEST_NOW`` (the root ``conftest.py`` travels there and lets the clock tick), so
the product's own reads of "now" and "today" — views, services called without ``now=``, the
contract-in-force check — see 2026 like the fixed instants the tests pass. The holidays of
``TEST_HOLIDAY_YEARS`` replace the ones the seed migration loaded for the real current year.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")

# A Wednesday in office hours, no holiday near it, after the fixed instants the tests register cases at.
TEST_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA)
TEST_TODAY: date = TEST_NOW.date()

# Where the clock stands while the test database is created: before every instant the tests use.
TEST_SETUP_AT = datetime(2025, 1, 1, 0, 0, tzinfo=BOGOTA)

# The years the tests' instants fall in.
TEST_HOLIDAY_YEARS = (2026, 2027)


def load_test_holidays() -> None:
    """Give every calendar that follows a country the public holidays of ``TEST_HOLIDAY_YEARS``, and
    no others."""
    from contracts.models import Holiday, HolidayYear, ServiceCalendar
    from contracts.services import holidays_load

    for calendar in ServiceCalendar.objects.exclude(holiday_country=""):
        Holiday.objects.filter(calendar=calendar).delete()
        HolidayYear.objects.filter(calendar=calendar).delete()
        holidays_load(calendar=calendar, years=TEST_HOLIDAY_YEARS)


def tolerate_libfaketime() -> None:
    """Under Debian's libfaketime (``make test-future``) a timed wait that nothing ends never returns:
    libfaketime 0.9.10 moves the monotonic clock but not the deadlines of ``sem_clockwait``, which
    CPython's ``lock.acquire(timeout=...)`` uses. Condition.wait (and so Event.wait, Barrier.wait,
    queue.get with a timeout) then polls its lock in short sleeps instead, which libfaketime
    handles. Only the moved-clock run is patched; a normal run keeps CPython's own waits."""
    import threading
    import time

    def acquire_within(lock: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        delay = 0.0005
        while not lock.acquire(False):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.01)
        return True

    def wait(self: Any, timeout: float | None = None) -> bool:  # CPython 3.11's Condition.wait
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = threading._allocate_lock()  # type: ignore[attr-defined]
        waiter.acquire()
        self._waiters.append(waiter)
        saved_state = self._release_save()
        gotit = False
        try:
            if timeout is None:
                waiter.acquire()
                gotit = True
            else:
                gotit = acquire_within(waiter, timeout) if timeout > 0 else waiter.acquire(False)
            return gotit
        finally:
            self._acquire_restore(saved_state)
            if not gotit:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass

    threading.Condition.wait = wait  # type: ignore[method-assign]
