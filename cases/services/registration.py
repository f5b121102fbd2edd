"""Registering cases: the scheme's intake rules, the case number, the attention deadline."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import selectors as contract_selectors
from contracts.models import Customer, Installation, Priority, SupportContract, TechnicalContact

from ..errors import CaseError, RegistrationRefused
from ..models import (
    ActivityKind,
    Case,
    CaseKind,
    CaseStatus,
    Channel,
    RefusedRequest,
    Scope,
    SupportTier,
)
from ..numbering import allocate_case_number
from ..search import search_document
from .attachments import attachments_check, attachments_store
from .common import add_activity, apply_deadlines, user_or_none


@dataclass(frozen=True)
class Intake:
    """What the rules decided: the contract that serves the request."""

    contract: SupportContract


def _refuse(
    *,
    reason: str,
    message: str,
    actor: User | None,
    customer: Customer | None,
    requester: TechnicalContact | None,
    channel: str,
    subject: str,
    now: datetime,
    requester_text: str = "",
) -> RegistrationRefused:
    # A name that ends the sentence with its own period ("Empresa S.A.S.") takes no second one.
    message = re.sub(r"\.\.(?=\s|$)", ".", message)
    refusal = RefusedRequest.objects.create(
        customer=customer,
        requester=requester,
        requester_text=requester_text or (str(requester) if requester else ""),
        channel=channel,
        reason=reason,
        message=message,
        subject=subject[:200],
        refused_by=user_or_none(actor),
        refused_at=now,
    )
    return RegistrationRefused(message, code=reason, refusal=refusal)


def requester_may_request(*, customer: Customer, requester: TechnicalContact) -> bool:
    """Only active designated contacts; with none designated, the scheme lets the vendor accept
    contacts who opened cases before (``SMA_ACCEPT_PREVIOUS_REQUESTERS``)."""
    if requester.customer_id != customer.pk:
        return False
    if requester.is_active:
        return True
    if not getattr(settings, "SMA_ACCEPT_PREVIOUS_REQUESTERS", True):
        return False
    has_designated = contract_selectors.active_technical_contacts(customer=customer).exists()
    return not has_designated and Case.objects.filter(requester=requester).exists()


def check_intake(
    *,
    customer: Customer,
    requester: TechnicalContact,
    installation: Installation,
    scope: str,
    on: datetime,
) -> tuple[str, str] | Intake:
    """Apply the scheme's rules. Returns the Intake, or (reason, message) when refused."""
    R = RefusedRequest.Reason
    if not requester_may_request(customer=customer, requester=requester):
        return R.NOT_DESIGNATED, _(
            "%(name)s is not a designated technical contact of %(customer)s. Only the contacts the "
            "customer designated may request support; the customer can designate them with "
            "Calltech."
        ) % {"name": requester.full_name, "customer": customer.name}
    if scope != Scope.PRODUCT:
        return R.OUT_OF_SCOPE, _(
            "Technical support does not cover %(scope)s. It covers the operation of the Calltech "
            "products the customer licensed; please contact comercial@calltechsa.com for other "
            "services."
        ) % {"scope": Scope(scope).label.lower()}
    if installation.customer_id != customer.pk:
        return R.NOT_LICENSED, _("%(product)s is not licensed by %(customer)s.") % {
            "product": installation.product.name,
            "customer": customer.name,
        }
    contract = contract_selectors.contract_in_force(
        customer=customer, installation=installation, on=timezone.localdate(on)
    )
    if contract is None:
        return R.NO_CONTRACT, no_contract_message(customer)
    refusal = installation_refusal(installation=installation, contract=contract)
    return refusal or Intake(contract=contract)


def no_contract_message(customer: Customer) -> str:
    """Why a customer without a contract in force is not served, and where to renew."""
    return _(
        "%(customer)s has no support contract in force, so the request cannot be served. "
        "Please contact comercial@calltechsa.com to renew it."
    ) % {"customer": customer.name}


def installation_refusal(*, installation: Installation, contract: SupportContract) -> tuple[str, str] | None:
    """The rules on what is asked about, given the contract in force that would serve it (the one
    covering the installation, else the latest): (reason, message), or None when it may be served."""
    R = RefusedRequest.Reason
    covered = list(contract.installations.all())
    if covered and installation not in covered:
        return R.NOT_LICENSED, _("%(product)s is not covered by contract %(contract)s.") % {
            "product": installation.product.name,
            "contract": contract.number,
        }
    if installation.product.is_obsolete:
        return R.OBSOLETE, _("%(product)s is obsolete and no longer supported by Calltech.") % {
            "product": installation.product.name
        }
    return None


def installations_open_to_requests(*, customer: Customer, on: datetime) -> list[Installation]:
    """The customer's installations a request may be about on that day: covered by a contract in
    force and not obsolete (the rules of ``check_intake``, over one read of the contracts)."""
    contracts = list(
        contract_selectors.contracts_in_force(customer=customer, on=timezone.localdate(on))
        .prefetch_related("installations")
        .order_by("-end_date", "-pk")
    )
    if not contracts:
        return []
    offered = []
    for installation in Installation.objects.filter(customer=customer).select_related("product"):
        covering = [c for c in contracts if installation in c.installations.all()]
        contract = covering[0] if covering else contracts[0]
        if installation_refusal(installation=installation, contract=contract) is None:
            offered.append(installation)
    return offered


def case_register(
    *,
    actor: User | None,
    customer: Customer,
    requester: TechnicalContact,
    installation: Installation,
    channel: str,
    subject: str,
    description: str,
    priority: str = "",
    kind: str = CaseKind.INCIDENT,
    scope: str = Scope.PRODUCT,
    tier: int = SupportTier.N1,
    product_version: str = "",
    product_build: str = "",
    operating_system: str = "",
    os_version: str = "",
    reproducer: str = "",
    assigned_to: User | None = None,
    attachments: Sequence[UploadedFile] = (),
    audit: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """Register a request as a case, or record why it was refused and raise RegistrationRefused.

    ``audit``: what the registration's audit row keeps of who made it when that is not a user
    (e.g. ``{"api_key": "CRM"}`` for an integration)."""
    now = now or timezone.now()
    if priority and priority not in Priority.values:
        raise CaseError(_("Priority must be one of P1, P2, P3 or P4."), code="bad_priority")
    if channel not in Channel.values:
        raise CaseError(_("Unknown channel."), code="bad_channel")
    if not priority and channel != Channel.EMAIL:
        # Only a request received by e-mail may wait for an engineer to read it and set it.
        raise CaseError(_("Set the priority: it fixes the attention time."), code="no_priority")
    if kind not in CaseKind.values:
        raise CaseError(_("Unknown case kind."), code="bad_kind")
    if tier not in SupportTier.values:
        raise CaseError(_("Support tier must be N1 to N4."), code="bad_tier")
    if not subject.strip() or not description.strip():
        raise CaseError(_("A case needs a subject and a description."), code="incomplete")
    checked = attachments_check(attachments)  # all or nothing, before anything is written

    decision = check_intake(
        customer=customer, requester=requester, installation=installation, scope=scope, on=now
    )
    if not isinstance(decision, Intake):
        reason, message = decision
        raise _refuse(
            reason=reason,
            message=message,
            actor=actor,
            customer=customer,
            requester=requester,
            channel=channel,
            subject=subject,
            now=now,
        )

    with transaction.atomic():
        contract = decision.contract
        case = Case(
            number=allocate_case_number(registered_at=now),
            customer=customer,
            contract=contract,
            plan=contract.plan,
            installation=installation,
            product=installation.product,
            requester=requester,
            channel=channel,
            kind=kind,
            priority=priority,
            tier=tier,
            status=CaseStatus.ASSIGNED if assigned_to else CaseStatus.NEW,
            subject=subject.strip(),
            description=description.strip(),
            product_version=product_version or installation.version,
            product_build=product_build or installation.build,
            operating_system=operating_system or installation.operating_system,
            os_version=os_version or installation.os_version,
            reproducer=reproducer,
            registered_by=user_or_none(actor),
            assigned_to=assigned_to,
            registered_at=now,
        )
        case.search_document = search_document(
            number=case.number,
            customer_name=customer.name,
            subject=case.subject,
            description=case.description,
        )
        apply_deadlines(case)
        case.save()
        registration = add_activity(
            case=case,
            actor=actor,
            kind=ActivityKind.REGISTRATION,
            now=now,
            is_public=True,
            body=_("Case %(number)s registered by %(channel)s.")
            % {"number": case.number, "channel": Channel(channel).label}
            + (
                " "
                + _("Priority suggested by the customer: %(priority)s; an engineer confirms it.")
                % {"priority": priority}
                if channel == Channel.PORTAL
                else ""
            ),
            data={
                "priority": priority,
                "tier": tier,
                "assigned_to": getattr(assigned_to, "pk", None),
                **({"priority_suggested": True} if channel == Channel.PORTAL else {}),
                **(audit or {}),
            },
        )
        attachments_store(case=case, actor=actor, checked=checked, activity=registration, now=now)
    return case
