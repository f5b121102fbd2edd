"""The engineers' case desk over HTTP: pages, actions, permissions, bad input, query counts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, RefusedRequest
from contracts.tests.factories import UserFactory

from .factories import CaseFactory, customer_setup, engineer, manager, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
LIST = reverse("cases:list")


@pytest.fixture
def eng():
    return engineer(first_name="Camilo", last_name="Suárez")


@pytest.fixture
def client_eng(client, eng):
    client.force_login(eng)
    return client


def action(case: Case, name: str) -> str:
    return reverse("cases:action", args=[case.number, name])


# --- who gets in ---------------------------------------------------------------------------------


def test_customers_never_reach_the_case_desk(client) -> None:
    case = registered_case()
    client.force_login(UserFactory())  # a portal user: no staff permissions
    for url in [LIST, reverse("cases:register"), reverse("cases:detail", args=[case.number])]:
        assert client.get(url).status_code == 403
    response = client.post(action(case, "close"), {"close-reason": "inactivity"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_anonymous_users_are_sent_to_login(client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and "/ingresar/" in response["Location"]


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_open_cases_with_their_countdown(client_eng) -> None:
    registered_case(priority="P1", subject="Servidor de grabación caído")
    body = client_eng.get(LIST).content.decode()
    assert "Servidor de grabación caído" in body
    assert "vence en" in body or "vencido hace" in body
    assert "1 caso ·" in body or "1 caso\n" in body or "1 caso " in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"priority": "P1"}, {"uno"}),
        ({"status": "closed"}, {"cerrado"}),
        ({"status": "all"}, {"uno", "dos", "cerrado"}),
        ({"assignee": "none"}, {"dos"}),
        ({"q": "grabacion"}, {"uno"}),  # accents folded
        ({"q": "codec"}, {"dos"}),
    ],
)
def test_list_filters(client_eng, eng, params, expected) -> None:
    setup = customer_setup()
    registered_case(
        setup=setup, priority="P1", subject="uno", description="la grabación falla", assigned_to=eng
    )
    registered_case(setup=setup, priority="P3", subject="dos", description="el códec G.729 suena mal")
    closed = registered_case(setup=setup, priority="P2", subject="cerrado", assigned_to=eng)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    response = client_eng.get(LIST, params)
    assert {c.subject for c in response.context["cases"]} == expected


def test_search_by_case_number(client_eng) -> None:
    case = registered_case()
    registered_case()
    for text in [case.number, case.number.lower(), case.number.replace("SMA-", "")]:
        assert [c.pk for c in client_eng.get(LIST, {"q": text}).context["cases"]] == [case.pk]


def test_breached_and_at_risk_filters(client_eng) -> None:
    now = timezone.now()
    late = CaseFactory(attention_due_at=now - timezone.timedelta(minutes=5), subject="late")
    risky = CaseFactory(
        attention_at_risk_at=now - timezone.timedelta(minutes=5),
        attention_due_at=now + timezone.timedelta(minutes=30),
        subject="risky",
    )
    CaseFactory(attention_due_at=now + timezone.timedelta(hours=5), subject="calm")
    assert [c.pk for c in client_eng.get(LIST, {"sla": "breached"}).context["cases"]] == [late.pk]
    assert [c.pk for c in client_eng.get(LIST, {"sla": "at_risk"}).context["cases"]] == [risky.pk]


def test_bad_filters_are_ignored_not_a_500(client_eng) -> None:
    registered_case()
    response = client_eng.get(
        LIST, {"priority": "P9", "customer": "abc", "page": "zz", "per_page": "-4", "sort": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["cases"]) == 1


def test_list_query_count_does_not_grow_with_the_page(client_eng, django_assert_max_num_queries) -> None:
    setup = customer_setup()
    CaseFactory.create_batch(5, setup=setup)
    client_eng.get(LIST)  # warm the SLA cache and the session
    with django_assert_max_num_queries(10) as small:
        client_eng.get(LIST, {"per_page": 25})
    CaseFactory.create_batch(60, setup=setup, assigned_to=engineer())
    with django_assert_max_num_queries(10) as big:
        client_eng.get(LIST, {"per_page": 100})
    assert len(big.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "all"},
        {"assignee": "me"},
        {"assignee": "none"},
        {"priority": "P1"},
        {"sla": "breached"},
        {"sla": "at_risk"},
        {"plan": "GOLD_8X5", "status": "all"},
        {"status": "closed"},
        {"q": "grabacion", "status": "all"},
        {"q": "srv-200", "status": "all"},
        {"sort": "-registered", "status": "all"},
        {"priority": "P2", "status": "all", "sort": "due"},
    ],
)
def test_every_list_filter_stays_within_the_query_budget(
    client_eng, eng, params, django_assert_max_num_queries
) -> None:
    setup = customer_setup()
    CaseFactory.create_batch(3, setup=setup, assigned_to=eng, description="servidor srv-200 grabación")
    CaseFactory.create_batch(3, setup=setup)
    client_eng.get(LIST)  # warm the SLA cache and the session
    with django_assert_max_num_queries(7):
        assert client_eng.get(LIST, {**params, "customer": setup["customer"].pk}).status_code == 200


def test_hyphenated_search_finds_the_host_not_its_prefix_neighbours(client_eng) -> None:
    setup = customer_setup()
    hit = registered_case(setup=setup, description="Servidor srv-200, versión 5.1.")
    longer = registered_case(setup=setup, description="Servidor srv-2001 en la sede norte.")
    registered_case(setup=setup, description="Servidor srv-300 y un 200 suelto.")
    registered_case(setup=setup, description="Otro srv en la sede.")

    def found(q: str) -> set[int]:
        return {c.pk for c in client_eng.get(LIST, {"q": q, "status": "all"}).context["cases"]}

    assert found("srv-200") == {hit.pk, longer.pk}  # the last part stays a prefix
    assert found("SRV-2001") == {longer.pk}
    assert found("srv-20 servidor") == {hit.pk, longer.pk}
    assert found("srv-4") == set()


def test_hyphenated_words_match_as_a_phrase(client_eng) -> None:
    setup = customer_setup()
    hit = registered_case(setup=setup, description="Falla del módulo auto-respuesta del IVR.")
    registered_case(setup=setup, description="La respuesta del auto fue lenta.")
    for q in ["auto-respuesta", "auto-resp", "Auto-Respuesta ivr"]:
        assert [c.pk for c in client_eng.get(LIST, {"q": q, "status": "all"}).context["cases"]] == [hit.pk]


def test_hyphenated_search_uses_exact_leading_parts() -> None:
    from django.db import connection

    from cases.search import tsquery_sql

    sql, params = tsquery_sql(["srv-200", "licen"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", params)
        assert cursor.fetchone()[0] == "'licen':* & 'srv' <-> '-200':*"


def test_a_few_matches_are_sorted_like_many(client_eng) -> None:
    """Below the count cap the page query sorts on unindexed expressions: same order, NULLs too."""
    setup = customer_setup()
    now = timezone.now()
    cases = [
        CaseFactory(setup=setup, attention_due_at=now + timezone.timedelta(hours=h), subject=f"c{h}")
        for h in (3, 1, 2)
    ]
    no_deadline = CaseFactory(setup=setup, priority="", attention_due_at=None, subject="sin")
    body_order = [c.subject for c in client_eng.get(LIST, {"sort": "due"}).context["cases"]]
    assert body_order == ["c1", "c2", "c3", "sin"]
    body_order = [c.subject for c in client_eng.get(LIST, {"sort": "-due"}).context["cases"]]
    assert body_order == ["sin", "c3", "c2", "c1"]
    newest = [c.pk for c in client_eng.get(LIST, {"status": "all"}).context["cases"]]
    assert newest == sorted([c.pk for c in [*cases, no_deadline]], reverse=True)


def test_detail_query_count_does_not_grow_with_the_timeline(
    client_eng, eng, django_assert_max_num_queries
) -> None:
    from cases import services

    case = registered_case(priority="P2")
    url = reverse("cases:detail", args=[case.number])
    client_eng.get(url)
    with django_assert_max_num_queries(30) as few:
        client_eng.get(url)
    for i in range(15):
        services.case_log_activity(case=case, actor=eng, kind="email", body=f"correo {i}")
    with django_assert_max_num_queries(30) as many:
        client_eng.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pagination_is_in_sql_and_counts_are_capped(client_eng, settings) -> None:
    from cases import selectors

    setup = customer_setup()
    CaseFactory.create_batch(30, setup=setup)
    response = client_eng.get(LIST, {"per_page": 25, "page": 2})
    assert len(response.context["cases"]) == 5 and response.context["total"] == 30
    original = selectors.COUNT_CAP
    selectors.COUNT_CAP = 10
    try:
        response = client_eng.get(LIST)
        assert response.context["capped"] and response.context["total"] == 10
    finally:
        selectors.COUNT_CAP = original


# --- registration --------------------------------------------------------------------------------


def test_registration_form_narrows_contacts_and_installations(client_eng) -> None:
    mine, other = customer_setup(), customer_setup()
    response = client_eng.get(
        reverse("cases:register"), {"customer": mine["customer"].pk, "subject": "typed"}
    )
    form = response.context["form"]
    assert list(form.fields["requester"].queryset) == [mine["requester"]]
    assert list(form.fields["installation"].queryset) == [mine["installation"]]
    assert other["requester"] not in form.fields["requester"].queryset
    assert form.initial["subject"] == "typed"
    # Without JavaScript the "show contacts" button posts the form: nothing typed goes in a URL.
    response = client_eng.post(
        reverse("cases:register"),
        {"customer": mine["customer"].pk, "subject": "escrito", "description": "algo", "_show_customer": "1"},
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert response.context["form"].initial["subject"] == "escrito"
    assert list(response.context["form"].fields["requester"].queryset) == [mine["requester"]]
    partial = client_eng.get(
        reverse("cases:register"), {"customer": mine["customer"].pk}, HTTP_HX_REQUEST="true"
    )
    assert b"<form" not in partial.content and mine["requester"].full_name.encode() in partial.content


def _registration_post(setup, **overrides):
    data = {
        "customer": setup["customer"].pk,
        "requester": setup["requester"].pk,
        "installation": setup["installation"].pk,
        "channel": "phone",
        "kind": "incident",
        "scope": "product",
        "priority": "P1",
        "tier": "1",
        "subject": "Sistema caído",
        "description": "No entran llamadas. Error SIP 503.",
    }
    data.update(overrides)
    return data


def test_register_by_form_redirects_to_the_new_case(client_eng) -> None:
    setup = customer_setup()
    response = client_eng.post(reverse("cases:register"), _registration_post(setup))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.number])
    page = client_eng.get(response["Location"]).content.decode()
    assert case.number in page and "Sistema caído" in page


def test_a_refused_registration_shows_why_and_is_recorded(client_eng) -> None:
    setup = customer_setup()
    response = client_eng.post(reverse("cases:register"), _registration_post(setup, scope="training"))
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert RefusedRequest.objects.get().reason == "out_of_scope"
    assert "no cubre" in response.content.decode()


def test_a_contact_of_another_customer_cannot_be_forged_into_the_form(client_eng) -> None:
    setup, other = customer_setup(), customer_setup()
    response = client_eng.post(
        reverse("cases:register"), _registration_post(setup, requester=other["requester"].pk)
    )
    assert response.status_code == 400 and not Case.objects.exists()


def test_a_priority_outside_p1_p4_is_a_form_error(client_eng) -> None:
    response = client_eng.post(reverse("cases:register"), _registration_post(customer_setup(), priority="P5"))
    assert response.status_code == 400 and not Case.objects.exists()
    assert "P5" in response.content.decode()


def test_html_or_too_big_attachments_are_refused_with_everything_kept(client_eng, settings) -> None:
    setup = customer_setup()
    page = SimpleUploadedFile("evidencia.html", b"<!DOCTYPE html><html></html>", content_type="text/html")
    response = client_eng.post(
        reverse("cases:register"), {**_registration_post(setup), "attachments": [page]}
    )
    assert response.status_code == 400 and not Case.objects.exists()
    body = response.content.decode()
    assert "No entran llamadas. Error SIP 503." in body  # what was typed is still there
    settings.SMA_MAX_ATTACHMENT_BYTES = 10
    big = SimpleUploadedFile("huge.log", b"x" * 11, content_type="text/plain")
    response = client_eng.post(reverse("cases:register"), {**_registration_post(setup), "attachments": [big]})
    assert response.status_code == 400 and "demasiado grande" in response.content.decode()


def test_a_disguised_html_file_is_refused(client_eng) -> None:
    case = registered_case()
    fake = SimpleUploadedFile("trace.log", b"  <html><script>x()</script>", content_type="text/plain")
    response = client_eng.post(action(case, "attach"), {"attach-files": [fake]})
    assert response.status_code == 400 and not case.attachments.exists()


# --- actions on the detail page ------------------------------------------------------------------


def test_log_a_call_then_propose_and_close(client_eng) -> None:
    case = registered_case(priority="P1")
    response = client_eng.post(
        action(case, "activity"),
        {"activity-kind": "phone_call", "activity-body": "Llamé", "activity-is_public": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.first_response_at is not None and case.status == CaseStatus.IN_PROGRESS
    client_eng.post(
        action(case, "solution"), {"solution-solution_kind": "procedure", "solution-solution": "Reiniciar"}
    )
    client_eng.post(action(case, "close"), {"close-reason": "accepted", "close-note": "Aceptó por teléfono"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_acting_on_a_closed_case_is_refused_clearly(client_eng) -> None:
    from cases import services

    case = registered_case()
    services.case_close(case=case, actor=None, reason="inactivity")
    response = client_eng.post(action(case, "activity"), {"activity-kind": "email", "activity-body": "hola"})
    assert response.status_code == 400
    assert "cerrado" in response.content.decode()
    assert case.activities.filter(kind="email").count() == 0


def test_forged_posts_are_refused(client_eng, eng) -> None:
    case = registered_case()
    assert client_eng.post(action(case, "nonsense"), {}).status_code == 404
    assert client_eng.post(reverse("cases:action", args=["SMA-1999-000001", "close"]), {}).status_code == 404
    assert client_eng.get(action(case, "close")).status_code == 405
    # An engineer cannot authorise a visit by posting the manager's form.
    response = client_eng.post(action(case, "visit"), {"visit-reason": "x"})
    assert response.status_code == 302 and not case.visit_authorizations.exists()
    # Nor reassign a case someone else holds.
    other = engineer()
    from cases import services

    services.case_assign(case=case, actor=other, assignee=other)
    response = client_eng.post(action(case, "assign"), {"assign-assignee": eng.pk})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assigned_to == other


def test_managers_authorise_visits(client) -> None:
    case = registered_case()
    client.force_login(manager())
    response = client.post(action(case, "visit"), {"visit-reason": "Cambio de tarjeta"})
    assert response.status_code == 302 and case.visit_authorizations.count() == 1


def test_take_an_unassigned_case(client_eng, eng) -> None:
    case = registered_case()
    assert client_eng.post(action(case, "take")).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == eng


# --- attachments ---------------------------------------------------------------------------------


def test_attachments_download_only_for_staff_and_never_inline(client_eng) -> None:
    from django.test import Client

    client = Client()
    log = SimpleUploadedFile("ctlog.log", b"ERROR 42\n", content_type="text/plain")
    case = registered_case(attachments=[log])
    attachment = case.attachments.get()
    url = reverse("cases:attachment", args=[case.number, attachment.pk])
    response = client_eng.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"ERROR 42\n"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    other_case = registered_case()
    assert (
        client_eng.get(reverse("cases:attachment", args=[other_case.number, attachment.pk])).status_code
        == 404
    )


def test_deadline_shown_in_bogota_time(client_eng) -> None:
    case = registered_case(priority="P1", now=datetime(2026, 11, 24, 17, 0, tzinfo=BOGOTA))
    body = client_eng.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "25/11/2026 09:00" in body


def test_case_admin_is_read_only(admin_client) -> None:
    case = registered_case()
    assert admin_client.get(reverse("admin:cases_case_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403
    assert admin_client.get(reverse("admin:cases_refusedrequest_changelist")).status_code == 200


def test_the_priority_must_be_chosen_except_for_email_requests(client_eng) -> None:
    setup = customer_setup()
    response = client_eng.post(reverse("cases:register"), _registration_post(setup, priority=""))
    assert response.status_code == 400 and not Case.objects.exists()
    assert "Asigne la prioridad" in response.content.decode()
    response = client_eng.post(
        reverse("cases:register"), _registration_post(setup, priority="", channel="email")
    )
    assert response.status_code == 302
    assert Case.objects.get().attention_due_at is None


def test_the_list_escapes_what_customers_typed(client_eng) -> None:
    registered_case(subject='<script>alert("x")</script>', priority="P1")
    body = client_eng.get(LIST).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
