"""Portal accounts of technical contacts: the invitation to the portal.

An engineer or admin who designates a contact invites them: the contact gets an account (created
without a usable password when they have none) and an e-mail with a single-use link, valid for
PASSWORD_RESET_TIMEOUT, to choose their password (Django's password-reset token: it stops working
once the password is set or the contact signs in). The e-mail is sent after commit, once per
invitation (contracts.tasks.send_portal_invitation).
"""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..models import TechnicalContact, TechnicalContactChange


def _free_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", maxsplit=1)[0].lower())[:140] or "contacto"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


@transaction.atomic
def technical_contact_invite(
    *, actor: User | None, contact: TechnicalContact, now: datetime | None = None
) -> TechnicalContactChange:
    """Invite an active contact to the portal (again, if the first e-mail was lost or expired)."""
    from ..tasks import send_portal_invitation
    from . import technical_contact_update

    now = now or timezone.now()
    contact = (
        TechnicalContact.objects.select_for_update(of=("self",)).select_related("user").get(pk=contact.pk)
    )
    if not contact.is_active:
        raise ValidationError(
            _("%(name)s is no longer a designated contact: only active contacts are invited to the portal.")
            % {"name": contact.full_name},
            code="inactive",
        )
    user = contact.user
    if user is not None and (user.is_staff or user.is_superuser):
        raise ValidationError(
            _("%(name)s's account is a staff account; a portal invitation is for customers only.")
            % {"name": contact.full_name},
            code="staff",
        )
    if user is None:
        first, _sep, last = contact.full_name.partition(" ")
        user = User(
            username=_free_username(contact.email), email=contact.email, first_name=first, last_name=last
        )
        user.set_unusable_password()
        user.save()
        contact = technical_contact_update(actor=actor, contact=contact, user=user, now=now)
    elif user.email != contact.email:
        user.email = contact.email
        user.save(update_fields=["email"])
    change = TechnicalContactChange.objects.create(
        contact=contact,
        action=TechnicalContactChange.Action.INVITED,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
        changes={"user": user.username, "email": contact.email},
    )
    transaction.on_commit(lambda: send_portal_invitation.delay(change.pk))
    return change


def _address(name: str, address: str) -> str:
    """``Name <address>``, quoted where the name needs it."""
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):
        return address


def invitation_link(user: User) -> str:
    """The single-use link to choose a password (Django's reset token: it changes once the password
    is set or the user signs in, and expires after PASSWORD_RESET_TIMEOUT)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    return settings.SMA_SITE_URL.rstrip("/") + path


@transaction.atomic
def portal_invitation_send(*, change_id: int, now: datetime | None = None) -> bool:
    """Send one invitation's e-mail, once (the row is locked and marked in the same transaction).
    False when it went out already, or the contact is no longer designated."""
    now = now or timezone.now()
    change = (
        TechnicalContactChange.objects.select_for_update(of=("self",))
        .select_related("contact__user", "contact__customer")
        .get(pk=change_id)
    )
    if change.action != TechnicalContactChange.Action.INVITED or change.changes.get("mailed_at"):
        return False
    contact, user = change.contact, change.contact.user
    if user is None or not contact.is_active:
        change.changes["mailed_at"] = None
        change.changes["skipped"] = "not designated any more"
        change.save(update_fields=["changes"])
        return False
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your access to the Calltech support portal")
        body = render_to_string(
            "registration/portal_invitation_email.txt",
            {
                "contact": contact,
                "username": user.get_username(),
                "link": invitation_link(user),
                "hours": hours,
                "site_url": settings.SMA_SITE_URL.rstrip("/"),
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [_address(contact.full_name, contact.email)])
    change.changes["mailed_at"] = now.isoformat()
    change.save(update_fields=["changes"])
    return True
