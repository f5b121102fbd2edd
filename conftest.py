"""Fixtures shared by every app's tests."""

import os

import pytest
import time_machine

from contracts.tests.clock import (
    TEST_HOLIDAY_YEARS,
    TEST_NOW,
    TEST_SETUP_AT,
    load_test_holidays,
    tolerate_libfaketime,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if os.environ.get("FAKETIME"):  # make test-future: the machine's clock moved ahead by libfaketime
    tolerate_libfaketime()


@pytest.fixture(scope="session")
def _session_clock():
    """Outside the tests (creating the test database, starting servers) the clock stands at
    ``TEST_SETUP_AT``, before every instant the tests use: what the migrations write is older than
    what the tests write, whatever the real date."""
    with time_machine.travel(TEST_SETUP_AT, tick=True):
        yield


@pytest.fixture(scope="session")
def django_db_setup(_session_clock, django_db_setup, django_db_blocker):
    """The test database as migrated, with the tests' own holiday years instead of the real clock's."""
    with django_db_blocker.unblock():
        load_test_holidays()


@pytest.fixture(autouse=True)
def clock():
    """Every test owns its clock: it starts at ``TEST_NOW`` and ticks from there, whatever the real
    date (CI also runs the suite with the machine's clock moved ahead). ``clock.move_to(...)`` or
    ``clock.shift(...)`` moves it within a test."""
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_sla_cache():
    """Each test sees the policy and calendars of its own transaction."""
    from contracts import sla

    sla.invalidate()
    yield
    sla.invalidate()


CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("SMA_SCREENSHOTS", "test-artifacts")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, headless, with no background traffic (the machine has no internet)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot_dir():
    from pathlib import Path

    path = Path(SCREENSHOTS)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests flush every table afterwards, seeded reference data included (plans,
    calendars, policy, holidays). Put it back, the same way the data migration wrote it, with the
    tests' own holiday years."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    seed = importlib.import_module("contracts.migrations.0002_seed_calendars_plans_policy")
    seed.seed(apps, None, year=TEST_HOLIDAY_YEARS[0])
    importlib.import_module("contracts.migrations.0003_holiday_years_and_labels").backfill(apps, None)
    load_test_holidays()
    importlib.import_module("escalation.migrations.0002_seed_matrix_and_rules").seed(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached lookups (the case-list filter choices) never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
