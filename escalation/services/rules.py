"""Edits of the escalation rules. The first warning rule (the lowest active share below 100 %) is
also what "at risk" means in the case lists: every edit publishes it to the SLA settings the cases
room reads (contracts), and the deadline watch then recomputes the open cases' at-risk instants
(the SLA revision moved)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from contracts import services as contract_services

from ..models import EscalationRule


def at_risk_percent_from_rules() -> int | None:
    """The share of the first active warning (below 100 %), or None when no rule warns."""
    shares = EscalationRule.objects.filter(is_active=True, share_percent__lt=100).values_list(
        "share_percent", flat=True
    )
    return min(shares, default=None)


def _publish_at_risk(actor: User | None) -> None:
    percent = at_risk_percent_from_rules()
    if percent is not None:  # no warning rule left: keep the last threshold
        contract_services.sla_at_risk_set(percent=percent, actor=actor)


@transaction.atomic
def escalation_rule_save(*, rule: EscalationRule, actor: User | None) -> EscalationRule:
    """Create or change a rule (validated by the caller's form or full_clean)."""
    rule.save()
    _publish_at_risk(actor)
    return rule


@transaction.atomic
def escalation_rule_delete(*, rule: EscalationRule, actor: User | None) -> None:
    rule.delete()
    _publish_at_risk(actor)
