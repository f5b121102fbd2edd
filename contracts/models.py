"""Customers, products, installations, plans, contracts, technical contacts, calendars and the
attention-time policy. State changes go through ``contracts.services``; reads through
``contracts.selectors``."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .validators import validate_holiday_country, validate_nit, validate_time_zone


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Priority(models.TextChoices):
    P1 = "P1", _("P1 · System down")
    P2 = "P2", _("P2 · Operational but seriously affected")
    P3 = "P3", _("P3 · Problem or question, acceptable workaround")
    P4 = "P4", _("P4 · Information request")


# --- Calendars --------------------------------------------------------------------------------


class ServiceCalendar(TimeStamped):
    """Business hours as data: weekly slots in a time zone, minus holidays."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Bogota", validators=[validate_time_zone]
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text=_("ISO country code whose public holidays are loaded (CO), or blank for none."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service calendar")
        verbose_name_plural = _("service calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CalendarSlot(TimeStamped):
    """One opening period on a weekday, local time, half-open [start, end). End 00:00 = 24:00."""

    calendar = models.ForeignKey(
        ServiceCalendar, on_delete=models.CASCADE, related_name="slots", verbose_name=_("calendar")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("opens at"))
    end_time = models.TimeField(_("closes at"), help_text=_("00:00 means midnight at day's end."))

    class Meta:
        verbose_name = _("opening slot")
        verbose_name_plural = _("opening slots")
        ordering = ["calendar", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")) | Q(end_time=time(0, 0)),
                name="calendarslot_ends_after_start",
                violation_error_message=_("A slot must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        end = "24:00" if self.end_time == time(0, 0) else self.end_time.strftime("%H:%M")
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{end}"

    def clean(self) -> None:
        if (
            self.start_time is not None
            and self.end_time is not None
            and self.end_time != time(0, 0)
            and self.end_time <= self.start_time
        ):
            raise ValidationError({"end_time": _("A slot must close after it opens.")})


class Holiday(TimeStamped):
    calendar = models.ForeignKey(
        ServiceCalendar, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="holiday_unique_per_calendar",
                violation_error_message=_("This calendar already has a holiday on that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class HolidayYear(models.Model):
    """A year whose public holidays were loaded from the country's list into a calendar.

    Loading skips these years, so an admin's edits (a removed, renamed or added day) are never
    undone; a year with only an admin's own holiday is still loaded in full.
    """

    calendar = models.ForeignKey(
        ServiceCalendar, on_delete=models.CASCADE, related_name="holiday_years", verbose_name=_("calendar")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public holidays loaded")
        verbose_name_plural = _("public holidays loaded")
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="holidayyear_unique_per_calendar")
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.year}"


class SlaRevision(models.Model):
    """One row whose number changes, in the same transaction, with every write to the tables the
    SLA is computed from (calendars, slots, holidays, loaded years, plans, the attention policy).

    Database triggers bump it (migration 0004), so every writer counts: the admin, the services,
    the holiday loader, data migrations, raw SQL. Numbers come from a sequence, which never goes
    back, so a rolled-back edit never lets a later one reuse its number."""

    number = models.BigIntegerField(_("revision"))

    class Meta:
        verbose_name = _("SLA tables revision")
        verbose_name_plural = _("SLA tables revisions")

    def __str__(self) -> str:
        return str(self.number)


# --- Plans and the attention policy -------------------------------------------------------------


class SupportPlan(TimeStamped):
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("e.g. GOLD_8X5, PLATINUM_24X7")
    )
    name = models.CharField(_("name"), max_length=120, unique=True)
    calendar = models.ForeignKey(
        ServiceCalendar,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("service hours"),
        help_text=_("When the customer may request support and engineers answer."),
    )
    onsite_allowed = models.BooleanField(
        _("on-site support allowed"),
        default=True,
        help_text=_("In Bogotá, only when the support manager authorises it."),
    )
    max_technical_contacts = models.PositiveSmallIntegerField(
        _("default maximum technical contacts"), default=3, validators=[MinValueValidator(1)]
    )
    preventive_maintenances_per_year = models.PositiveSmallIntegerField(
        _("default preventive maintenances per year"), default=2
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AttentionPolicy(TimeStamped):
    """Plan × priority → attention time, counted on a calendar. Data an admin edits."""

    plan = models.ForeignKey(
        SupportPlan, on_delete=models.CASCADE, related_name="policies", verbose_name=_("support plan")
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    hours = models.DecimalField(
        _("attention time (hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    calendar = models.ForeignKey(
        ServiceCalendar,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("counted on"),
    )

    class Meta:
        verbose_name = _("attention time")
        verbose_name_plural = _("attention times")
        ordering = ["plan", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "priority"],
                name="attentionpolicy_unique_plan_priority",
                violation_error_message=_("This plan already has an attention time for that priority."),
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="attentionpolicy_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.priority}: {self.hours} h"


class SlaSettings(TimeStamped):
    """Desk-wide SLA settings: one row. ``at_risk_percent`` is the share of the attention time after
    which an unanswered case counts as "at risk" — the first warning rule of the deadline watch,
    published here by the service that edits those rules, so every room reads one value."""

    key = models.CharField(_("key"), max_length=20, unique=True, default="default", editable=False)
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk from (percent of the attention time)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )

    class Meta:
        verbose_name = _("SLA settings")
        verbose_name_plural = _("SLA settings")

    def __str__(self) -> str:
        return f"{self.at_risk_percent} %"


# --- Customers, products, installations ---------------------------------------------------------


class Customer(TimeStamped):
    name = models.CharField(_("company name"), max_length=200)
    nit = models.CharField(
        _("NIT"),
        max_length=20,
        unique=True,
        validators=[validate_nit],
        help_text=_("Tax id with its check digit, e.g. 900123456-8."),
    )
    customer_number = models.CharField(
        _("customer number"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{3,12}$", _("Use 3 to 12 digits."))],
        help_text=_("Keyed in at the phone IVR."),
    )
    city = models.CharField(_("city"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="customer_name_idx")]

    def __str__(self) -> str:
        return self.name


class Product(TimeStamped):
    name = models.CharField(_("name"), max_length=120, unique=True)
    vendor = models.CharField(_("vendor"), max_length=120, default="Calltech S.A.")
    is_third_party = models.BooleanField(_("third-party product"), default=False)
    is_obsolete = models.BooleanField(
        _("obsolete / unsupported"),
        default=False,
        help_text=_("Cases for obsolete products are refused or closed as unsupported."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Installation(TimeStamped):
    """A licensed product at a customer: what is installed where, and at which version."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="installations", verbose_name=_("customer")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="installations", verbose_name=_("product")
    )
    version = models.CharField(_("version"), max_length=40)
    build = models.CharField(_("build"), max_length=40, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=80, blank=True)
    os_version = models.CharField(_("OS version"), max_length=40, blank=True)
    serial_number = models.CharField(_("serial / license"), max_length=80, blank=True)
    site = models.CharField(_("site"), max_length=120, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering = ["customer", "product__name"]

    def __str__(self) -> str:
        build = f" build {self.build}" if self.build else ""
        return f"{self.product} {self.version}{build} · {self.customer}"


# --- Contracts --------------------------------------------------------------------------------


class SupportContract(TimeStamped):
    number = models.CharField(_("contract number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("customer")
    )
    plan = models.ForeignKey(
        SupportPlan, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("support plan")
    )
    installations = models.ManyToManyField(
        Installation, related_name="contracts", blank=True, verbose_name=_("installations covered")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), help_text=_("Last day in force (inclusive)."))
    covers_tier_1 = models.BooleanField(_("covers support tier 1"), default=False)
    covers_tier_2 = models.BooleanField(_("covers support tier 2"), default=False)
    hour_bank_hours = models.PositiveIntegerField(
        _("hour bank (hours)"),
        null=True,
        blank=True,
        help_text=_(
            "Tiers 1 and 2 bought as a bank of hours: the time logged at those tiers draws from it. "
            "Empty: no bank (the covered tiers have no hour limit)."
        ),
    )
    max_technical_contacts = models.PositiveSmallIntegerField(
        _("maximum technical contacts"), validators=[MinValueValidator(1)]
    )
    preventive_maintenances_per_year = models.PositiveSmallIntegerField(
        _("preventive maintenances per year"), default=2
    )
    software_assurance = models.BooleanField(_("Calltech Software Assurance"), default=True)
    special_conditions = models.TextField(_("special conditions"), blank=True)

    class Meta:
        verbose_name = _("support contract")
        verbose_name_plural = _("support contracts")
        ordering = ["-start_date", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["customer", "end_date", "start_date"], name="contract_in_force_idx")]

    def __str__(self) -> str:
        return f"{self.number} · {self.customer} · {self.plan}"

    @property
    def covered_tiers(self) -> list[int]:
        return [t for t, on in ((1, self.covers_tier_1), (2, self.covers_tier_2)) if on] + [3, 4]

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A contract cannot end before it starts.")})
        if self.hour_bank_hours is not None and not (self.covers_tier_1 or self.covers_tier_2):
            raise ValidationError(
                {"hour_bank_hours": _("An hour bank is for tiers 1 and 2: mark the tiers it covers.")}
            )


# --- Technical contacts -------------------------------------------------------------------------


class TechnicalContact(TimeStamped):
    """A person the customer designated: the only people who may request support."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="technical_contacts", verbose_name=_("customer")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=100)
    phone = PhoneNumberField(_("phone"))
    extension = models.CharField(
        _("extension"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{1,10}$", _("Digits only."))],
    )
    email = models.EmailField(_("e-mail"))
    is_active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technical_contact",
        verbose_name=_("portal account"),
    )
    # Product-news mailing list: opt-in only, with the consent recorded (Ley 1581 de 2012).
    news_consent_at = models.DateTimeField(_("news consent given at"), null=True, blank=True)
    news_withdrawn_at = models.DateTimeField(_("news consent withdrawn at"), null=True, blank=True)
    # A former contact whose personal data was erased (Ley 1581 de 2012); the cases keep the row.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("technical contact")
        verbose_name_plural = _("technical contacts")
        permissions = [
            ("process_personal_data", _("Can export and anonymise a contact's personal data (Ley 1581)"))
        ]
        ordering = ["customer", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "email"],
                name="contact_unique_email_per_customer",
                violation_error_message=_("This customer already has a contact with that e-mail."),
            ),
        ]
        indexes = [models.Index(fields=["email"], name="contact_email_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.customer})"

    @property
    def receives_news(self) -> bool:
        return self.news_consent_at is not None and self.news_withdrawn_at is None


class TechnicalContactChange(models.Model):
    """Who changed a contact designation, when, and what."""

    class Action(models.TextChoices):
        DESIGNATED = "designated", _("designated")
        UPDATED = "updated", _("updated")
        DEACTIVATED = "deactivated", _("deactivated")
        NEWS_CONSENT = "news_consent", _("news consent given")
        NEWS_WITHDRAWN = "news_withdrawn", _("news consent withdrawn")
        INVITED = "invited", _("invited to the portal")
        EXPORTED = "exported", _("personal data exported")
        ANONYMISED = "anonymised", _("anonymised")

    contact = models.ForeignKey(
        TechnicalContact,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("technical contact"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("technical contact change")
        verbose_name_plural = _("technical contact changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {timezone.localtime(self.changed_at):%Y-%m-%d %H:%M}"


class ChangeRecord(models.Model):
    """Who created, changed or deleted a customer or a contract, when, and the values before and
    after (only the fields that changed). Written by ``contracts.services``; read-only elsewhere."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
        verbose_name=_("customer"),
    )
    contract = models.ForeignKey(
        SupportContract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
        verbose_name=_("support contract"),
    )
    object_repr = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-changed_at"], name="changerecord_customer_idx"),
            models.Index(fields=["contract", "-changed_at"], name="changerecord_contract_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} · {self.get_action_display()}"


# Requests and consents of the contacts themselves, in a module of their own.
from .contact_models import ContactChangeRequest, NewsConsent  # noqa: E402, F401
