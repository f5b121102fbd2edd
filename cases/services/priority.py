"""A portal request arrives with the contact's suggested priority (its clock already runs on it);
an engineer confirms it or changes it (``case_change_priority``)."""

from __future__ import annotations

from ..models import ActivityKind, Case, CaseActivity, Channel


def priority_awaits_confirmation(case: Case) -> bool:
    """A portal request whose suggested priority no engineer has confirmed or changed yet."""
    return (
        case.channel == Channel.PORTAL
        and bool(case.priority)
        and not CaseActivity.objects.filter(case=case, kind=ActivityKind.PRIORITY_CHANGE).exists()
    )
