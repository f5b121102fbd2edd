"""Customer escalations: a petition, complaint or claim (PQR) on a case climbs the escalation
matrix one level at a time. Each level reached is notified once (a Notification tied one-to-one to
the step), must acknowledge within SMA_PQR_ACK_HOURS business hours of the office calendar or the
PQR climbs by itself, and the customer is e-mailed where the escalation stands at every step. The
portal will call these same services."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.errors import CaseError
from cases.models import ActivityKind, Case, CaseActivity, CaseStatus, CloseReason
from cases.services.common import user_or_none
from contracts import business_time, sla
from contracts.models import TechnicalContact

from ..models import CustomerEmail, EscalationLevel, Pqr, PqrStep
from .customer_mail import customer_email_queue
from .pqr_notify import pqr_step_notify
from .reach import Person, level_people, reachable

HANDLE_PERMISSION = "escalation.handle_pqr"

logger = logging.getLogger(__name__)


class PqrError(CaseError):
    """A PQR action that cannot be done; the message is for the user."""


def pqr_refusal(*, case: Case, now: datetime) -> str | None:
    """Why a PQR cannot be raised on this case now, or None when it can. The scheme allows it
    when the attention time passed without an answer, or when the customer does not accept the
    answer given."""
    if Pqr.objects.filter(case=case, status=Pqr.Status.OPEN).exists():
        return _("Case %(number)s already has an open PQR; escalate that one instead.") % {
            "number": case.number
        }
    unanswered = (
        case.first_response_at is None and case.attention_due_at is not None and now > case.attention_due_at
    )
    answered_late = case.attention_met is False
    # An answer the customer has not (yet) accepted: proposed, reopened, or closed without their
    # acceptance. A solution they accepted (or a duplicate's closure) is no ground for a PQR,
    # unless it came late.
    closed_unaccepted = case.status == CaseStatus.CLOSED and case.close_reason not in (
        CloseReason.ACCEPTED,
        CloseReason.DUPLICATE,
    )
    answer_not_accepted = closed_unaccepted or case.status in (
        CaseStatus.SOLUTION_PROPOSED,
        CaseStatus.REOPENED,
    )
    if unanswered or answered_late or answer_not_accepted:
        return None
    if case.status == CaseStatus.CLOSED and case.close_reason == CloseReason.ACCEPTED:
        return _(
            "Case %(number)s was closed on a solution the customer accepted, within its attention "
            "time. If the problem came back, ask to reopen the case."
        ) % {"number": case.number}
    if case.status == CaseStatus.CLOSED:
        return _("Case %(number)s was closed as a duplicate; follow the original case.") % {
            "number": case.number
        }
    if CaseActivity.objects.filter(case=case, kind=ActivityKind.SOLUTION_REJECTED).exists():
        return None  # the customer did not accept the answer given
    return _(
        "A PQR can be raised when the attention time passed without an answer, or when the "
        "customer does not accept the answer given. Case %(number)s is within its attention time."
    ) % {"number": case.number}


def _ack_due(level: EscalationLevel, reached_at: datetime) -> datetime | None:
    if not EscalationLevel.objects.filter(number__gt=level.number).exists():
        return None  # the top of the matrix: nowhere left to climb
    calendar = sla.snapshot().calendar(settings.SMA_OFFICE_CALENDAR)
    return business_time.add_business_time(reached_at, timedelta(hours=settings.SMA_PQR_ACK_HOURS), calendar)


def _people(level: EscalationLevel) -> list[Person]:
    return level_people(level)


def _tell_customer(*, pqr: Pqr, key: str, headline: str, message: str, now: datetime) -> None:
    """The customer is told where the PQR stands and who has it: only people the notification can
    reach are named (a level nobody can be reached at names nobody)."""
    people = [
        {"name": p["name"], "role": p["role"], "phone_extension": p["extension"]}
        for p in reachable(_people(pqr.level))
    ]
    customer_email_queue(
        key=key,
        event=CustomerEmail.Event.PQR,
        to_email=pqr.contact.email,
        to_name=pqr.contact.full_name,
        template="pqr_update",
        context={
            "pqr": pqr,
            "level": pqr.level,
            "people": people,
            "contact": pqr.contact,
            "headline": headline,
            "message": message,
        },
        case=pqr.case,
        now=now,
    )


def _reach(
    *,
    pqr: Pqr,
    level: EscalationLevel,
    reason: str,
    note: str,
    actor: User | None,
    now: datetime,
) -> PqrStep:
    """The PQR arrives at a level: the step, the level's notification, the timeline, the customer."""
    try:
        with transaction.atomic():
            step = PqrStep.objects.create(
                pqr=pqr,
                level=level,
                reason=reason,
                note=note,
                reached_at=now,
                ack_due_at=_ack_due(level, now),
            )
    except IntegrityError:
        raise PqrError(
            _("%(code)s already reached level N%(level)d.") % {"code": pqr.code, "level": level.number},
            code="level_reached",
        ) from None
    pqr.level = level
    pqr.save(update_fields=["level"])
    pqr_step_notify(pqr=pqr, step=step, actor=actor, now=now)
    with translation.override(settings.LANGUAGE_CODE):  # the customer reads Spanish
        if reason == PqrStep.Reason.RAISED:
            headline = _("received")
            message = _("We received your %(kind)s: “%(description)s”") % {
                "kind": pqr.get_kind_display().lower(),
                "description": pqr.description,
            }
        else:
            headline = _("escalated to level N%(level)d") % {"level": level.number}
            message = _("Your %(kind)s was escalated to level N%(level)d: %(reason)s.") % {
                "kind": pqr.get_kind_display().lower(),
                "level": level.number,
                "reason": step.get_reason_display().lower(),
            }
    _tell_customer(pqr=pqr, key=f"pqr-step:{step.pk}", headline=headline, message=message.strip(), now=now)
    return step


def _lock(pqr: Pqr) -> Pqr:
    """The PQR row alone is locked (always before its steps: one lock order for every action)."""
    return (
        Pqr.objects.select_for_update(of=("self",))
        .select_related("case__customer", "level", "contact")
        .get(pk=pqr.pk)
    )


def _current_step(pqr: Pqr) -> PqrStep:
    return PqrStep.objects.select_for_update().get(pqr=pqr, level=pqr.level)


def _require_open(pqr: Pqr) -> None:
    if pqr.status != Pqr.Status.OPEN:
        raise PqrError(_("%(code)s is already resolved.") % {"code": pqr.code}, code="resolved")


def _require_handler(actor: User | None) -> None:
    if actor is None or not actor.has_perm(HANDLE_PERMISSION):
        raise PqrError(
            _("Only support managers and the escalation levels may acknowledge or resolve a PQR."),
            code="forbidden",
        )


@transaction.atomic
def pqr_raise(
    *,
    actor: User | None,
    case: Case,
    contact: TechnicalContact,
    kind: str,
    description: str,
    now: datetime | None = None,
) -> Pqr:
    """The customer's contact raises a PQR (through an engineer, the portal or e-mail); it starts at
    the first level of the matrix."""
    now = now or timezone.now()
    if kind not in Pqr.Kind.values:
        raise PqrError(_("Choose petition, complaint or claim."), code="bad_kind")
    if not description.strip():
        raise PqrError(_("Say what the customer asks for."), code="empty")
    case = Case.objects.select_for_update(of=("self",)).select_related("customer").get(pk=case.pk)
    if not case_services.requester_may_request(customer=case.customer, requester=contact):
        raise PqrError(
            _("%(name)s is not a designated contact of %(customer)s.")
            % {"name": contact.full_name, "customer": case.customer.name},
            code="other_customer",
        )
    refusal = pqr_refusal(case=case, now=now)
    if refusal:
        raise PqrError(refusal, code="not_allowed")
    first = EscalationLevel.objects.order_by("number").first()
    if first is None:
        raise PqrError(_("The escalation matrix is empty; an admin must configure it."), code="no_matrix")
    pqr = Pqr.objects.create(
        case=case,
        kind=kind,
        description=description.strip(),
        contact=contact,
        recorded_by=user_or_none(actor),
        raised_at=now,
        level=first,
    )
    _reach(pqr=pqr, level=first, reason=PqrStep.Reason.RAISED, note=pqr.description, actor=actor, now=now)
    return pqr


@transaction.atomic
def pqr_acknowledge(*, actor: User, pqr: Pqr, note: str = "", now: datetime | None = None) -> PqrStep:
    """The current level takes charge of the PQR; the customer is told who has it."""
    now = now or timezone.now()
    _require_handler(actor)
    pqr = _lock(pqr)
    _require_open(pqr)
    step = _current_step(pqr)
    if step.acknowledged_at is not None:
        raise PqrError(
            _("Level N%(level)d already acknowledged %(code)s.")
            % {"level": pqr.level.number, "code": pqr.code},
            code="acknowledged",
        )
    step.acknowledged_at, step.acknowledged_by, step.ack_note = now, actor, note.strip()
    step.save(update_fields=["acknowledged_at", "acknowledged_by", "ack_note"])
    who = actor.get_full_name() or actor.get_username()
    case_services.case_record_pqr(
        case=pqr.case,
        actor=actor,
        body=_("%(code)s acknowledged at N%(level)d by %(who)s. %(note)s")
        % {"code": pqr.code, "level": pqr.level.number, "who": who, "note": step.ack_note},
        data={"pqr": pqr.pk, "step": step.pk, "acknowledged": True},
        now=now,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_customer(
            pqr=pqr,
            key=f"pqr-ack:{step.pk}",
            headline=_("acknowledged at level N%(level)d") % {"level": pqr.level.number},
            message=(
                _("%(who)s (level N%(level)d) took charge of your request.")
                % {"who": who, "level": pqr.level.number}
                + (f"\n\n{step.ack_note}" if step.ack_note else "")
            ),
            now=now,
        )
    return step


@transaction.atomic
def pqr_escalate(
    *,
    actor: User | None,
    pqr: Pqr,
    reason: str,
    note: str = "",
    overdue_step: PqrStep | None = None,
    now: datetime | None = None,
) -> PqrStep:
    """Climb one level: the customer is not satisfied (CUSTOMER), the level hands it up (STAFF), or
    the level did not acknowledge in time (UNACKNOWLEDGED, from the sweep)."""
    now = now or timezone.now()
    if reason not in (PqrStep.Reason.CUSTOMER, PqrStep.Reason.STAFF, PqrStep.Reason.UNACKNOWLEDGED):
        raise PqrError(_("Say why the PQR climbs."), code="bad_reason")
    if reason == PqrStep.Reason.STAFF:
        _require_handler(actor)
    pqr = _lock(pqr)
    _require_open(pqr)
    following = EscalationLevel.objects.filter(number__gt=pqr.level.number).order_by("number").first()
    if following is None:
        raise PqrError(
            _("%(code)s is at the highest level of the escalation matrix.") % {"code": pqr.code},
            code="top",
        )
    if reason == PqrStep.Reason.UNACKNOWLEDGED:
        # Only the step the sweep found overdue may climb, and only if it still is (a manager may
        # have acknowledged or escalated it meanwhile).
        current = _current_step(pqr)
        if (
            overdue_step is None
            or current.pk != overdue_step.pk
            or current.acknowledged_at is not None
            or current.ack_due_at is None
            or current.ack_due_at > now
        ):
            raise PqrError(_("The level acknowledged it."), code="acknowledged")
        current.ack_due_at = None  # handled: the next level has its own deadline
        current.save(update_fields=["ack_due_at"])
    return _reach(pqr=pqr, level=following, reason=reason, note=note.strip(), actor=actor, now=now)


@transaction.atomic
def pqr_resolve(*, actor: User, pqr: Pqr, resolution: str, now: datetime | None = None) -> Pqr:
    """The level holding the PQR answers it; the customer gets the answer."""
    now = now or timezone.now()
    _require_handler(actor)
    if not resolution.strip():
        raise PqrError(_("Write the answer given to the customer."), code="empty")
    pqr = _lock(pqr)
    _require_open(pqr)
    pqr.status, pqr.resolved_at, pqr.resolved_by = Pqr.Status.RESOLVED, now, actor
    pqr.resolution = resolution.strip()
    pqr.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
    PqrStep.objects.filter(pqr=pqr, acknowledged_at__isnull=True).update(ack_due_at=None)
    case_services.case_record_pqr(
        case=pqr.case,
        actor=actor,
        body=_("%(code)s resolved at N%(level)d: %(resolution)s")
        % {"code": pqr.code, "level": pqr.level.number, "resolution": pqr.resolution},
        data={"pqr": pqr.pk, "resolved": True},
        now=now,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_customer(
            pqr=pqr,
            key=f"pqr-resolved:{pqr.pk}",
            headline=_("resolved"),
            message=pqr.resolution,
            now=now,
        )
    return pqr


def pqr_sweep(*, now: datetime | None = None, batch: int = 100) -> list[int]:
    """Climb every PQR whose current level let the acknowledgement time pass (beat, every minute).

    The overdue steps are read without locks; each then climbs in its own transaction that locks
    the PQR before the step (the order every PQR action uses), re-checks the step is still the
    current, unacknowledged and overdue one, and climbs once — overlapping sweeps and a manager
    acting at the same moment cannot make it climb twice. One PQR failing does not stop the rest.
    """
    now = now or timezone.now()
    climbed: list[int] = []
    overdue = list(
        PqrStep.objects.filter(acknowledged_at__isnull=True, ack_due_at__lte=now, pqr__status=Pqr.Status.OPEN)
        .order_by("ack_due_at")
        .values_list("pk", "pqr_id")[:batch]
    )
    for step_id, pqr_id in overdue:
        try:
            with transaction.atomic():
                pqr = Pqr(pk=pqr_id)
                step = PqrStep(pk=step_id)
                nxt = pqr_escalate(
                    actor=None, pqr=pqr, reason=PqrStep.Reason.UNACKNOWLEDGED, overdue_step=step, now=now
                )
            climbed.append(nxt.pk)
        except PqrError as refused:
            if refused.code == "top":  # nowhere to climb: stop watching this step
                PqrStep.objects.filter(pk=step_id).update(ack_due_at=None)
        except Exception:
            logger.exception("PQR %s could not climb; the next sweep tries again", pqr_id)
    return climbed
