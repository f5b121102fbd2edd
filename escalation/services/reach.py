"""Who a notification reaches. A recipient is reachable through a staff account (the inbox in
SMA, and the account's e-mail) or an e-mail address; one with neither is named but reached by
nothing, and a notification none of whose recipients is reachable "reached nobody": it is not
sent, and the case's timeline and the admin's log say so instead of naming anyone as notified.

A recipient is a plain dict kept in ``Notification.recipients`` (JSON): ``name``, ``email``,
``extension``, ``user`` (the staff account's id or None), and ``role``/``phone`` where known."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import EscalationContact, EscalationLevel, Notification

Person = dict[str, Any]

BREACH_PERMISSION = "escalation.receive_breach_notices"


def staff_person(user: User) -> Person:
    """A staff user (the assigned engineer, the one on duty) as a recipient."""
    return {
        "name": user.get_full_name() or user.get_username(),
        "email": user.email,
        "extension": "",
        "user": user.pk if user.is_active else None,
    }


def contact_person(contact: EscalationContact) -> Person:
    """A matrix contact as a recipient: their e-mail, else their staff account's."""
    user = contact.user if contact.user_id is not None else None
    active = user is not None and user.is_active and user.is_staff
    return {
        "name": contact.name,
        "role": contact.role,
        "email": contact.email or (user.email if user is not None and active else ""),
        "extension": contact.phone_extension,
        "user": user.pk if user is not None and active else None,
    }


def matrix_people() -> dict[int, list[Person]]:
    """The active contacts of every matrix level, by level number (one query)."""
    people: dict[int, list[Person]] = {}
    for contact in EscalationContact.objects.filter(is_active=True).select_related("level", "user"):
        people.setdefault(contact.level.number, []).append(contact_person(contact))
    return people


def level_people(level: EscalationLevel) -> list[Person]:
    return [
        contact_person(c)
        for c in level.contacts.filter(is_active=True).select_related("user").order_by("order", "name")
    ]


def is_reachable(person: Person) -> bool:
    return bool(person.get("user")) or bool(person.get("email"))


def reachable(people: Iterable[Person]) -> list[Person]:
    return [p for p in people if is_reachable(p)]


class Audience:
    """Who each notification of a batch reaches: its reachable recipients and, for a breach, the
    managers (in SMA only; read once per batch, and only when a breach is in it)."""

    def __init__(self) -> None:
        self._managers: list[Person] | None = None

    def managers(self) -> list[Person]:
        if self._managers is None:
            app_label, codename = BREACH_PERMISSION.split(".")
            granted = Q(
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label=app_label,
            ) | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
            users = User.objects.filter(granted, is_active=True, is_staff=True).distinct().order_by("pk")
            self._managers = [staff_person(u) for u in users]
        return self._managers

    def reached(self, notification: Notification) -> list[Person]:
        people = reachable(notification.recipients)
        if notification.kind == Notification.Kind.BREACH:
            known = {p.get("user") for p in people if p.get("user")}
            people += [m for m in self.managers() if m["user"] not in known]
        return people

    def prepare(self, notification: Notification, *, subject: str) -> str:
        """Mark the notification as reaching nobody when it does; the line for the timeline."""
        reached = self.reached(notification)
        notification.reached_nobody = not reached
        return notified_line(subject, notification.recipients, reached)

    def inbox_users(self, notification: Notification) -> list[int]:
        return [p["user"] for p in self.reached(notification) if p.get("user")]


def notified_line(subject: str, recipients: list[Person], reached: list[Person]) -> str:
    """What the timeline says about a notification: whom it reached, and whom it could not."""
    if not reached:
        if recipients:
            return _("%(subject)s — reached nobody: %(names)s have no e-mail and no SMA account.") % {
                "subject": subject,
                "names": ", ".join(p["name"] for p in recipients),
            }
        return _("%(subject)s — reached nobody: no contact is configured.") % {"subject": subject}
    line = _("%(subject)s — notified: %(names)s.") % {
        "subject": subject,
        "names": ", ".join(p["name"] for p in reached),
    }
    missed = [p["name"] for p in recipients if not is_reachable(p)]
    if missed:
        line += " " + _("Not reached (no e-mail, no SMA account): %(names)s.") % {"names": ", ".join(missed)}
    return line
