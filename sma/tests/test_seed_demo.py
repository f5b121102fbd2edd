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

    assert Case.objects.count() == 25  # desk stories, a warranty claim with its RMA, a maintenance, an update
    assert set(Case.objects.values_list("status", flat=True)) >= {"new", "assigned", "in_progress", "closed"}
    numbers = list(Case.objects.order_by("registered_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)
    printed = out.getvalue()
    assert "ingeniero" in printed and "Calltech.2026" in printed
    from warranty.models import Certificate

    assert sorted(Certificate.objects.values_list("status", flat=True)) == [
        "current",
        "current",
        "replaced",
        "revoked",
    ]
    assert "/verificar/" in printed

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    again = (Customer.objects.count(), SupportContract.objects.count(), TechnicalContact.objects.count())
    assert again == counts and Case.objects.count() == 25
    assert Certificate.objects.count() == 4


def test_demo_portal_companies_have_logins_and_cases_in_every_state() -> None:
    from cases.models import Case, CaseStatus

    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    companies = {}
    for username in ("ana.rodriguez", "julian.perez", "lgomez"):
        contact = TechnicalContact.objects.select_related("user").get(user__username=username)
        assert contact.is_active and contact.user.check_password("Calltech.2026")
        assert f"{username} " in printed and "contacto técnico (portal)" in printed
        companies[username] = contact.customer_id
    assert companies["ana.rodriguez"] == companies["julian.perez"] != companies["lgomez"]
    for customer_id in set(companies.values()):
        states = set(Case.objects.filter(customer_id=customer_id).values_list("status", flat=True))
        assert states == set(CaseStatus.values), states


def test_demo_has_answered_surveys_and_a_news_consent() -> None:
    from cases.models import SurveyOwed, SurveyResponse
    from contracts.models import NewsConsent

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    responses = list(SurveyResponse.objects.select_related("survey", "case"))
    assert len(responses) == 3
    for response in responses:
        assert response.case.status == "closed" and response.survey.sent_at is not None
        assert response.answered_at > response.survey.sent_at
    assert SurveyOwed.objects.filter(response__isnull=True).exists()  # some never answered
    consent = NewsConsent.objects.get()
    assert consent.contact.user.username == "ana.rodriguez" and "1581" in consent.consent_text
    assert consent.contact.receives_news
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert SurveyResponse.objects.count() == 3 and NewsConsent.objects.count() == 1


def test_demo_has_an_hour_bank_in_use() -> None:
    from cases.hour_bank import hour_bank_report

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    from django.utils import timezone

    rows = hour_bank_report(today=timezone.localdate())
    assert [row.bank.contract.customer.name for row in rows] == ["Banco Andino S.A."]
    assert rows[0].bank.entitled_minutes == 1200 and 0 < rows[0].bank.used_minutes < 1200


def test_seed_demo_loads_hardware_under_warranty_and_an_rma_in_progress() -> None:
    from warranty.models import HardwareAsset, Rma

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assets = list(HardwareAsset.objects.all())
    assert len(assets) == 4
    from django.utils import timezone

    today = timezone.localdate()
    states = {a.serial_number: a.state_on(today) for a in assets}
    assert sorted(states.values()) == ["expired", "in_force", "in_force", "in_force"]
    extended = HardwareAsset.objects.get(warranty_plan="extended")
    assert extended.nbd_24x7 and extended.spare_kit and extended.backup_unit
    assert HardwareAsset.objects.filter(delivery_city="Yopal").exists()
    rma = Rma.objects.get()
    assert rma.status == "approved" and rma.case.kind == "warranty" and rma.warn_at is not None
    from warranty.models import MaintenanceTerms, PreventiveMaintenance

    assert PreventiveMaintenance.objects.get().case.kind == "maintenance"
    assert MaintenanceTerms.objects.get().onsite
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert HardwareAsset.objects.count() == 4 and Rma.objects.count() == 1


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


def _matrix_and_roster_hold(now) -> None:
    from datetime import timedelta

    from escalation.models import EscalationLevel, OnCallShift
    from escalation.selectors import on_duty
    from escalation.services.reach import is_reachable, level_people

    levels = list(EscalationLevel.objects.order_by("number"))
    assert [lv.number for lv in levels] == [1, 2, 3, 4, 5, 6]
    for lv in levels:
        people = level_people(lv)
        assert people and all(is_reachable(p) for p in people), lv
    lead = EscalationLevel.objects.get(number=2).contacts.get()
    assert lead.user is not None and lead.user.username == "gerente"  # the same person
    # Someone is on duty at every hour of the next four weeks, counted from the seed's now.
    hour = now
    while hour < now + timedelta(weeks=4):
        shift = on_duty(at=hour)
        assert shift is not None and shift.engineer.username in ("ingeniero", "ingeniera"), hour
        hour += timedelta(hours=1)
    assert not OnCallShift.objects.filter(ends_at__lte=now - timedelta(days=7)).exists()


def test_seed_demo_makes_every_level_reachable_and_staffs_the_on_call_roster() -> None:
    from django.utils import timezone

    from escalation.models import EscalationContact, OnCallShift

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    _matrix_and_roster_hold(timezone.now())
    before = (
        list(EscalationContact.objects.order_by("pk").values_list("email", "user_id")),
        OnCallShift.objects.count(),
    )
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    after = (
        list(EscalationContact.objects.order_by("pk").values_list("email", "user_id")),
        OnCallShift.objects.count(),
    )
    assert after == before  # idempotent


def test_the_roster_follows_the_seeds_clock_not_a_fixed_date(clock) -> None:
    """Seeded on another day (here 400 days after the tests' usual instant) the roster covers the
    weeks after that day; a run a week later adds the week that became due."""
    from datetime import timedelta

    from django.utils import timezone

    from escalation.models import OnCallShift

    clock.move_to(timezone.now() + timedelta(days=400))
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    _matrix_and_roster_hold(timezone.now())
    shifts = OnCallShift.objects.count()
    clock.move_to(timezone.now() + timedelta(days=7))
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert OnCallShift.objects.count() == shifts + 1
    _matrix_and_roster_hold(timezone.now())
