"""State changes of the escalation app: the deadline watch (watch), customer escalations (pqr),
e-mail to customers (customer_mail) and e-mail from them (inbound)."""

from . import customer_mail, inbound, pqr, rules, watch
from .customer_mail import (
    customer_email_collect,
    customer_email_queue,
    customer_email_send,
)
from .customer_notify import notify_customer_message
from .inbound import (
    MalformedMessage,
    auto_answer_key,
    inbound_dismiss,
    inbound_process,
    inbound_process_pending,
    inbound_receive,
    inbound_release,
    inbound_store,
)
from .outbox import mail_history_until
from .pqr import (
    PqrError,
    pqr_acknowledge,
    pqr_escalate,
    pqr_raise,
    pqr_refusal,
    pqr_resolve,
    pqr_sweep,
)
from .rules import at_risk_percent_from_rules, escalation_rule_delete, escalation_rule_save
from .watch import (
    BATCH,
    SweepResult,
    deadline_sweep,
    enqueue_notifications,
    notification_send,
)
from .watch_timing import deadlines_follow_sla_edits, watch_follows_rule_edits

__all__ = [
    "BATCH",
    "MalformedMessage",
    "PqrError",
    "SweepResult",
    "at_risk_percent_from_rules",
    "auto_answer_key",
    "customer_email_collect",
    "customer_email_queue",
    "customer_email_send",
    "customer_mail",
    "deadline_sweep",
    "deadlines_follow_sla_edits",
    "enqueue_notifications",
    "escalation_rule_delete",
    "escalation_rule_save",
    "inbound",
    "inbound_dismiss",
    "inbound_process",
    "inbound_process_pending",
    "inbound_receive",
    "inbound_release",
    "inbound_store",
    "mail_history_until",
    "notification_send",
    "notify_customer_message",
    "pqr",
    "pqr_acknowledge",
    "pqr_escalate",
    "pqr_raise",
    "pqr_refusal",
    "pqr_resolve",
    "pqr_sweep",
    "rules",
    "watch",
    "watch_follows_rule_edits",
]
