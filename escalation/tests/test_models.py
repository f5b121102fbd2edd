"""The escalation matrix and rules seeded from the scheme; the on-call roster."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from contracts.tests.factories import UserFactory
from escalation import selectors
from escalation.models import EscalationContact, EscalationLevel, EscalationRule, OnCallShift

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def test_the_matrix_is_seeded_from_the_scheme() -> None:
    matrix = {level.number: level for level in selectors.escalation_matrix()}
    assert sorted(matrix) == [1, 2, 3, 4, 5, 6]
    extensions = {n: sorted(c.phone_extension for c in level.contacts.all()) for n, level in matrix.items()}
    assert extensions == {
        1: ["911"],
        2: ["584"],
        3: ["580"],
        4: ["300", "310", "311", "312"],
        5: ["315"],
        6: ["571"],
    }
    assert EscalationContact.objects.get(phone_extension="584").name == "Christian Romero Bautista"


def test_default_rules_warn_at_75_and_escalate_at_100_150_200() -> None:
    rules = [
        (r.share_percent, r.target, r.level.number if r.level else None) for r in EscalationRule.objects.all()
    ]
    assert rules == [(75, "assignee", None), (100, "level", 2), (150, "level", 3), (200, "level", 4)]


def test_a_rule_aimed_at_the_matrix_needs_a_level() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationRule.objects.create(name="x", share_percent=300, target="level", level=None)


def test_who_is_on_duty() -> None:
    night = datetime(2026, 11, 28, 18, 0, tzinfo=BOGOTA)
    first = OnCallShift.objects.create(
        engineer=UserFactory(), starts_at=night, ends_at=night + timedelta(hours=14)
    )
    assert selectors.on_duty(at=night + timedelta(hours=8)) == first
    assert selectors.on_duty(at=night + timedelta(hours=14)) is None  # the shift has ended
    assert selectors.on_duty(at=night - timedelta(minutes=1)) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        OnCallShift.objects.create(engineer=UserFactory(), starts_at=night, ends_at=night)


def test_level_str_uses_the_matrix_number() -> None:
    assert str(EscalationLevel.objects.get(number=2)) == "N2 · Líder de Soporte"
