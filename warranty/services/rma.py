"""RMA: opened by an engineer from a warranty-claim case, moved through its steps, each step on the
case's timeline and e-mailed to the customer. The delivery deadline is fixed when the RMA starts
(business time on the office calendar) and watched by ``services.watch``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import services as case_services
from cases.models import ActivityKind, Case, CaseKind
from contracts import sla
from escalation.models import CustomerEmail
from escalation.services import customer_email_queue

from ..deadlines import delivery_deadline
from ..errors import WarrantyError
from ..models import HardwareAsset, Rma, RmaExclusion, RmaStatus, RmaStep
from ..models.assets import DELIVERY_HOURS, MAIN_CITIES, WarrantyPlan
from .assets import asset_void, warranty_refusal

OPEN_PERMISSION = "warranty.add_rma"
ADVANCE_PERMISSION = "warranty.change_rma"

# status → the steps that may follow it (the reinstall and restore are steps of their own).
NEXT_STATUS: dict[str, dict[str, str]] = {
    RmaStatus.REQUESTED: {
        RmaStep.Kind.APPROVED: RmaStatus.APPROVED,
        RmaStep.Kind.REJECTED: RmaStatus.REJECTED,
    },
    RmaStatus.APPROVED: {RmaStep.Kind.DISPATCHED: RmaStatus.DISPATCHED},
    RmaStatus.DISPATCHED: {RmaStep.Kind.DELIVERED: RmaStatus.DELIVERED},
    RmaStatus.DELIVERED: {RmaStep.Kind.RECEIVED: RmaStatus.RECEIVED},
    RmaStatus.RECEIVED: {RmaStep.Kind.CLOSED: RmaStatus.CLOSED},
}
# The remote reinstall of the latest software/firmware and the restore of the customer's last
# backup happen once the replacement is on site.
SERVICE_STEPS = (RmaStep.Kind.REINSTALLED, RmaStep.Kind.RESTORED)
SERVICE_STEP_STATUSES = (RmaStatus.DELIVERED, RmaStatus.RECEIVED)

# What the customer is told when the RMA is rejected for each exclusion.
EXCLUSION_NOTICES: dict[str, Promise] = {
    RmaExclusion.ELECTRICAL_DAMAGE: gettext_lazy("The hardware warranty does not cover electrical damage."),
    RmaExclusion.SOFTWARE_MISCONFIGURATION: gettext_lazy(
        "The hardware warranty does not cover faults caused by a bad software configuration."
    ),
    RmaExclusion.VIRUS: gettext_lazy("The hardware warranty does not cover computer virus infections."),
    RmaExclusion.THIRD_PARTY_SOFTWARE: gettext_lazy(
        "Third-party software not authorised by Calltech was installed on the unit: the hardware "
        "warranty does not cover it and is void from now on."
    ),
    RmaExclusion.BACKUP_MANAGEMENT: gettext_lazy("The hardware warranty does not include backup management."),
    RmaExclusion.RECONFIGURATION: gettext_lazy(
        "The hardware warranty does not include reconfiguration services."
    ),
}


def possible_steps(rma: Rma) -> list[str]:
    """The steps an engineer may record on this RMA now, in the order they come."""
    steps = list(NEXT_STATUS.get(rma.status, {}))
    if rma.status in SERVICE_STEP_STATUSES:
        done = set(rma.steps.values_list("kind", flat=True))
        steps += [s for s in SERVICE_STEPS if s not in done]
    return steps


def _require(actor: User, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise WarrantyError(_("Only a support engineer can do that."), code="not_engineer")


def _when(instant: datetime | None) -> str:
    return f"{timezone.localtime(instant):%d/%m/%Y %H:%M}" if instant else ""


def _transport_note(rma: Rma) -> str:
    if rma.transport_covered:
        return ""
    return _(
        "Transport to %(city)s is not covered by the warranty (delivery in Bogotá and the main cities: "
        "%(cities)s)."
    ) % {"city": rma.delivery_city, "cities": ", ".join(MAIN_CITIES)}


def _record(
    *,
    rma: Rma,
    kind: str,
    actor: User | None,
    now: datetime,
    describe: Callable[[], str],
    note: str = "",
    exclusion: str = "",
) -> RmaStep:
    """The step (once per RMA), its line on the case's timeline and the customer's e-mail (always
    in the customers' language, whatever the engineer's)."""
    try:
        with transaction.atomic():
            step = RmaStep.objects.create(
                rma=rma, kind=kind, note=note, exclusion=exclusion, actor=actor, at=now
            )
    except IntegrityError:
        raise WarrantyError(
            _("%(code)s: that step was already recorded.") % {"code": rma.code}, code="step_done"
        ) from None
    body = describe()
    text = f"{rma.code} · {body}" + (f"\n{note}" if note else "")
    case_services.case_record_warranty_event(
        case=rma.case,
        actor=actor,
        kind=ActivityKind.RMA,
        body=text,
        data={"rma": rma.pk, "step": kind, "status": rma.status},
        now=now,
    )
    contact = rma.case.requester
    with translation.override(settings.LANGUAGE_CODE):
        message, headline, transport = describe(), str(RmaStep.Kind(kind).label), _transport_note(rma)
    customer_email_queue(
        key=f"rma-step:{step.pk}",
        event=CustomerEmail.Event.RMA,
        to_email=contact.email,
        to_name=contact.full_name,
        template="rma_update",
        context={
            "rma": rma,
            "step": step,
            "contact": contact,
            "headline": headline,
            "message": message,
            "note": note,
            "due": timezone.localtime(rma.delivery_due_at),
            "transport_note": transport,
        },
        case=rma.case,
        event_at=now,
        now=now,
    )
    return step


@transaction.atomic
def rma_open(
    *, case: Case, asset: HardwareAsset, actor: User, fault: str, now: datetime | None = None
) -> Rma:
    """Open an RMA for a unit of the case's customer: only from a warranty-claim case, only by an
    engineer, only while the unit's warranty covers the day. The delivery deadline starts now."""
    now = now or timezone.now()
    _require(actor, OPEN_PERMISSION)
    case = Case.objects.select_for_update().select_related("customer", "requester").get(pk=case.pk)
    if case.kind != CaseKind.WARRANTY_CLAIM:
        raise WarrantyError(
            _("An RMA is opened only from a warranty-claim case; case %(number)s is: %(kind)s.")
            % {"number": case.number, "kind": case.get_kind_display()},
            code="not_warranty_case",
        )
    if not case.is_open:
        raise WarrantyError(
            _("Case %(number)s is closed; reopen it first.") % {"number": case.number}, code="closed"
        )
    asset = HardwareAsset.objects.select_for_update().get(pk=asset.pk)
    if asset.customer_id != case.customer_id:
        raise WarrantyError(
            _("The unit %(serial)s is not %(customer)s's.")
            % {"serial": asset.serial_number, "customer": case.customer.name},
            code="foreign_asset",
        )
    refusal = warranty_refusal(asset, day=timezone.localdate(now))
    if refusal is not None:
        raise refusal
    if Rma.objects.filter(asset=asset).exclude(status__in=[RmaStatus.REJECTED, RmaStatus.CLOSED]).exists():
        raise WarrantyError(
            _("The unit %(serial)s already has an RMA in progress.") % {"serial": asset.serial_number},
            code="rma_in_progress",
        )
    if not fault.strip():
        raise WarrantyError(_("Describe the fault."), code="no_fault")
    snap = sla.snapshot()
    plan = WarrantyPlan(asset.warranty_plan)
    deadline = delivery_deadline(
        now,
        hours=DELIVERY_HOURS[plan],
        nbd_24x7=asset.nbd_24x7,
        calendar=snap.calendar(settings.SMA_OFFICE_CALENDAR),
        warn_share=snap.at_risk_share,
    )
    rma = Rma.objects.create(
        case=case,
        asset=asset,
        status=RmaStatus.REQUESTED,
        fault=fault.strip(),
        warranty_plan=plan,
        nbd_24x7=asset.nbd_24x7,
        delivery_city=asset.delivery_city,
        transport_covered=asset.transport_covered,
        started_at=now,
        delivery_due_at=deadline.due_at,
        warning_at=deadline.warning_at,
        warn_at=deadline.warning_at,
        opened_by=actor,
    )

    def describe() -> str:
        body = _(
            "RMA requested for %(model)s %(serial)s (%(plan)s%(nbd)s). The replacement is due by %(due)s."
        ) % {
            "model": asset.model,
            "serial": asset.serial_number,
            "plan": plan.label,
            "nbd": _(", 24x7 next business day") if asset.nbd_24x7 else "",
            "due": _when(rma.delivery_due_at),
        }
        return f"{body} {_transport_note(rma)}".strip()

    _record(rma=rma, kind=RmaStep.Kind.REQUESTED, actor=actor, now=now, describe=describe, note=rma.fault)
    return rma


def _step_body(rma: Rma, kind: str, exclusion: str) -> str:
    if kind == RmaStep.Kind.REJECTED:
        return _("RMA rejected: %(notice)s") % {"notice": EXCLUSION_NOTICES[exclusion]}
    if kind == RmaStep.Kind.DELIVERED:
        if rma.delivery_met:
            return _("Replacement delivered in time (due %(due)s).") % {"due": _when(rma.delivery_due_at)}
        return _("Replacement delivered late (it was due %(due)s).") % {"due": _when(rma.delivery_due_at)}
    if kind == RmaStep.Kind.APPROVED:
        return _("RMA approved: a replacement unit is being prepared (due by %(due)s).") % {
            "due": _when(rma.delivery_due_at)
        }
    return str(RmaStep.Kind(kind).label) + "."


@transaction.atomic
def rma_advance(
    *,
    rma: Rma,
    actor: User,
    step: str,
    note: str = "",
    exclusion: str = "",
    now: datetime | None = None,
) -> Rma:
    """Record the RMA's next step: approve, or reject with its exclusion (unauthorised third-party
    software also voids the unit's warranty), dispatch, deliver, receive the faulty unit, close;
    and, once the replacement is on site, the remote reinstall and the backup restore."""
    now = now or timezone.now()
    _require(actor, ADVANCE_PERMISSION)
    rma = (
        Rma.objects.select_for_update(of=("self",))
        .select_related("case__requester", "case__customer", "asset")
        .get(pk=rma.pk)
    )
    allowed = possible_steps(rma)
    if step not in allowed:
        raise WarrantyError(
            _("%(code)s is %(status)s: “%(step)s” cannot be recorded now.")
            % {
                "code": rma.code,
                "status": rma.get_status_display().lower(),
                "step": RmaStep.Kind(step).label if step in RmaStep.Kind.values else step,
            },
            code="bad_step",
        )
    if step == RmaStep.Kind.REJECTED:
        if exclusion not in RmaExclusion.values:
            raise WarrantyError(_("Choose the exclusion the claim falls under."), code="no_exclusion")
    else:
        exclusion = ""
    if step in SERVICE_STEPS:
        field = "reinstalled_at" if step == RmaStep.Kind.REINSTALLED else "backup_restored_at"
        setattr(rma, field, now)
        rma.save(update_fields=[field])
    else:
        rma.status = NEXT_STATUS[rma.status][step]
        fields = ["status"]
        if step == RmaStep.Kind.REJECTED:
            rma.exclusion, rma.warn_at, rma.closed_at = exclusion, None, now
            fields += ["exclusion", "warn_at", "closed_at"]
            if exclusion == RmaExclusion.THIRD_PARTY_SOFTWARE:
                asset_void(asset=rma.asset, actor=actor, reason=str(RmaExclusion(exclusion).label), now=now)
        elif step == RmaStep.Kind.DELIVERED:
            rma.delivered_at, rma.delivery_met, rma.warn_at = now, now <= rma.delivery_due_at, None
            fields += ["delivered_at", "delivery_met", "warn_at"]
        elif step == RmaStep.Kind.CLOSED:
            rma.closed_at = now
            fields.append("closed_at")
        rma.save(update_fields=fields)
    _record(
        rma=rma,
        kind=step,
        actor=actor,
        now=now,
        describe=lambda: _step_body(rma, step, exclusion),
        note=note.strip(),
        exclusion=exclusion,
    )
    return rma
