"""What a customer's contact does on a case (the portal's services): comment with files, accept or
reject the proposed solution, ask to reopen; what a portal request may be about."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.errors import CaseError
from cases.models import (
    ActivityKind,
    CaseActivity,
    CaseAttachment,
    CaseStatus,
    Channel,
    CloseReason,
    RefusedRequest,
    SolutionKind,
    SurveyOwed,
)
from contracts.tests.factories import (
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
    TechnicalContactFactory,
    UserFactory,
)

from .factories import customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)  # a Tuesday, inside Gold hours


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def setup():
    values = customer_setup()
    values["requester"].user = UserFactory(username="ana.portal")
    values["requester"].save()
    return values


@pytest.fixture
def eng():
    return engineer(first_name="Camilo", last_name="Suárez")


@pytest.fixture
def case(setup, eng):
    return registered_case(setup=setup, actor=eng, priority="P2", now=NOW)


def contact_args(setup) -> dict:
    contact = setup["requester"]
    return {"contact": contact, "actor": contact.user}


def proposed(case, eng, at: datetime):
    return services.case_propose_solution(
        case=case,
        actor=eng,
        solution_kind=SolutionKind.PROCEDURE,
        solution="Reinicie el servicio CTLogRec.",
        now=at,
    )


def test_a_contact_comment_is_public_by_the_contact_and_is_no_first_response(case, setup) -> None:
    log = SimpleUploadedFile("grabador.log", b"2026-12-01 ERROR 0x80040154\n")
    activity = services.case_add_contact_comment(
        case=case,
        body="Sigue fallando desde las 8:00.",
        attachments=[log],
        now=NOW + timedelta(minutes=30),
        **contact_args(setup),
    )
    assert activity.kind == ActivityKind.CUSTOMER_MESSAGE
    assert activity.is_public and activity.author == setup["requester"].user
    assert activity.data["channel"] == Channel.PORTAL
    assert [a.original_name for a in activity.attachments.all()] == ["grabador.log"]
    case.refresh_from_db()
    assert case.first_response_at is None and case.attention_met is None
    assert case.warn_at is not None  # the deadline watch still watches it


def test_a_comment_with_a_refused_file_keeps_nothing(case, setup, media) -> None:
    page = SimpleUploadedFile("captura.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    with pytest.raises(CaseError) as refused:
        services.case_add_contact_comment(
            case=case, body="Adjunto captura", attachments=[page], now=NOW, **contact_args(setup)
        )
    assert "captura.svg" in refused.value.messages[0]
    assert not CaseActivity.objects.filter(case=case, kind=ActivityKind.CUSTOMER_MESSAGE).exists()
    assert not CaseAttachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_comment_on_a_closed_case_or_of_another_company_is_refused(case, setup, eng) -> None:
    stranger = TechnicalContactFactory(user=UserFactory(username="intruso"))
    with pytest.raises(CaseError) as other:
        services.case_add_contact_comment(
            case=case, body="Hola", contact=stranger, actor=stranger.user, now=NOW
        )
    assert other.value.code == "other_customer"
    services.case_close(case=case, actor=eng, reason=CloseReason.INACTIVITY, now=NOW + timedelta(hours=1))
    with pytest.raises(CaseError) as closed:
        services.case_add_contact_comment(
            case=case, body="Hola", now=NOW + timedelta(hours=2), **contact_args(setup)
        )
    assert closed.value.code == "closed"


def test_a_comment_answers_a_case_waiting_on_the_customer(case, setup, eng) -> None:
    services.case_change_status(case=case, actor=eng, status=CaseStatus.WAITING_CUSTOMER, now=NOW)
    services.case_add_contact_comment(case=case, body="Listo, ya reinicié.", now=NOW, **contact_args(setup))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_accepting_the_solution_closes_the_case_and_owes_a_survey(case, setup, eng) -> None:
    proposed(case, eng, NOW + timedelta(hours=1))
    closed = services.case_accept_solution(case=case, now=NOW + timedelta(hours=2), **contact_args(setup))
    assert closed.status == CaseStatus.CLOSED and closed.close_reason == CloseReason.ACCEPTED
    closure = CaseActivity.objects.get(case=case, kind=ActivityKind.CLOSURE)
    assert closure.author == setup["requester"].user and closure.is_public
    assert setup["requester"].full_name in closure.body
    survey = SurveyOwed.objects.get(case=case)
    assert survey.closure == closure and survey.contact == setup["requester"]
    # Accepting again changes nothing: no second closure, no second survey.
    services.case_accept_solution(case=case, now=NOW + timedelta(hours=3), **contact_args(setup))
    assert CaseActivity.objects.filter(case=case, kind=ActivityKind.CLOSURE).count() == 1
    assert SurveyOwed.objects.filter(case=case).count() == 1


def test_the_survey_goes_to_the_contact_who_accepted_the_solution(case, setup, eng) -> None:
    colleague = TechnicalContactFactory(
        customer=setup["customer"], user=UserFactory(username="julian.portal")
    )
    proposed(case, eng, NOW + timedelta(hours=1))
    services.case_accept_solution(
        case=case, contact=colleague, actor=colleague.user, now=NOW + timedelta(hours=2)
    )
    assert SurveyOwed.objects.get(case=case).contact == colleague  # not the requester


def test_a_case_closed_on_an_accepted_solution_in_time_offers_no_pqr(case, setup, eng) -> None:
    from escalation.services import pqr_refusal

    proposed(case, eng, NOW + timedelta(hours=1))  # answered within the attention time
    case.refresh_from_db()
    assert pqr_refusal(case=case, now=NOW + timedelta(hours=1)) is None  # not yet accepted
    services.case_accept_solution(case=case, now=NOW + timedelta(hours=2), **contact_args(setup))
    case.refresh_from_db()
    refusal = pqr_refusal(case=case, now=NOW + timedelta(hours=3))
    assert refusal and "reabrir" in refusal and case.number in refusal
    # Reopened, the answer is no longer accepted: the PQR is open to them again.
    services.case_request_reopen(
        case=case, reason="Volvió a fallar.", now=NOW + timedelta(days=1), **contact_args(setup)
    )
    case.refresh_from_db()
    assert pqr_refusal(case=case, now=NOW + timedelta(days=1)) is None


def test_a_case_closed_without_the_customer_acceptance_allows_a_pqr(case, eng) -> None:
    from escalation.services import pqr_refusal

    proposed(case, eng, NOW + timedelta(hours=1))
    services.case_close(case=case, actor=eng, reason=CloseReason.INACTIVITY, now=NOW + timedelta(days=10))
    case.refresh_from_db()
    assert pqr_refusal(case=case, now=NOW + timedelta(days=10)) is None


def test_nothing_to_accept_without_a_proposed_solution(case, setup) -> None:
    with pytest.raises(CaseError) as refused:
        services.case_accept_solution(case=case, now=NOW, **contact_args(setup))
    assert refused.value.code == "no_solution_pending"
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED and not SurveyOwed.objects.exists()


def test_rejecting_the_solution_resumes_work_and_allows_a_pqr(case, setup, eng) -> None:
    from escalation.services import pqr_refusal

    proposed(case, eng, NOW + timedelta(hours=1))  # answered in time: within the attention time
    with pytest.raises(CaseError) as no_reason:
        services.case_reject_solution(case=case, reason="  ", now=NOW, **contact_args(setup))
    assert no_reason.value.code == "no_reason"
    activity = services.case_reject_solution(
        case=case,
        reason="Después de reiniciar sigue sin grabar.",
        now=NOW + timedelta(hours=2),
        **contact_args(setup),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.solution == "" and case.solution_kind == ""
    assert activity.kind == ActivityKind.SOLUTION_REJECTED and activity.is_public
    assert activity.data["rejected"]["solution"] == "Reinicie el servicio CTLogRec."
    assert activity.author == setup["requester"].user
    assert pqr_refusal(case=case, now=NOW + timedelta(hours=2)) is None
    # The rejected solution cannot be closed as accepted.
    with pytest.raises(CaseError):
        services.case_close(case=case, actor=eng, reason=CloseReason.ACCEPTED, now=NOW + timedelta(hours=3))
    with pytest.raises(CaseError):
        services.case_reject_solution(case=case, reason="otra vez", now=NOW, **contact_args(setup))


def test_a_case_in_progress_within_its_time_and_never_rejected_may_not_raise_a_pqr(case, eng) -> None:
    from escalation.services import pqr_refusal

    services.case_log_activity(
        case=case, actor=eng, kind=ActivityKind.PHONE_CALL, body="Llamé", now=NOW + timedelta(minutes=5)
    )
    assert pqr_refusal(case=case, now=NOW + timedelta(hours=1))


def test_a_contact_reopens_a_closed_case_while_the_contract_is_in_force(case, setup, eng) -> None:
    proposed(case, eng, NOW + timedelta(hours=1))
    services.case_accept_solution(case=case, now=NOW + timedelta(hours=2), **contact_args(setup))
    with pytest.raises(CaseError):
        services.case_request_reopen(case=case, reason=" ", now=NOW, **contact_args(setup))
    reopened = services.case_request_reopen(
        case=case, reason="Volvió a fallar.", now=NOW + timedelta(days=1), **contact_args(setup)
    )
    assert reopened.status == CaseStatus.REOPENED
    reopening = CaseActivity.objects.get(case=case, kind=ActivityKind.REOPENING)
    assert "Volvió a fallar." in reopening.body and reopening.author == setup["requester"].user
    with pytest.raises(CaseError) as again:
        services.case_request_reopen(case=case, reason="otra", now=NOW, **contact_args(setup))
    assert again.value.code == "open"


def test_no_reopening_once_the_contract_ended(setup, eng) -> None:
    ended = datetime(2026, 11, 30, 10, 0, tzinfo=BOGOTA)
    contract = setup["contract"]
    contract.end_date = date(2026, 12, 15)
    contract.save()
    case = registered_case(setup=setup, actor=eng, now=ended)
    services.case_close(case=case, actor=eng, reason=CloseReason.INACTIVITY, now=ended + timedelta(hours=1))
    with pytest.raises(CaseError) as refused:
        services.case_request_reopen(
            case=case, reason="Sigue", now=datetime(2026, 12, 20, 9, tzinfo=BOGOTA), **contact_args(setup)
        )
    assert refused.value.code == "no_contract"


def test_requests_may_be_about_covered_supported_installations_only(setup) -> None:
    customer = setup["customer"]
    covered = setup["installation"]
    obsolete = InstallationFactory(customer=customer, product=ProductFactory(name="CTPos", is_obsolete=True))
    setup["contract"].installations.add(obsolete)
    uncovered = InstallationFactory(customer=customer, product=ProductFactory(name="Denwa"))
    InstallationFactory(product=ProductFactory(name="CTVox"))  # another company's
    offered = services.installations_open_to_requests(customer=customer, on=NOW)
    assert offered == [covered]
    for installation in (covered, obsolete, uncovered):
        decision = services.check_intake(
            customer=customer,
            requester=setup["requester"],
            installation=installation,
            scope="product",
            on=NOW,
        )
        assert isinstance(decision, services.registration.Intake) == (installation in offered)


def test_a_contract_without_a_list_covers_every_installation(setup) -> None:
    customer = setup["customer"]
    other = InstallationFactory(customer=customer, product=ProductFactory(name="CTMail"))
    SupportContractFactory(customer=customer, end_date=setup["contract"].end_date + timedelta(days=30))
    offered = services.installations_open_to_requests(customer=customer, on=NOW)
    assert set(offered) == {setup["installation"], other}


def test_no_installations_offered_and_the_request_refused_once_the_contract_expired(setup) -> None:
    contract = setup["contract"]
    contract.start_date, contract.end_date = date(2025, 1, 1), date(2025, 12, 31)
    contract.save()
    assert services.installations_open_to_requests(customer=setup["customer"], on=NOW) == []
    with pytest.raises(CaseError) as refused:
        registered_case(setup=setup, actor=setup["requester"].user, channel=Channel.PORTAL, now=NOW)
    assert refused.value.code == RefusedRequest.Reason.NO_CONTRACT
    assert "comercial@calltechsa.com" in refused.value.messages[0]
    assert RefusedRequest.objects.get().channel == Channel.PORTAL


def test_a_portal_request_keeps_its_suggested_priority_until_an_engineer_confirms_or_changes_it(
    setup, eng
) -> None:
    case = registered_case(
        setup=setup, actor=setup["requester"].user, channel=Channel.PORTAL, priority="P4", now=NOW
    )
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    assert registration.data["priority_suggested"] is True and "P4" in registration.body
    assert services.priority_awaits_confirmation(case)
    # Gold P4: 32 business hours from Tuesday 09:00 (10 h a day) → Friday 11:00.
    assert case.attention_due_at == datetime(2026, 12, 4, 11, 0, tzinfo=BOGOTA)
    services.case_change_priority(case=case, actor=eng, priority="P4", now=NOW + timedelta(hours=1))
    confirmation = case.activities.get(kind=ActivityKind.PRIORITY_CHANGE)
    assert confirmation.data["confirmed"] is True and confirmation.is_public
    assert not services.priority_awaits_confirmation(case)
    # Confirming again records nothing more.
    services.case_change_priority(case=case, actor=eng, priority="P4", now=NOW + timedelta(hours=2))
    assert case.activities.filter(kind=ActivityKind.PRIORITY_CHANGE).count() == 1
    # A change recomputes the deadline from the submission: Gold P1, 2 h from 09:00.
    changed = services.case_change_priority(case=case, actor=eng, priority="P1", now=NOW + timedelta(hours=3))
    assert changed.attention_due_at == datetime(2026, 12, 1, 11, 0, tzinfo=BOGOTA)


def test_a_desk_case_has_no_suggested_priority_to_confirm(case, eng) -> None:
    assert not services.priority_awaits_confirmation(case)
    services.case_change_priority(case=case, actor=eng, priority=case.priority, now=NOW)
    assert not case.activities.filter(kind=ActivityKind.PRIORITY_CHANGE).exists()
