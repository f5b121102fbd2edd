"""The escalation app's data: the matrix, rules, on-call roster and notifications (watch), the
customer's PQRs (pqr), and the e-mail outbox and inbox (mail)."""

from .inbox import InboxItem
from .mail import CustomerEmail, InboundEmail, MailHistoryCutoff
from .news import NewsDelivery, NewsMailing
from .pqr import Pqr, PqrStep
from .watch import (
    AppliedSlaRevision,
    EscalationContact,
    EscalationLevel,
    EscalationRule,
    Notification,
    OnCallShift,
)

__all__ = [
    "AppliedSlaRevision",
    "CustomerEmail",
    "EscalationContact",
    "EscalationLevel",
    "EscalationRule",
    "InboundEmail",
    "InboxItem",
    "MailHistoryCutoff",
    "NewsDelivery",
    "NewsMailing",
    "Notification",
    "OnCallShift",
    "Pqr",
    "PqrStep",
]
