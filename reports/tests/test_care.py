"""The period's after-care figures against hand-computed numbers on a small fixture: PQRs by level
reached, survey averages and response rate, RMA deliveries on time, maintenances used vs entitled;
and n = 0 for each."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.models import ActivityKind, CaseActivity, SurveyOwed, SurveyResponse
from cases.tests.factories import CaseFactory, customer_setup, manager
from contracts.tests.clock import TEST_NOW
from escalation.models import EscalationLevel, Pqr
from reports.periods import Period
from reports.selectors import Filters
from reports.selectors_care import care_figures
from warranty.models import MaintenanceTerms, PreventiveMaintenance, Rma, RmaStatus
from warranty.tests.factories import HardwareAssetFactory

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOV = Period("last_month", datetime(2026, 11, 1, tzinfo=BOGOTA), datetime(2026, 12, 1, tzinfo=BOGOTA))
# Up to TEST_NOW, for the RMAs whose deadline is still ahead.
NOV_TO_NOW = Period("month", datetime(2026, 11, 1, tzinfo=BOGOTA), TEST_NOW)
IN_NOV = datetime(2026, 11, 10, 9, 0, tzinfo=BOGOTA)
IN_OCT = datetime(2026, 10, 20, 9, 0, tzinfo=BOGOTA)


def _pqr(setup, at, level, status=Pqr.Status.OPEN):
    case = CaseFactory(setup=setup, registered_at=at)
    return Pqr.objects.create(
        case=case,
        kind=Pqr.Kind.COMPLAINT,
        description="Queja",
        contact=setup["requester"],
        raised_at=at,
        level=EscalationLevel.objects.get(number=level),
        status=status,
    )


def _survey(setup, sent_at, ratings=None):
    case = CaseFactory(setup=setup, registered_at=(sent_at or IN_NOV) - timedelta(days=2))
    closure = CaseActivity.objects.create(case=case, kind=ActivityKind.CLOSURE, created_at=case.registered_at)
    survey = SurveyOwed.objects.create(
        case=case, closure=closure, contact=setup["requester"], created_at=case.registered_at, sent_at=sent_at
    )
    if ratings:
        SurveyResponse.objects.create(
            survey=survey,
            case=case,
            contact=setup["requester"],
            answered_at=TEST_NOW - timedelta(hours=1),
            **dict(
                zip(
                    ("attention_time", "technical_knowledge", "courtesy", "solution_quality"),
                    ratings,
                    strict=True,
                )
            ),
        )


def _rma(setup, plan, *, started, due, delivered=None, status=RmaStatus.APPROVED):
    case = CaseFactory(setup=setup, registered_at=started - timedelta(hours=1))
    return Rma.objects.create(
        case=case,
        asset=HardwareAssetFactory(customer=setup["customer"], warranty_plan=plan),
        status=RmaStatus.DELIVERED if delivered else status,
        fault="No enciende",
        warranty_plan=plan,
        delivery_city="Bogotá",
        started_at=started,
        delivery_due_at=due,
        warning_at=started + timedelta(hours=1),
        delivered_at=delivered,
        delivery_met=None if delivered is None else delivered <= due,
        opened_by=manager(),
    )


def _maintenance(setup, year, day):
    case = CaseFactory(setup=setup, registered_at=day)
    PreventiveMaintenance.objects.create(
        contract=setup["contract"],
        case=case,
        installation=setup["installation"],
        scheduled_for=day,
        ends_at=day + timedelta(hours=2),
        support_year=year,
        requested_by=setup["requester"],
        requested_at=day - timedelta(days=10),
    )


@pytest.fixture
def world():
    a, b = customer_setup(), customer_setup()
    # PQRs: in November A has two at N1 (one resolved) and one that climbed to N3; B one at N1.
    _pqr(a, IN_NOV, 1)
    _pqr(a, IN_NOV, 1, status=Pqr.Status.RESOLVED)
    _pqr(a, IN_NOV, 3)
    _pqr(b, IN_NOV, 1)
    _pqr(a, IN_OCT, 2)  # another month
    # Surveys sent in November: A three (two answered), B one unanswered; one sent in October, one
    # never sent.
    _survey(a, IN_NOV, (5, 4, 3, 2))
    _survey(a, IN_NOV, (3, 4, 5, 4))
    _survey(a, IN_NOV)
    _survey(b, IN_NOV)
    _survey(a, IN_OCT, (1, 1, 1, 1))
    _survey(a, None)
    # RMAs started in November: Standard in time, late, overdue (not delivered, deadline passed);
    # Extended still in time; a rejected claim left out. B: one Standard in time.
    _rma(a, "standard", started=IN_NOV, due=IN_NOV + timedelta(days=3), delivered=IN_NOV + timedelta(days=1))
    _rma(a, "standard", started=IN_NOV, due=IN_NOV + timedelta(days=3), delivered=IN_NOV + timedelta(days=4))
    _rma(a, "standard", started=IN_NOV, due=IN_NOV + timedelta(days=3))
    _rma(a, "extended", started=TEST_NOW - timedelta(hours=1), due=TEST_NOW + timedelta(hours=7))
    _rma(a, "extended", started=IN_NOV, due=IN_NOV + timedelta(hours=8), status=RmaStatus.REJECTED)
    _rma(b, "standard", started=IN_NOV, due=IN_NOV + timedelta(days=3), delivered=IN_NOV + timedelta(days=2))
    # Maintenances: A's contract (from 2025-01-01, support year 2 in 2026) entitles 2 + 1 extra;
    # two used this year, one last year. B's: 2, none used.
    MaintenanceTerms.objects.create(contract=a["contract"], extra_per_year=1)
    _maintenance(a, 2, datetime(2026, 3, 10, 9, 0, tzinfo=BOGOTA))
    _maintenance(a, 2, datetime(2026, 9, 10, 9, 0, tzinfo=BOGOTA))
    _maintenance(a, 1, datetime(2025, 6, 10, 9, 0, tzinfo=BOGOTA))
    return a, b


def test_hand_computed_figures(world) -> None:
    a, b = world
    figures = care_figures(period=NOV_TO_NOW, filters=Filters(), now=TEST_NOW)
    assert [(r["level__number"], r["n"], r["open"]) for r in figures.pqr_levels] == [(1, 3, 2), (3, 1, 1)]
    assert (figures.surveys.sent, figures.surveys.answered) == (4, 2)
    assert figures.surveys.response_rate == 0.5
    assert figures.surveys.averages == {
        "attention_time": 4.0,
        "technical_knowledge": 4.0,
        "courtesy": 4.0,
        "solution_quality": 3.0,
    }
    rmas = {r.warranty_plan: r for r in figures.rmas}
    standard, extended = rmas["standard"], rmas["extended"]
    assert (standard.started, standard.on_time, standard.late, standard.overdue, standard.pending) == (
        4,
        2,
        1,
        1,
        0,
    )
    assert standard.on_time_rate == 0.5
    assert (extended.started, extended.on_time, extended.pending, extended.on_time_rate) == (1, 0, 1, None)
    maint = {m.customer_id: m for m in figures.maintenances}
    ma, mb = maint[a["customer"].pk], maint[b["customer"].pk]
    assert (ma.contracts, ma.entitled, ma.used, ma.left) == (1, 3, 2, 1)
    assert (mb.contracts, mb.entitled, mb.used, mb.left) == (1, 2, 0, 2)


def test_filtered_to_one_customer(world) -> None:
    a, _b = world
    figures = care_figures(period=NOV, filters=Filters(customer=a["customer"].pk), now=TEST_NOW)
    assert [(r["level__number"], r["n"]) for r in figures.pqr_levels] == [(1, 2), (3, 1)]
    assert (figures.surveys.sent, figures.surveys.answered) == (3, 2)
    assert round(figures.surveys.response_rate, 4) == 0.6667
    assert [(r.warranty_plan, r.started, r.on_time, r.late, r.overdue) for r in figures.rmas] == [
        ("standard", 3, 1, 1, 1)
    ]
    assert [(m.entitled, m.used) for m in figures.maintenances] == [(3, 2)]


def test_n_zero() -> None:
    empty = Period("last_month", datetime(2026, 6, 1, tzinfo=BOGOTA), datetime(2026, 7, 1, tzinfo=BOGOTA))
    figures = care_figures(period=empty, filters=Filters(), now=TEST_NOW)
    assert figures.pqr_levels == [] and figures.rmas == [] and figures.maintenances == []
    assert (figures.surveys.sent, figures.surveys.answered, figures.surveys.response_rate) == (0, 0, None)
    assert set(figures.surveys.averages.values()) == {None}


def test_the_dashboard_shows_them_and_exports_them(world, client) -> None:
    client.force_login(manager())
    body = client.get(reverse("reports:dashboard"), {"period": "last_month"}).content.decode()
    for key in ("pqr_reached", "surveys", "rma", "maintenance"):
        assert f'data-table="{key}"' in body
    csv = client.get(reverse("reports:export", args=["surveys", "csv"]), {"period": "last_month"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "4.0" in text or "4,0" in text
    assert "50.0" in text or "50,0" in text  # 2 of 4 answered
