"""When the deadline watch fires (who it reaches is ``watch``'s business).

* Each rule fires once per attention deadline: a notification records the deadline it was about and
  (case, rule, deadline) is unique. When the deadline moves (a priority change, a calendar, holiday
  or attention-table edit, a reopening) the rules fire again for the new one, each at its own new
  instant.
* A notice is never followed by a lower one for the same deadline: once 150 % went out, 75 % and
  100 % are history for that deadline.
* Thresholds that a change put in the past at once (an upgrade late in the day, a reopening, a new
  rule whose instant has passed) give one notice, the highest, not a burst. The watch tells them
  apart from thresholds that merely came due since it last looked (a sweep that ran late still
  sends each) by the case's ``warn_at`` when claimed: the sweep sets it to the next rule's instant,
  a change sets it to the moment of the change. Thresholds before it were already past then.
* The watch notices edits itself, at the start of every sweep: the SLA tables' revision (attention
  table, calendars, holidays: unanswered cases get their new deadline) and the active rules (every
  unanswered case is looked at again, so a new rule fires at its own instant).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from contracts import sla

from ..models import AppliedSlaRevision, EscalationRule, Notification

logger = logging.getLogger(__name__)

SLA_KEY = "default"  # AppliedSlaRevision row of the SLA tables' revision
RULES_KEY = "rules"  # AppliedSlaRevision row of the escalation rules the watch last applied


@dataclass(frozen=True)
class Firing:
    """A rule owed now for a case, at the instant its share of the attention time was used."""

    rule: EscalationRule
    instant: datetime


@dataclass
class Owed:
    """What one due case owes now, and when the watch must look at it next (None: nothing left)."""

    firings: list[Firing] = field(default_factory=list)
    next_at: datetime | None = None
    passed_over: list[int] = field(default_factory=list)  # shares put in the past by a change


class Sent:
    """The rule and on-call notifications that already exist for the claimed cases (one query)."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self._rules: dict[int, list[tuple[int, int, datetime | None]]] = {}
        self.called: set[int] = set()
        for case_id, rule_id, share, kind, deadline in (
            Notification.objects.filter(case__in=list(cases))
            .filter(Q(rule__isnull=False) | Q(kind=Notification.Kind.ON_CALL))
            .values_list("case_id", "rule_id", "rule__share_percent", "kind", "deadline")
        ):
            if rule_id is not None:
                self._rules.setdefault(case_id, []).append((rule_id, share, deadline))
            if kind == Notification.Kind.ON_CALL:
                self.called.add(case_id)

    def for_deadline(self, case: Case) -> tuple[set[int], int]:
        """The rules fired for the case's current deadline, and the highest share among them."""
        rows = [
            (rule, share) for rule, share, due in self._rules.get(case.pk, ()) if due == case.attention_due_at
        ]
        return {rule for rule, _share in rows}, max((share for _rule, share in rows), default=0)


def rules_owed(
    *, case: Case, rules: list[EscalationRule], sent: Sent, snap: sla.SlaSnapshot, now: datetime
) -> Owed:
    """The rules a claimed, watched case owes at ``now`` (``rules``: active, by share) and its next
    instant. ``case.warn_at`` is still the instant it was claimed for."""
    fired, highest = sent.for_deadline(case)
    armed_at = case.warn_at
    late: list[Firing] = []
    past: list[Firing] = []
    owed = Owed()
    for rule in rules:
        if rule.pk in fired or rule.share_percent <= highest:
            continue
        instant = snap.deadline_at_share(
            case.registered_at, case.plan.code, case.priority, rule.share_percent / 100
        )
        if instant > now:
            owed.next_at = instant if owed.next_at is None else min(owed.next_at, instant)
        elif armed_at is None or instant >= armed_at:
            late.append(Firing(rule, instant))  # came due since the watch last looked: each fires
        else:
            past.append(Firing(rule, instant))  # already past when a change armed the case
    if late:  # higher than anything in ``past`` (instants grow with the share)
        owed.firings, owed.passed_over = late, [f.rule.share_percent for f in past]
    else:
        owed.firings, owed.passed_over = past[-1:], [f.rule.share_percent for f in past[:-1]]
    return owed


def deadlines_follow_sla_edits(*, now: datetime | None = None) -> int:
    """When an admin edited the attention table, a calendar or a holiday since the last sweep,
    recompute the deadline of every open case still waiting for its first response (answered ones
    keep theirs); once: the revision row is locked while it happens."""
    now = now or timezone.now()
    current = sla.revision()
    with transaction.atomic():
        applied, created = AppliedSlaRevision.objects.select_for_update().get_or_create(
            key=SLA_KEY, defaults={"revision": current, "applied_at": now}
        )
        if created or applied.revision == current:
            return 0
        moved = case_services.cases_recompute_deadlines(now=now)
        applied.revision, applied.applied_at = current, now
        applied.save(update_fields=["revision", "applied_at"])
    logger.info("SLA tables changed: %d open cases got a new deadline", moved)
    return moved


def rules_fingerprint(rules: Iterable[EscalationRule]) -> str:
    """A token that changes when what fires changes: an active rule added, removed or moved."""
    text = ";".join(f"{rule.pk}:{rule.share_percent}" for rule in sorted(rules, key=lambda r: r.pk))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def watch_follows_rule_edits(*, rules: list[EscalationRule], now: datetime | None = None) -> int:
    """When the active rules changed since the last sweep, every unanswered open case is looked at
    by this sweep (its new rules fire at their own instants). One read when nothing changed.
    Returns how many cases were armed again."""
    now = now or timezone.now()
    current = rules_fingerprint(rules)
    if AppliedSlaRevision.objects.filter(key=RULES_KEY, revision=current).exists():
        return 0
    with transaction.atomic():
        applied, created = AppliedSlaRevision.objects.select_for_update().get_or_create(
            key=RULES_KEY, defaults={"revision": current, "applied_at": now}
        )
        if created or applied.revision == current:
            return 0  # the first sweep records the baseline (cases were armed under these rules)
        armed = case_services.cases_watch_again(now=now)
        applied.revision, applied.applied_at = current, now
        applied.save(update_fields=["revision", "applied_at"])
    logger.info("Escalation rules changed: %d unanswered cases are looked at again", armed)
    return armed
