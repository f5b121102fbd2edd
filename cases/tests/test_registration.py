"""Registering cases: the scheme's rules, each refusal recorded with its message; numbering."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cases.errors import CaseError, RegistrationRefused
from cases.models import ActivityKind, Case, CaseSequence, CaseStatus, Channel, RefusedRequest, Scope
from contracts.models import Product
from contracts.tests.clock import TEST_NOW
from contracts.tests.factories import InstallationFactory, TechnicalContactFactory, platinum_plan

from .factories import customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def test_a_gold_p1_by_phone_gets_a_number_a_deadline_and_an_audit_row() -> None:
    actor = engineer()
    case = registered_case(actor=actor, priority="P1", now=bog(2026, 11, 24, 17, 0))
    assert case.number == "SMA-2026-000001"
    assert case.status == CaseStatus.NEW and case.tier == 1 and case.channel == Channel.PHONE
    assert case.attention_due_at == bog(2026, 11, 25, 9, 0)  # the scheme's example
    assert case.attention_at_risk_at == bog(2026, 11, 25, 8, 30)  # 75 % of 2 h
    assert case.first_response_at is None and case.attention_met is None
    assert case.registered_by == actor and case.plan.code == "GOLD_8X5"
    assert (
        case.product_version == "5.2" and case.operating_system == "Windows Server"
    )  # from the installation
    registration = case.activities.get()
    assert registration.kind == ActivityKind.REGISTRATION and registration.author == actor
    assert "clinica" not in case.search_document and case.number.lower() in case.search_document


def test_a_platinum_case_counts_on_24x7() -> None:
    setup = customer_setup(plan=platinum_plan())
    case = registered_case(setup=setup, priority="P1", now=bog(2026, 11, 28, 23, 0))
    assert case.attention_due_at == bog(2026, 11, 29, 1, 0)


def test_assignment_at_registration_is_recorded() -> None:
    follower = engineer()
    case = registered_case(actor=engineer(), assigned_to=follower)
    assert case.assigned_to == follower and case.status == CaseStatus.ASSIGNED


def test_an_email_case_may_wait_for_its_priority() -> None:
    case = registered_case(priority="", channel=Channel.EMAIL)
    assert case.priority == "" and case.attention_due_at is None


def _refused(reason: str, **kwargs) -> RegistrationRefused:
    before = Case.objects.count()
    with pytest.raises(RegistrationRefused) as error:
        registered_case(**kwargs)
    assert error.value.code == reason
    assert Case.objects.count() == before
    refusal = RefusedRequest.objects.latest("refused_at")
    assert refusal.reason == reason and refusal.message == error.value.messages[0]
    return error.value


def test_a_non_designated_requester_is_refused_and_recorded() -> None:
    setup = customer_setup()
    setup["requester"] = TechnicalContactFactory(customer=setup["customer"], is_active=False)
    setup["customer"].technical_contacts.exclude(pk=setup["requester"].pk).delete()
    TechnicalContactFactory(customer=setup["customer"])  # someone else is designated
    error = _refused("not_designated", setup=setup)
    assert "no es un contacto técnico designado" in error.messages[0]


def test_a_contact_of_another_customer_is_refused() -> None:
    setup = customer_setup()
    setup["requester"] = customer_setup()["requester"]
    _refused("not_designated", setup=setup)


def test_fallback_accepts_a_previous_requester_when_none_is_designated(settings) -> None:
    setup = customer_setup()
    registered_case(setup=setup)
    setup["requester"].is_active = False
    setup["requester"].save()
    assert registered_case(setup=setup).requester == setup["requester"]
    settings.SMA_ACCEPT_PREVIOUS_REQUESTERS = False
    _refused("not_designated", setup=setup)


def test_an_expired_contract_is_refused() -> None:
    setup = customer_setup(start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
    error = _refused("no_contract", setup=setup)
    assert "no tiene un contrato de soporte vigente" in error.messages[0]


def test_an_obsolete_product_is_refused() -> None:
    setup = customer_setup()
    Product.objects.filter(pk=setup["installation"].product_id).update(is_obsolete=True)
    setup["installation"].refresh_from_db()
    error = _refused("obsolete", setup=setup)
    assert "obsoleto" in error.messages[0]


def test_a_product_the_customer_did_not_license_is_refused() -> None:
    setup = customer_setup()
    setup["installation"] = InstallationFactory()  # another customer's
    _refused("not_licensed", setup=setup)


def test_an_installation_outside_the_contract_is_refused() -> None:
    setup = customer_setup()
    setup["installation"] = InstallationFactory(customer=setup["customer"])
    _refused("not_licensed", setup=setup)


@pytest.mark.parametrize("scope", [s for s in Scope.values if s != Scope.PRODUCT])
def test_out_of_scope_requests_are_refused(scope: str) -> None:
    error = _refused("out_of_scope", scope=scope)
    assert "no cubre" in error.messages[0]


@pytest.mark.parametrize("priority", ["P0", "P5", "high", "1"])
def test_a_priority_outside_p1_p4_is_refused(priority: str) -> None:
    with pytest.raises(CaseError) as error:
        registered_case(priority=priority)
    assert error.value.code == "bad_priority"
    assert not Case.objects.exists()


def test_an_html_attachment_refuses_the_whole_registration() -> None:
    page = SimpleUploadedFile("trace.html", b"<html><script>alert(1)</script></html>", "text/html")
    with pytest.raises(CaseError):
        registered_case(attachments=[page])
    assert not Case.objects.exists()
    assert CaseSequence.objects.filter(last__gt=0).count() == 0  # the number went back too


def test_registration_keeps_its_attachments() -> None:
    log = SimpleUploadedFile("ctlog.log", b"2026-11-24 17:00 ERROR 0x80040154\n", "text/plain")
    case = registered_case(attachments=[log])
    attachment = case.attachments.get()
    assert attachment.original_name == "ctlog.log" and attachment.size == 34
    assert attachment.file.name.startswith(f"cases/{case.pk}/") and "ctlog" not in attachment.file.name


def test_numbers_are_consecutive_per_year_and_never_reused() -> None:
    first = registered_case(now=bog(2026, 12, 31, 23, 59))
    second = registered_case(now=bog(2027, 1, 1, 0, 1))
    third = registered_case(now=bog(2026, 12, 31, 23, 59, 30))
    assert [first.number, second.number, third.number] == [
        "SMA-2026-000001",
        "SMA-2027-000001",
        "SMA-2026-000002",
    ]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_get_twenty_consecutive_numbers() -> None:
    setup = customer_setup()
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def register() -> None:
        try:
            barrier.wait()
            numbers.append(registered_case(setup=setup).number)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    year = TEST_NOW.year
    assert sorted(numbers) == [f"SMA-{year}-{n:06d}" for n in range(1, 21)]


def test_a_gold_request_after_hours_counts_from_the_next_opening() -> None:
    case = registered_case(priority="P2", now=bog(2026, 11, 28, 10, 0))  # Saturday
    assert case.attention_due_at == bog(2026, 11, 30, 13, 30)
    assert case.registered_at == bog(2026, 11, 28, 10, 0)
    assert case.attention_due_at - case.registered_at > timedelta(hours=6)
