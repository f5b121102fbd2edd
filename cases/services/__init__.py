"""State changes of cases. Every one is atomic, takes an explicit actor and leaves an audit row."""

from .attachments import attachment_add, attachment_check, attachments_check, case_attach_files
from .copies import case_copy_add, case_copy_remove, copy_addresses, copy_candidates
from .customer_actions import (
    case_accept_solution,
    case_add_contact_comment,
    case_reject_solution,
    case_request_reopen,
)
from .deadlines import case_change_priority, cases_recompute_deadlines, cases_watch_again
from .lifecycle import (
    case_assign,
    case_authorize_visit,
    case_change_status,
    case_close,
    case_escalate_tier,
    case_log_activity,
    case_propose_solution,
    case_record_notification,
    case_record_pqr,
    case_reopen,
    cases_record_notifications,
)
from .messages import (
    attachments_add_accepted,
    attachments_refused_note,
    case_add_customer_message,
    case_add_system_note,
    case_record_warranty_event,
    case_thread_message,
    refused_request_record,
)
from .priority import priority_awaits_confirmation
from .registration import (
    case_register,
    check_intake,
    installations_open_to_requests,
    no_contract_message,
    requester_may_request,
)

__all__ = [
    "attachment_add",
    "attachment_check",
    "attachments_add_accepted",
    "attachments_check",
    "attachments_refused_note",
    "case_accept_solution",
    "case_add_contact_comment",
    "case_add_customer_message",
    "case_add_system_note",
    "case_assign",
    "case_attach_files",
    "case_authorize_visit",
    "case_change_priority",
    "case_change_status",
    "case_close",
    "case_copy_add",
    "case_copy_remove",
    "case_escalate_tier",
    "case_log_activity",
    "case_propose_solution",
    "case_record_notification",
    "case_record_pqr",
    "case_record_warranty_event",
    "case_register",
    "case_reject_solution",
    "case_reopen",
    "case_request_reopen",
    "case_thread_message",
    "cases_recompute_deadlines",
    "cases_record_notifications",
    "cases_watch_again",
    "check_intake",
    "copy_addresses",
    "copy_candidates",
    "installations_open_to_requests",
    "no_contract_message",
    "priority_awaits_confirmation",
    "refused_request_record",
    "requester_may_request",
]
