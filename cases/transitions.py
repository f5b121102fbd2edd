"""Which status may follow which: the one table every status change goes through."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import InvalidTransition
from .models import CaseStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.SOLUTION_PROPOSED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.WAITING_CUSTOMER, S.SOLUTION_PROPOSED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.WAITING_CUSTOMER, S.SOLUTION_PROPOSED, S.CLOSED}),
    S.WAITING_CUSTOMER: frozenset({S.IN_PROGRESS, S.SOLUTION_PROPOSED, S.CLOSED}),
    S.SOLUTION_PROPOSED: frozenset({S.IN_PROGRESS, S.WAITING_CUSTOMER, S.CLOSED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.SOLUTION_PROPOSED, S.CLOSED}),
}

# Statuses an engineer may pick by hand; the others come from their own actions
# (assignment, proposing a solution, closing, reopening).
MANUAL = frozenset({S.IN_PROGRESS, S.WAITING_CUSTOMER})


def can_move(current: str, new: str) -> bool:
    return new in ALLOWED.get(current, frozenset())


def check_transition(current: str, new: str) -> None:
    if not can_move(current, new):
        raise InvalidTransition(
            _("A case cannot go from “%(current)s” to “%(new)s”.")
            % {"current": S(current).label, "new": S(new).label},
            code="invalid_transition",
        )
