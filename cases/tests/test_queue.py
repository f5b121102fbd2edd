"""The open queue shows urgency: unanswered cases first by deadline, "at risk" coloured (the
threshold is the deadline watch's first warning rule, one editable value), searches that cannot be
made are said so."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors
from cases.models import Case, CaseStatus

from .factories import CaseFactory, customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=BOGOTA)  # a Tuesday, office hours
LIST = reverse("cases:list")


@pytest.fixture
def client_eng(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the view's clock is the test's
    client.force_login(engineer())
    return client


def _queue_cases() -> dict[str, Case]:
    setup = customer_setup()

    def case(name: str, due_hours: float | None, answered: bool, **extra) -> Case:
        due = NOW + timedelta(hours=due_hours) if due_hours is not None else None
        return CaseFactory(
            setup=setup,
            subject=name,
            registered_at=NOW - timedelta(days=1),
            attention_due_at=due,
            priority="P2" if due is not None else "",
            first_response_at=NOW - timedelta(hours=1) if answered else None,
            attention_met=True if answered else None,
            status=CaseStatus.CLOSED
            if "closed_at" in extra
            else (CaseStatus.IN_PROGRESS if answered else CaseStatus.NEW),
            **extra,
        )

    return {
        "answered soon": case("answered soon", -3, True),
        "unanswered late": case("unanswered late", 6, False),
        "unanswered breached": case("unanswered breached", -1, False),
        "answered late": case("answered late", 9, True),
        "unanswered soon": case("unanswered soon", 2, False),
        "no priority": case("no priority", None, False),
        "closed": case("closed", -5, False, closed_at=NOW),
    }


EXPECTED = [
    "unanswered breached",
    "unanswered soon",
    "unanswered late",
    "no priority",  # unanswered, no deadline yet: after the dated ones
    "answered soon",
    "answered late",
]


def test_open_queue_puts_unanswered_cases_first_by_deadline_then_the_answered(client_eng) -> None:
    _queue_cases()
    shown = [c.subject for c in client_eng.get(LIST).context["cases"]]
    assert shown == EXPECTED


def test_open_queue_order_is_the_same_when_many_match(client_eng, monkeypatch) -> None:
    """Past the count cap the page is read in the index's order (not sorted in Python)."""
    _queue_cases()
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    response = client_eng.get(LIST, {"per_page": 25})
    assert response.context["capped"]
    assert [c.subject for c in response.context["cases"]] == EXPECTED


def test_open_queue_order_is_sql_on_the_partial_index_columns() -> None:
    sql = str(selectors.case_queryset(filters=selectors.CaseFilters(), user_id=None, now=NOW).query)
    order = sql[sql.index("ORDER BY") :]
    assert '"first_response_at" IS NOT NULL' in order
    assert order.index("IS NOT NULL") < order.index('"attention_due_at" ASC') < order.index('"id" ASC')


def test_other_statuses_keep_their_sorts(client_eng) -> None:
    cases = _queue_cases()
    shown = [c.subject for c in client_eng.get(LIST, {"sort": "due"}).context["cases"]]
    assert shown[0] == "answered soon"  # plain deadline order when asked
    newest = [c.pk for c in client_eng.get(LIST, {"status": "all"}).context["cases"]]
    assert newest == sorted(c.pk for c in cases.values())[::-1]


# --- at risk ---------------------------------------------------------------------------------------


def test_at_risk_cases_are_coloured_in_the_list_and_on_the_detail(client_eng) -> None:
    setup = customer_setup()
    risky = CaseFactory(
        setup=setup,
        subject="en riesgo",
        priority="P2",
        registered_at=NOW - timedelta(hours=2),
        attention_at_risk_at=NOW - timedelta(minutes=5),
        attention_due_at=NOW + timedelta(minutes=30),
    )
    calm = CaseFactory(
        setup=setup,
        subject="tranquilo",
        priority="P2",
        registered_at=NOW - timedelta(minutes=10),
        attention_at_risk_at=NOW + timedelta(hours=3),
        attention_due_at=NOW + timedelta(hours=4),
    )
    body = client_eng.get(LIST).content.decode()
    risky_row = body[body.index(risky.number) - 200 : body.index("en riesgo</div>")]
    calm_row = body[body.index(calm.number) - 200 : body.index("tranquilo</div>")]
    assert '<tr class="sma-row-at-risk">' in risky_row
    assert "sma-row-at-risk" not in calm_row
    assert "sma-countdown-at_risk" in body and "en riesgo: vence en" in body

    detail = client_eng.get(reverse("cases:detail", args=[risky.number]))
    assert detail.context["countdown"].state == "at_risk"
    assert detail.context["sla"].at_risk
    html = detail.content.decode()
    assert "sma-sla-at_risk" in html and "bg-warning" in html
    calm_detail = client_eng.get(reverse("cases:detail", args=[calm.number]))
    assert calm_detail.context["countdown"].state == "pending"
    assert not calm_detail.context["sla"].at_risk


def test_at_risk_threshold_is_the_first_warning_rule_and_follows_its_edits() -> None:
    """One source: editing the warning rule moves the at-risk threshold, and the deadline watch's
    recompute (the SLA revision moved) gives open unanswered cases their new at-risk instant."""
    from contracts import sla
    from contracts.models import SlaSettings
    from escalation import services as escalation_services
    from escalation.models import EscalationRule

    warning = EscalationRule.objects.get(share_percent=75)
    assert SlaSettings.objects.get().at_risk_percent == 75
    registered = datetime(2026, 11, 24, 8, 0, tzinfo=BOGOTA)
    case = registered_case(priority="P1", now=registered)  # Gold P1: 2 business hours
    answered = registered_case(priority="P1", now=registered)
    Case.objects.filter(pk=answered.pk).update(first_response_at=registered + timedelta(minutes=10))
    assert case.attention_at_risk_at == datetime(2026, 11, 24, 9, 30, tzinfo=BOGOTA)  # 75 % of 2 h
    escalation_services.deadlines_follow_sla_edits(now=NOW)  # the current revision is recorded

    warning.share_percent = 50
    escalation_services.escalation_rule_save(rule=warning, actor=None)
    assert SlaSettings.objects.get().at_risk_percent == 50
    assert sla.snapshot().at_risk_share == 0.5

    moved = escalation_services.deadlines_follow_sla_edits(now=NOW)
    assert moved >= 1
    case.refresh_from_db()
    assert case.attention_at_risk_at == datetime(2026, 11, 24, 9, 0, tzinfo=BOGOTA)  # 50 % of 2 h
    assert case.attention_due_at == datetime(2026, 11, 24, 10, 0, tzinfo=BOGOTA)  # deadline unchanged
    assert not case.activities.filter(kind="deadline_recomputed").exists()  # no new deadline to audit

    # A new case takes the new threshold at registration.
    fresh = registered_case(priority="P1", now=registered)
    assert fresh.attention_at_risk_at == datetime(2026, 11, 24, 9, 0, tzinfo=BOGOTA)

    # Deactivating the only warning keeps the last threshold; another warning rule takes over.
    warning.is_active = False
    escalation_services.escalation_rule_save(rule=warning, actor=None)
    assert SlaSettings.objects.get().at_risk_percent == 50
    EscalationRule.objects.create(name="Aviso temprano", share_percent=60, target="assignee")
    escalation_services.escalation_rule_save(rule=EscalationRule.objects.get(share_percent=60), actor=None)
    assert SlaSettings.objects.get().at_risk_percent == 60


def test_the_admin_edit_of_the_warning_rule_moves_the_threshold(admin_client) -> None:
    from contracts.models import SlaSettings
    from escalation.models import EscalationRule

    warning = EscalationRule.objects.get(share_percent=75)
    url = reverse("admin:escalation_escalationrule_change", args=[warning.pk])
    response = admin_client.post(
        url,
        {
            "name": warning.name,
            "share_percent": 80,
            "target": warning.target,
            "level": warning.level_id or "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SlaSettings.objects.get().at_risk_percent == 80


# --- a search that cannot be made --------------------------------------------------------------------


def test_a_too_long_search_is_refused_and_said_so_not_the_whole_list(client_eng) -> None:
    registered_case(now=NOW - timedelta(hours=1))
    text = " ".join(["licencia"] * 120)  # 1,079 characters
    response = client_eng.get(LIST, {"q": text, "status": "all"})
    assert response.status_code == 200
    assert response.context["cases"] == []
    assert response.context["search_refused"]
    body = response.content.decode()
    assert 'data-testid="search-error"' in body
    assert "La búsqueda tiene 1079 caracteres; escriba como máximo 200" in body
    assert "no se buscó nada" in body.lower()


# --- lists over every status at scale: same results through the index-only paths --------------------


def test_a_case_number_being_typed_finds_the_numbers_that_start_so(client_eng) -> None:
    setup = customer_setup()
    old = CaseFactory(
        setup=setup, number="SMA-2023-000338", registered_at=datetime(2023, 6, 1, tzinfo=BOGOTA)
    )
    CaseFactory(setup=setup, number="SMA-2024-000001", registered_at=datetime(2024, 1, 1, tzinfo=BOGOTA))
    new = CaseFactory(setup=setup, number="SMA-2026-000338", registered_at=NOW - timedelta(days=3))

    def found(q: str) -> list[int]:
        return [c.pk for c in client_eng.get(LIST, {"q": q, "status": "all"}).context["cases"]]

    assert found("sma-2023") == [old.pk]
    assert found("SMA-2023-") == [old.pk]
    assert found("2026-") == [new.pk]
    assert len(found("sma-")) == 3
    assert found("sma-2023-338") == [old.pk]  # a whole number, as before
    assert found("sma-2024") != [] and found("sma-9999") == [] and found("sma-0000") == []


@pytest.mark.parametrize("capped", [False, True])
def test_combined_filters_over_every_status_find_the_same_cases_in_order(
    client_eng, monkeypatch, capped
) -> None:
    """priority + plan + customer, and assignee + priority + sla, over all statuses: the page's ids
    come from a covering index (deferred join); results and order are the plain ones."""
    eng = engineer()
    setup = customer_setup()
    other = customer_setup()
    made = []
    for i in range(12):
        made.append(
            CaseFactory(
                setup=setup if i % 3 else other,
                priority=("P1", "P2")[i % 2],
                status=CaseStatus.CLOSED if i % 4 == 0 else CaseStatus.IN_PROGRESS,
                assigned_to=eng if i % 2 else None,
                registered_at=NOW - timedelta(hours=i),
                attention_due_at=NOW - timedelta(hours=i) + timedelta(hours=4),
                first_response_at=NOW - timedelta(hours=i) + timedelta(hours=5 if i % 5 else 1),
                attention_met=not bool(i % 5),
            )
        )
    if capped:
        monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    customer = setup["customer"]
    plan = setup["contract"].plan.code
    expected = [c.pk for c in made if c.customer_id == customer.pk and c.priority == "P2"]
    params = {"status": "all", "priority": "P2", "plan": plan, "customer": customer.pk}
    assert [c.pk for c in client_eng.get(LIST, params).context["cases"]] == expected

    expected = [c.pk for c in made if c.assigned_to_id == eng.pk and c.attention_met is False]
    params = {"status": "all", "priority": "P2", "assignee": eng.pk, "sla": "missed"}
    assert [c.pk for c in client_eng.get(LIST, params).context["cases"]] == expected
    expected = sorted(made, key=lambda c: (c.priority, c.attention_due_at, c.pk))
    shown = client_eng.get(LIST, {"status": "all", "sort": "priority"}).context["cases"]
    assert [c.pk for c in shown] == [c.pk for c in expected]


def test_a_search_with_many_matches_pages_only_the_matching_cases(client_eng, monkeypatch) -> None:
    """Past the count cap the page's ids come from a subquery: the search applies inside it."""
    setup = customer_setup()
    hits = [
        CaseFactory(setup=setup, registered_at=NOW - timedelta(hours=h), subject=f"licencia {h}")
        for h in (1, 3, 50)
    ]
    for m in range(30):  # newer than the last hit, more than a page
        CaseFactory(setup=setup, registered_at=NOW - timedelta(hours=4, minutes=m), subject=f"audio {m}")
    Case.objects.update(search_document=models_search_document())
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    response = client_eng.get(LIST, {"q": "licencia", "status": "all"})
    assert response.context["capped"]
    assert [c.pk for c in response.context["cases"]] == [c.pk for c in hits]


def models_search_document():
    from django.db.models import F
    from django.db.models.functions import Lower

    return Lower(F("subject"))


def test_short_words_followed_by_more_text_are_whole_words(client_eng) -> None:
    """'de' before another word is the word "de" (not every word starting so); the last term is
    still a prefix, and longer words too."""
    from cases.search import tsquery_sql

    setup = customer_setup()
    hit = registered_case(setup=setup, description="Aerolínea de los Llanos: licencias vencidas.")
    registered_case(setup=setup, description="Aerolínea desde los Llanos: licencias vencidas.")

    def found(q: str) -> set[int]:
        return {c.pk for c in client_eng.get(LIST, {"q": q, "status": "all"}).context["cases"]}

    assert found("aerolinea de los llan") == {hit.pk}
    assert len(found("licencia vencida aerolinea de")) == 2  # "de" last: a prefix ("desde")
    assert found("licencia de los llanos") == {hit.pk}  # "licencia" finds "licencias"
    _sql, params = tsquery_sql(["de", "los", "llanos", "lic"])
    assert params == ["'de' & 'los' & 'llanos':* & 'lic':*"]


def test_a_search_with_many_matches_reads_the_page_by_walking_the_sort(client_eng, monkeypatch) -> None:
    """Past the cap, the page query of a search tests the text row by row along the sort's index
    (no GIN bitmap), with the same cases in the same order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    setup = customer_setup()
    hits = [
        registered_case(setup=setup, subject=f"licencia {h}", now=NOW - timedelta(hours=h)) for h in (1, 2, 3)
    ]
    registered_case(setup=setup, subject="otra cosa", now=NOW - timedelta(minutes=30))
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    with CaptureQueriesContext(connection) as ctx:
        response = client_eng.get(LIST, {"q": "licencia", "status": "all"})
    assert [c.pk for c in response.context["cases"]] == [c.pk for c in hits]
    page_sql = next(q["sql"] for q in ctx.captured_queries if "LIMIT 25" in q["sql"])
    count_sql = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))
    assert ") IS TRUE" in page_sql
    # The count reads the GIN index (its search, less the commonest words, is an index condition).
    assert "WHERE (search_tsv @@ cases_search_index_query(" in count_sql
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert sqls[sqls.index(page_sql) - 1] == "SET LOCAL enable_bitmapscan = off"
