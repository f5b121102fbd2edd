"""Reading and writing cases through the API: the desk's rules, filters and audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import ActivityKind, Case, CaseStatus, Channel, RefusedRequest
from cases.services import no_contract_message
from cases.tests.factories import CaseFactory, customer_setup, engineer, registered_case
from contracts.tests.factories import InstallationFactory, platinum_plan

from .conftest import ApiClient

pytestmark = pytest.mark.django_db
CASES = reverse("api:cases")


def _request(setup, **overrides):
    body = {
        "customer": setup["customer"].customer_number,
        "requester_email": setup["requester"].email,
        "installation": setup["installation"].pk,
        "priority": "P2",
        "subject": "La grabación se detiene",
        "description": "Error 0x80040154 al iniciar el servicio de grabación.",
    }
    body.update(overrides)
    return body


def test_register_a_case_and_read_it_back(writer, write_key) -> None:
    setup = customer_setup()
    response = writer.post(CASES, _request(setup))
    assert response.status_code == 201, response.json()
    created = response.json()
    case = Case.objects.get(number=created["number"])
    assert response["Location"].endswith(f"/api/v1/cases/{case.number}/")
    assert case.channel == Channel.API and case.registered_by is None
    assert case.priority == "P2" and case.attention_due_at is not None
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    assert registration.data["api_key"] == "CRM Ventas"
    assert registration.data["api_key_prefix"] == write_key[0].prefix

    read = writer.get(reverse("api:case", args=[case.number]))
    assert read.status_code == 200
    body = read.json()
    assert body == created
    assert body["customer_number"] == setup["customer"].customer_number
    assert body["requester_email"] == setup["requester"].email
    assert body["channel"] == "api" and body["status"] == CaseStatus.NEW
    assert body["activities"][0]["kind"] == "registration"
    assert body["activities"][0]["api_key"] == "CRM Ventas"
    assert "Integración (API REST)" in body["activities"][0]["body"]


def test_an_expired_contract_is_refused_with_the_services_message(writer) -> None:
    expired = customer_setup(start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
    response = writer.post(CASES, _request(expired))
    assert response.status_code == 400
    name = expired["customer"].name
    assert response.json() == {
        "error": "no_contract",
        "detail": (
            f"{name} no tiene un contrato de soporte vigente, así que la solicitud no puede "
            "atenderse. Escriba a comercial@calltechsa.com para renovarlo."
        ),
    }
    with translation.override("es-co"):
        assert response.json()["detail"] == no_contract_message(expired["customer"])
    refusal = RefusedRequest.objects.get()
    assert refusal.channel == Channel.API and refusal.reason == "no_contract"
    assert not Case.objects.exists()


def test_an_unlicensed_product_is_refused_in_english_on_request(write_key) -> None:
    setup = customer_setup()
    other = InstallationFactory()  # another company's installation
    response = ApiClient(write_key[1], language="en").post(CASES, _request(setup, installation=other.pk))
    assert response.status_code == 400
    assert response.json() == {
        "error": "not_licensed",
        "detail": f"{other.product.name} is not licensed by {setup['customer'].name}".removesuffix(".") + ".",
    }
    assert response["Content-Language"] == "en"


def test_the_services_own_checks_and_unknown_references(writer) -> None:
    setup = customer_setup()
    no_priority = writer.post(CASES, _request(setup, priority=""))
    assert no_priority.status_code == 400
    assert no_priority.json() == {
        "error": "no_priority",
        "detail": "Asigne la prioridad: fija el tiempo de atención.",
    }
    unknown = writer.post(CASES, _request(setup, customer="99999999", installation=10**9))
    assert unknown.status_code == 400
    fields = unknown.json()["fields"]
    assert set(fields) == {"customer"}
    stranger = writer.post(CASES, _request(setup, requester_email="nadie@otra.example"))
    assert stranger.status_code == 400 and "requester_email" in stranger.json()["fields"]
    missing = writer.post(CASES, {"subject": "x"})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid"
    assert {"customer", "requester_email", "installation", "description"} <= set(missing.json()["fields"])
    assert not Case.objects.exists()


def test_add_an_activity_audited_with_the_keys_name(writer, reader) -> None:
    case = registered_case()
    url = reverse("api:case_activities", args=[case.number])
    response = writer.post(
        url,
        {"kind": "phone_call", "body": "Se llamó al cliente; se reinició el servicio.", "minutes_spent": 25},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["api_key"] == "CRM Ventas" and response.json()["is_public"] is True
    case.refresh_from_db()
    assert case.first_response_at is not None  # the first call with the customer stops the clock
    assert case.status == CaseStatus.IN_PROGRESS
    activity = case.activities.get(kind=ActivityKind.PHONE_CALL)
    assert activity.author is None and activity.data["api_key"] == "CRM Ventas"
    assert activity.minutes_spent == 25
    too_long = writer.post(url, {"kind": "phone_call", "body": "x", "minutes_spent": 10**6})
    assert too_long.status_code == 400 and too_long.json()["error"] == "bad_minutes"

    note = writer.post(url, {"kind": "internal_note", "body": "Revisar el registro.", "is_public": True})
    assert note.status_code == 201 and note.json()["is_public"] is False
    detail = reader.get(reverse("api:case", args=[case.number])).json()
    assert [a["is_public"] for a in detail["activities"]][-2:] == [True, False]

    assert reader.post(url, {"kind": "phone_call", "body": "x"}).status_code == 403
    visit = writer.post(url, {"kind": "onsite_visit", "body": "Visita."})
    assert visit.status_code == 400 and visit.json()["error"] == "visit_not_authorized"
    assert writer.post(url, {"kind": "registration", "body": "x"}).status_code == 400
    assert writer.post(reverse("api:case_activities", args=["SMA-2026-999999"]), {}).status_code == 404


def test_a_case_that_does_not_exist_is_404_json(reader) -> None:
    response = reader.get(reverse("api:case", args=["SMA-2026-999999"]))
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "No existe el caso SMA-2026-999999."}


def _numbers(page) -> list[str]:
    return [row["number"] for row in page["results"]]


def test_cursor_pagination_walks_every_case_once_newest_first(reader) -> None:
    setup = customer_setup()
    start = timezone.now() - timedelta(days=30)
    made = [CaseFactory(setup=setup, registered_at=start + timedelta(hours=i)) for i in range(7)]
    # Two cases at the same instant: the id breaks the tie, neither is skipped nor repeated.
    made += [CaseFactory(setup=setup, registered_at=start + timedelta(hours=3)) for _ in range(2)]
    expected = [c.number for c in sorted(made, key=lambda c: (c.registered_at, c.pk), reverse=True)]

    seen: list[str] = []
    page = reader.get(CASES, {"status": "all", "limit": 2}).json()
    pages = 1
    while True:
        seen += _numbers(page)
        if page["next"] is None:
            assert page["next_cursor"] is None
            break
        assert "cursor=" in page["next"] and "status=all" in page["next"]
        page = reader.get(page["next"]).json()
        pages += 1
    assert seen == expected and pages == 5

    # A case registered meanwhile lands on the first page and never shifts the later ones.
    second = reader.get(CASES, {"status": "all", "limit": 2}).json()
    CaseFactory(setup=setup, registered_at=timezone.now())
    after = reader.get(CASES, {"status": "all", "limit": 2, "cursor": second["next_cursor"]}).json()
    assert _numbers(after) == expected[2:4]


def test_a_forged_cursor_or_limit_is_a_400(reader) -> None:
    for params in ({"cursor": "no-es-un-cursor"}, {"cursor": "MjAyNnwx"}, {"limit": "0"}, {"limit": "500"}):
        response = reader.get(CASES, params)
        assert response.status_code == 400, params
        assert response.json()["error"] == "invalid"


def test_the_desks_filters(reader) -> None:
    gold, platinum = customer_setup(), customer_setup(plan=platinum_plan())
    ana = engineer(username="ana")
    p1 = CaseFactory(setup=gold, priority="P1", subject="Grabación detenida")
    closed = CaseFactory(setup=gold, status=CaseStatus.CLOSED, closed_at=timezone.now())
    assigned = CaseFactory(setup=platinum, assigned_to=ana, status=CaseStatus.ASSIGNED)
    unassigned = CaseFactory(setup=platinum, subject="Licencia vencida")
    Case.objects.update(search_document=Lower(F("subject")))

    def numbers(**params) -> set[str]:
        response = reader.get(CASES, params)
        assert response.status_code == 200, response.json()
        return set(_numbers(response.json()))

    assert numbers() == {p1.number, assigned.number, unassigned.number}  # open, as on the desk
    assert numbers(status="all") == {p1.number, closed.number, assigned.number, unassigned.number}
    assert numbers(status="closed") == {closed.number}
    assert numbers(priority="P1") == {p1.number}
    assert numbers(plan="PLATINUM_24X7") == {assigned.number, unassigned.number}
    assert numbers(customer=gold["customer"].customer_number, status="all") == {p1.number, closed.number}
    assert numbers(assignee="ana") == {assigned.number}
    assert numbers(assignee="none", customer=platinum["customer"].customer_number) == {unassigned.number}
    assert numbers(q="licencia") == {unassigned.number}
    assert numbers(q=p1.number) == {p1.number}

    bad = reader.get(CASES, {"priority": "P9", "customer": "99999999", "assignee": "nadie", "q": "x" * 201})
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"priority", "customer", "assignee", "q"}


def test_a_search_matching_many_pages_by_cursor(reader, monkeypatch) -> None:
    """Past the desk's count cap a search is read walking the sort's index; the cursor still
    applies inside it."""
    from cases import selectors

    setup = customer_setup()
    start = timezone.now() - timedelta(days=2)
    hits = [
        CaseFactory(setup=setup, registered_at=start + timedelta(hours=h), subject=f"licencia {h}")
        for h in range(5)
    ]
    for h in range(5):
        CaseFactory(setup=setup, registered_at=start + timedelta(hours=h, minutes=30), subject=f"audio {h}")
    Case.objects.update(search_document=Lower(F("subject")))
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    first = reader.get(CASES, {"q": "licencia", "limit": 3}).json()
    second = reader.get(first["next"]).json()
    assert _numbers(first) + _numbers(second) == [c.number for c in reversed(hits)]
    assert second["next"] is None


def test_the_lists_json_is_what_the_schemas_serializer_says(reader) -> None:
    from api.serializers import CaseListItemSerializer, case_list_item_json
    from cases import selectors

    setup = customer_setup()
    ana = engineer(username="ana")
    CaseFactory(setup=setup, assigned_to=ana, first_response_at=timezone.now(), attention_met=True)
    CaseFactory(
        setup=setup, priority="", attention_due_at=None, status=CaseStatus.CLOSED, closed_at=timezone.now()
    )
    qs = selectors.case_queryset(
        filters=selectors.CaseFilters(status="all"), user_id=None, now=timezone.now()
    )
    items = selectors.case_page_items(qs, page=1, per_page=10)
    assert len(items) == 2
    for item in items:
        assert case_list_item_json(item) == CaseListItemSerializer(item).data


def test_a_write_sent_again_with_its_idempotency_key_changes_nothing(writer, write_key) -> None:
    setup = customer_setup()
    first = writer.post(CASES, _request(setup), HTTP_IDEMPOTENCY_KEY="crm-ticket-4711")
    again = writer.post(CASES, _request(setup), HTTP_IDEMPOTENCY_KEY="crm-ticket-4711")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert Case.objects.count() == 1
    # Another key is another request; the same key for another address is refused.
    assert writer.post(CASES, _request(setup), HTTP_IDEMPOTENCY_KEY="crm-ticket-4712").status_code == 201
    number = first.json()["number"]
    other = writer.post(
        reverse("api:case_activities", args=[number]),
        {"kind": "internal_note", "body": "x"},
        HTTP_IDEMPOTENCY_KEY="crm-ticket-4711",
    )
    assert other.status_code == 400 and "Idempotency-Key" in other.json()["fields"]
    assert writer.post(CASES, _request(setup), HTTP_IDEMPOTENCY_KEY="corta").status_code == 400
    assert Case.objects.count() == 2


def test_a_refusal_keeps_its_answer_and_invalid_input_leaves_the_key_free(writer) -> None:
    expired = customer_setup(start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
    refused = writer.post(CASES, _request(expired), HTTP_IDEMPOTENCY_KEY="crm-ticket-1")
    again = writer.post(CASES, _request(expired), HTTP_IDEMPOTENCY_KEY="crm-ticket-1")
    assert refused.status_code == again.status_code == 400
    assert again.json() == refused.json() and again["Idempotent-Replayed"] == "true"
    assert RefusedRequest.objects.count() == 1  # recorded once, kept

    setup = customer_setup()
    invalid = writer.post(CASES, _request(setup, priority=""), HTTP_IDEMPOTENCY_KEY="crm-ticket-2")
    assert invalid.status_code == 400
    fixed = writer.post(CASES, _request(setup), HTTP_IDEMPOTENCY_KEY="crm-ticket-2")
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed


def test_kept_answers_hold_no_personal_data_and_are_pruned_after_a_week(writer, clock, settings) -> None:
    from api.models import ApiWrite
    from sma.celery import app

    setup = customer_setup()
    first = writer.post(CASES, _request(setup), HTTP_IDEMPOTENCY_KEY="crm-ticket-9")
    kept = ApiWrite.objects.get()
    assert kept.response == {"case": first.json()["number"]}  # no name or e-mail of the contact
    app.loader.import_default_modules()  # what the worker does: discover every app's tasks
    task = app.tasks[settings.CELERY_BEAT_SCHEDULE["prune-api-writes"]["task"]]
    assert task.delay().get() == 0
    clock.shift(timedelta(days=8))
    assert task.delay().get() == 1
    assert not ApiWrite.objects.exists()
