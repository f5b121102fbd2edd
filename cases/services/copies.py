"""Copies on a case: other designated contacts of the same company receive the case's e-mails
too. Added or removed by an engineer on the desk, or by the case's requester in the portal; an
address that is not an active designated contact of the case's company is refused, always."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import TechnicalContact

from ..copy_models import CaseCopy
from ..errors import CaseError
from ..models import ActivityKind, Case
from .common import add_activity, lock_case


def _require_requester(case: Case, by_contact: TechnicalContact | None) -> None:
    if by_contact is not None and by_contact.pk != case.requester_id:
        raise CaseError(
            _("Only the person who requested the case can change who is copied on it."),
            code="cc_not_requester",
        )


def copy_candidates(case: Case) -> list[TechnicalContact]:
    """The company's active designated contacts who could be copied (not the requester)."""
    return list(
        TechnicalContact.objects.filter(customer_id=case.customer_id, is_active=True)
        .exclude(pk=case.requester_id)
        .order_by("full_name")
    )


@transaction.atomic
def case_copy_add(
    *,
    case: Case,
    actor: User | None,
    email: str,
    by_contact: TechnicalContact | None = None,
    now: datetime | None = None,
) -> CaseCopy:
    """Copy the company's designated contact with this address on the case's e-mails. Adding the
    same contact again changes nothing."""
    now = now or timezone.now()
    case = lock_case(case)
    _require_requester(case, by_contact)
    address = (email or "").strip()
    contact = (
        TechnicalContact.objects.filter(customer_id=case.customer_id, is_active=True, email__iexact=address)
        .order_by("pk")
        .first()
    )
    if contact is None:
        raise CaseError(
            _(
                "%(email)s is not a designated technical contact of %(customer)s: only the company's "
                "designated contacts can be copied on its cases."
            )
            % {"email": address or "—", "customer": case.customer.name},
            code="cc_outside",
        )
    if contact.pk == case.requester_id:
        raise CaseError(
            _("%(name)s requested the case and already receives its e-mails.") % {"name": contact.full_name},
            code="cc_requester",
        )
    existing = CaseCopy.objects.filter(case=case, contact=contact).first()
    if existing is not None:
        return existing
    copy = CaseCopy.objects.create(case=case, contact=contact, added_by=actor, added_at=now)
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.COPIES_CHANGED,
        now=now,
        body=_("%(name)s <%(email)s> is copied on the case's e-mails.")
        % {"name": contact.full_name, "email": contact.email},
        is_public=True,
        data={"copy_added": contact.pk},
    )
    return copy


@transaction.atomic
def case_copy_remove(
    *,
    case: Case,
    actor: User | None,
    contact_id: int,
    by_contact: TechnicalContact | None = None,
    now: datetime | None = None,
) -> None:
    now = now or timezone.now()
    case = lock_case(case)
    _require_requester(case, by_contact)
    copy = CaseCopy.objects.select_related("contact").filter(case=case, contact_id=contact_id).first()
    if copy is None:
        return
    contact = copy.contact
    copy.delete()
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.COPIES_CHANGED,
        now=now,
        body=_("%(name)s <%(email)s> is no longer copied on the case's e-mails.")
        % {"name": contact.full_name, "email": contact.email},
        is_public=True,
        data={"copy_removed": contact.pk},
    )


def copy_addresses(case: Case) -> list[tuple[str, str]]:
    """(name, address) of the contacts copied on the case who are still active designated
    contacts of its company, for an e-mail about it (the requester is never among them)."""
    return list(
        CaseCopy.objects.filter(
            case_id=case.pk, contact__customer_id=case.customer_id, contact__is_active=True
        )
        .exclude(contact_id=case.requester_id)
        .order_by("added_at", "id")
        .values_list("contact__full_name", "contact__email")
    )
