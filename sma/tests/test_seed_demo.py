"""The demo loader: realistic, idempotent, and it prints the logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from contracts.models import Customer, Product, SupportContract, TechnicalContact
from contracts.selectors import contracts_in_force
from sma import roles

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_a_realistic_demo_once() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Customer.objects.count(), SupportContract.objects.count(), TechnicalContact.objects.count())
    assert counts[0] == 12 and counts[1] == 12
    assert Product.objects.filter(name__in=["CTLog", "CTVox", "CTMail", "Denwa", "Dalí"]).count() == 5
    assert Product.objects.filter(is_obsolete=True).exists()
    assert contracts_in_force().count() == 11  # one customer's contract has expired
    assert {c.plan.code for c in SupportContract.objects.select_related("plan")} == {
        "GOLD_8X5",
        "PLATINUM_24X7",
    }
    User = get_user_model()
    for username, role in [("ingeniero", roles.ENGINEER), ("gerente", roles.MANAGER), ("admin", roles.ADMIN)]:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=role).exists() and user.is_staff
        assert user.check_password("Calltech.2026")
    assert TechnicalContact.objects.filter(user__isnull=False).count() >= 10
    from cases.models import Case

    assert Case.objects.count() == 10
    assert set(Case.objects.values_list("status", flat=True)) >= {"new", "assigned", "in_progress", "closed"}
    numbers = list(Case.objects.order_by("registered_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)
    printed = out.getvalue()
    assert "ingeniero" in printed and "Calltech.2026" in printed

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    again = (Customer.objects.count(), SupportContract.objects.count(), TechnicalContact.objects.count())
    assert again == counts and Case.objects.count() == 10


def test_engineers_may_view_contracts_but_not_edit_the_policy() -> None:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    engineer = get_user_model().objects.get(username="ingeniero")
    assert engineer.has_perm("contracts.view_supportcontract")
    assert not engineer.has_perm("contracts.change_attentionpolicy")
    admin = get_user_model().objects.get(username="admin")
    assert admin.has_perm("contracts.change_attentionpolicy")


def test_sync_roles_is_a_dry_run_unless_for_real() -> None:
    from django.contrib.auth.models import Group

    call_command("sync_roles", stdout=StringIO())
    assert not Group.objects.exists()
    call_command("sync_roles", "--for-real", stdout=StringIO())
    assert Group.objects.filter(name=roles.MANAGER, permissions__codename="authorize_onsite_visit").exists()
