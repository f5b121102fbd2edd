"""Double submits: a form sent twice with its one-time token makes one change, and the second
answer is the first's (same redirect, a neutral message); failed forms can be corrected and sent
again with the same token; a token is honoured only for its user and address."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from cases import services, views
from cases.idempotency import TOKEN_FIELD, FormSubmission, form_submissions_prune, form_token_new
from cases.models import Case, CaseActivity, CaseStatus, RefusedRequest
from contracts.models import TechnicalContact
from contracts.tests.factories import TechnicalContactFactory

from .double_submit import ALREADY_SENT, assert_forms_are_idempotent
from .factories import customer_setup, engineer, manager, registered_case
from .test_views import _registration_post

REGISTER = reverse("cases:register")
NOT_HONOURED = "Este formulario no se pudo enviar y no se guardó nada."


def _action(case: Case, name: str) -> str:
    return reverse("cases:action", args=[case.number, name])


def _changes(case: Case) -> tuple[object, ...]:
    """Everything an action on the case may change."""
    case.refresh_from_db()
    return (
        case.activities.count(),
        case.attachments.count(),
        case.visit_authorizations.count(),
        case.status,
        case.priority,
        case.tier,
        case.assigned_to_id,
    )


# --- registration --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_identical_registrations_make_one_case(client) -> None:
    client.force_login(engineer())
    data = {**_registration_post(customer_setup()), TOKEN_FIELD: form_token_new()}
    first = client.post(REGISTER, data)
    second = client.post(REGISTER, data)
    case = Case.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("cases:detail", args=[case.number])
    assert second.status_code == 302 and second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert ALREADY_SENT in page and case.number in page
    assert case.activities.count() == 1  # one registration entry on the timeline
    assert FormSubmission.objects.get().result_url == first["Location"]


@pytest.mark.django_db
def test_a_refused_form_leaves_its_token_for_the_corrected_one(client) -> None:
    client.force_login(engineer())
    setup = customer_setup()
    token = form_token_new()
    wrong = client.post(REGISTER, {**_registration_post(setup, priority="P5"), TOKEN_FIELD: token})
    assert wrong.status_code == 400 and not FormSubmission.objects.exists()
    refused = client.post(REGISTER, {**_registration_post(setup, scope="training"), TOKEN_FIELD: token})
    assert refused.status_code == 400 and RefusedRequest.objects.count() == 1
    corrected = client.post(REGISTER, {**_registration_post(setup), TOKEN_FIELD: token})
    assert corrected.status_code == 302 and Case.objects.count() == 1


@pytest.mark.django_db
def test_showing_contacts_without_javascript_does_not_use_the_token(client) -> None:
    client.force_login(engineer())
    setup = customer_setup()
    token = form_token_new()
    shown = client.post(
        REGISTER, {"customer": setup["customer"].pk, "_show_customer": "1", TOKEN_FIELD: token}
    )
    assert shown.status_code == 200 and not FormSubmission.objects.exists()
    assert client.post(REGISTER, {**_registration_post(setup), TOKEN_FIELD: token}).status_code == 302
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_token_is_honoured_only_for_its_user_and_address(client) -> None:
    setup = customer_setup()
    token = form_token_new()
    client.force_login(engineer())
    first = client.post(REGISTER, {**_registration_post(setup), TOKEN_FIELD: token})
    case = Case.objects.get()

    intruder = Client()
    intruder.force_login(engineer())
    stolen = intruder.post(
        REGISTER,
        {**_registration_post(setup), TOKEN_FIELD: token},
        HTTP_REFERER="http://testserver/casos/nuevo/",
    )
    assert stolen.status_code == 303 and stolen["Location"] == "http://testserver/casos/nuevo/"
    assert stolen["Location"] != first["Location"]  # the other user's result is not given away
    assert NOT_HONOURED in intruder.get(REGISTER).content.decode()

    # The same user, the same token, another form: not honoured either.
    elsewhere = client.post(
        _action(case, "activity"),
        {"activity-kind": "phone_call", "activity-body": "Llamé", TOKEN_FIELD: token},
        HTTP_REFERER="https://evil.example/",
    )
    assert elsewhere.status_code == 303 and elsewhere["Location"] == "/"  # never off-site
    assert Case.objects.count() == 1 and case.activities.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["short", "x" * 32 + "y", "a" * 31 + "!", "é" * 32])
def test_a_malformed_token_changes_nothing(client, token) -> None:
    client.force_login(engineer())
    case = registered_case()
    before = _changes(case)
    response = client.post(
        _action(case, "activity"), {"activity-kind": "phone_call", "activity-body": "x", TOKEN_FIELD: token}
    )
    assert response.status_code == 303 and _changes(case) == before


# --- every action on the case page --------------------------------------------------------------


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("ctlog.log", b"ERROR 42\n", content_type="text/plain")


COLLEAGUE = "colega.cc@empresa.example"


def _colleague(case: Case) -> TechnicalContact:
    """Another designated contact of the case's company (to copy on its e-mails)."""
    return TechnicalContactFactory(customer=case.customer, email=COLLEAGUE)


# action → (what the form sends, given the acting user; how the case must stand first)
ACTION_POSTS: dict[str, tuple[Callable[[Any], dict[str, Any]], Callable[[Case], object] | None]] = {
    "activity": (
        lambda u: {"activity-kind": "phone_call", "activity-body": "Llamé", "activity-is_public": "on"},
        None,
    ),
    "assign": (lambda u: {"assign-assignee": u.pk}, None),
    "take": (lambda u: {}, None),
    "priority": (lambda u: {"priority-priority": "P1", "priority-reason": "Caída total"}, None),
    "tier": (lambda u: {"tier-tier": "2", "tier-analysis": "Revisé los registros del servidor."}, None),
    "status": (lambda u: {"status-status": CaseStatus.IN_PROGRESS, "status-note": "En curso"}, None),
    "solution": (lambda u: {"solution-solution_kind": "procedure", "solution-solution": "Reiniciar"}, None),
    "close": (lambda u: {"close-reason": "inactivity", "close-note": "Sin respuesta del cliente"}, None),
    "reopen": (
        lambda u: {"reopen-reason": "Volvió a fallar"},
        lambda case: services.case_close(case=case, actor=None, reason="inactivity"),
    ),
    "visit": (lambda u: {"visit-reason": "Cambio de tarjeta"}, None),
    "attach": (lambda u: {"attach-files": [_upload()]}, None),
    "copy": (lambda u: {"copy-email": COLLEAGUE}, _colleague),
    "uncopy": (
        lambda u: {"uncopy-contact": TechnicalContact.objects.get(email=COLLEAGUE).pk},
        lambda case: services.case_copy_add(case=case, actor=None, email=_colleague(case).email),
    ),
}


def test_every_case_action_is_covered() -> None:
    assert set(ACTION_POSTS) == set(views.ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACTION_POSTS))
def test_two_identical_action_posts_make_one_change(client, name) -> None:
    user = manager() if name == "visit" else engineer()
    client.force_login(user)
    case = registered_case()
    post, prepare = ACTION_POSTS[name]
    if prepare:
        prepare(case)
    before = _changes(case)
    token = form_token_new()
    first = client.post(_action(case, name), {**post(user), TOKEN_FIELD: token})
    assert first.status_code == 302
    after_first = _changes(case)
    assert after_first != before
    second = client.post(_action(case, name), {**post(user), TOKEN_FIELD: token})
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert _changes(case) == after_first
    assert ALREADY_SENT in client.get(second["Location"]).content.decode()


@pytest.mark.django_db
def test_a_new_token_is_a_new_change(client) -> None:
    """Logging the same words twice on purpose (two forms, two tokens) is two activities."""
    client.force_login(engineer())
    case = registered_case()
    for _ in range(2):
        client.post(
            _action(case, "activity"),
            {"activity-kind": "phone_call", "activity-body": "Llamé", TOKEN_FIELD: form_token_new()},
        )
    assert case.activities.filter(kind="phone_call").count() == 2


# --- every POST form the pages render carries a token, to a view that honours it ----------------


@pytest.mark.django_db
def test_every_case_form_carries_a_token(client) -> None:
    client.force_login(manager())
    assert assert_forms_are_idempotent(client.get(REGISTER).content.decode(), REGISTER) == [REGISTER]
    open_case, closed_case = registered_case(), registered_case()
    services.case_close(case=closed_case, actor=None, reason="inactivity")
    colleague = TechnicalContactFactory(customer=open_case.customer)
    services.case_copy_add(case=open_case, actor=None, email=colleague.email)  # its "remove" form
    seen = set()
    others = set()
    for case in (open_case, closed_case):
        url = reverse("cases:detail", args=[case.number])
        page = client.get(url).content.decode()
        for address in assert_forms_are_idempotent(page, url):
            match = resolve(address)
            if match.view_name == "cases:action":
                seen.add(match.kwargs["action"])
            else:
                others.add(match.view_name)
        tokens = [part.split('"')[0] for part in page.split(f'name="{TOKEN_FIELD}" value="')[1:]]
        assert len(set(tokens)) == len(tokens)  # one token per form
    assert seen == set(views.ACTIONS)  # every action, "take this case" included
    assert others == {"cases:article_from_case"}


# --- at the same time, on two connections ---------------------------------------------------------


def _until(condition: Callable[[], bool], tries: int = 1000) -> bool:
    """Poll with plain sleeps, about 10 s at most. No timed waits on events, locks or joins: under
    faketime (the suite's run in the future) those never time out."""
    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", ["registration", "activity"])
def test_two_posts_at_the_same_moment_make_one_change(monkeypatch, form) -> None:
    """The first request holds its token uncommitted while the second arrives: the second waits on
    the unique index, then answers with the first's result."""
    user = engineer()
    setup = customer_setup()
    if form == "registration":
        url, data, service = REGISTER, _registration_post(setup), "case_register"
    else:
        case = registered_case(setup=setup)
        url = _action(case, "activity")
        data, service = {"activity-kind": "phone_call", "activity-body": "Llamé"}, "case_log_activity"
    data[TOKEN_FIELD] = form_token_new()

    inside, go = threading.Event(), threading.Event()
    real = getattr(views.services, service)
    calls: list[int] = []

    def slow(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:  # only the first waits: were both let through, there would be two
            inside.set()
            _until(go.is_set)
        return real(**kwargs)

    monkeypatch.setattr(views.services, service, slow)
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(user)
    answers: list[Any] = [None, None]

    def post(i: int) -> None:
        try:
            answers[i] = clients[i].post(url, data)
        finally:
            connection.close()

    first = threading.Thread(target=post, args=(0,))
    first.start()
    assert _until(inside.is_set)
    second = threading.Thread(target=post, args=(1,))
    second.start()
    # Until the second request waits on the first's token (or, were it let through, is done).
    _until(lambda: _waiting_on_a_lock() or not second.is_alive())
    assert _waiting_on_a_lock()
    go.set()
    assert _until(lambda: not first.is_alive() and not second.is_alive())

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert len(calls) == 1
    if form == "registration":
        assert Case.objects.count() == 1
    else:
        assert CaseActivity.objects.filter(kind="phone_call").count() == 1


# --- housekeeping --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_old_tokens_are_pruned(client) -> None:
    client.force_login(engineer())
    client.post(REGISTER, {**_registration_post(customer_setup()), TOKEN_FIELD: form_token_new()})
    made = FormSubmission.objects.get().created_at
    assert form_submissions_prune(now=made + timedelta(days=6)) == 0
    assert form_submissions_prune(now=made + timedelta(days=8)) == 1
    assert not FormSubmission.objects.exists()


@pytest.mark.django_db
def test_the_daily_beat_job_prunes(settings) -> None:
    from sma.celery import app

    app.loader.import_default_modules()  # what the worker does: discover every app's tasks
    task = app.tasks[settings.CELERY_BEAT_SCHEDULE["prune-form-submissions"]["task"]]
    user = engineer()
    FormSubmission.objects.create(
        token=form_token_new(),
        user=user,
        path="/",
        result_url="/",
        created_at=timezone.now() - timedelta(days=30),
    )
    fresh = FormSubmission.objects.create(
        token=form_token_new(), user=user, path="/", result_url="/", created_at=timezone.now()
    )
    assert task.delay().get() == 1
    assert list(FormSubmission.objects.all()) == [fresh]
