"""Admin for the contracts app: catalog data is edited directly; rule-bound changes (customers,
contracts, technical contacts) go through ``contracts.services``, which audit them."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contracts.actors import request_actor

from . import selectors, services
from .admin_audit import ContractChangeRecordInline, ThroughServicesAdmin, point_at_saved
from .admin_installations import contract_installations
from .models import (
    AttentionPolicy,
    CalendarSlot,
    Customer,
    Holiday,
    Installation,
    Product,
    ServiceCalendar,
    SupportContract,
    SupportPlan,
    TechnicalContact,
    TechnicalContactChange,
)
from .services.customers import CONTRACT_FIELDS
from .validators import normalize_nit, validate_holiday_country

# --- Calendars ----------------------------------------------------------------------------------


class SlotFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        slots = [
            (f.cleaned_data["weekday"], f.cleaned_data["start_time"], f.cleaned_data["end_time"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        services.calendar_check_slots(slots=slots)


class CalendarSlotInline(admin.TabularInline):
    model = CalendarSlot
    formset = SlotFormSet
    extra = 0
    min_num = 0


class HolidayInline(admin.TabularInline):
    """This year's and later holidays; older ones are in the Holidays list."""

    model = Holiday
    extra = 1
    ordering = ["date"]
    fields = ["date", "name"]
    verbose_name_plural = _("holidays from this year on")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Holiday]:
        return super().get_queryset(request).filter(date__year__gte=timezone.localdate().year)


class ServiceCalendarForm(forms.ModelForm):
    class Meta:
        model = ServiceCalendar
        fields = ["name", "code", "time_zone", "holiday_country", "description"]

    def clean_holiday_country(self) -> str:
        value = (self.cleaned_data.get("holiday_country") or "").strip().upper()
        validate_holiday_country(value)
        return value


@admin.register(ServiceCalendar)
class ServiceCalendarAdmin(admin.ModelAdmin):
    form = ServiceCalendarForm
    list_display = ["name", "code", "time_zone", "holiday_country", "slot_count", "updated_at"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [CalendarSlotInline, HolidayInline]
    actions = ["load_holidays"]

    @admin.display(description=_("opening slots"))
    def slot_count(self, obj: ServiceCalendar) -> int:
        return obj.slots.count()

    @admin.action(description=_("Load public holidays for this year and next"))
    def load_holidays(self, request: HttpRequest, queryset: QuerySet[ServiceCalendar]) -> None:
        year = timezone.localdate().year
        created = sum(len(services.holidays_load(calendar=cal, years=[year, year + 1])) for cal in queryset)
        self.message_user(request, _("%(count)d holidays added.") % {"count": created})


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "calendar"]
    list_filter = ["calendar"]
    date_hierarchy = "date"
    search_fields = ["name"]


# --- Plans and policy ---------------------------------------------------------------------------


class AttentionPolicyInline(admin.TabularInline):
    model = AttentionPolicy
    extra = 0
    can_delete = False  # every plan keeps an attention time for each priority


@admin.register(SupportPlan)
class SupportPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "calendar", "onsite_allowed", "max_technical_contacts"]
    inlines = [AttentionPolicyInline]


@admin.register(AttentionPolicy)
class AttentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["plan", "priority", "hours", "calendar", "updated_at"]
    list_editable = ["hours"]
    list_filter = ["plan", "priority"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a case of that plan and priority would have no deadline


# --- Customers, products, installations ---------------------------------------------------------


class InstallationInline(admin.TabularInline):
    model = Installation
    extra = 0
    fields = ["product", "version", "build", "operating_system", "os_version", "serial_number"]


class ContactReadOnlyInline(admin.TabularInline):
    model = TechnicalContact
    extra = 0
    fields = readonly_fields = ("full_name", "position", "phone", "extension", "email", "is_active")
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("technical contacts (edit them from Technical contacts)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["name", "nit", "customer_number", "city", "address", "phone", "is_active"]

    def clean_nit(self) -> str:
        return normalize_nit(self.cleaned_data["nit"])


@admin.register(Customer)
class CustomerAdmin(ThroughServicesAdmin):
    form = CustomerForm
    list_display = ["name", "nit", "customer_number", "city", "is_active"]
    list_filter = ["is_active", "city"]
    search_fields = ["name", "nit", "customer_number"]
    inlines = [InstallationInline, ContactReadOnlyInline]

    def save_model(self, request: HttpRequest, obj: Customer, form: forms.ModelForm, change: bool) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in (form._meta.fields or ())}
        if change:
            saved = services.customer_update(actor=request_actor(request), customer=obj, **data)
        else:
            saved = services.customer_create(actor=request_actor(request), **data)
        point_at_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Customer) -> None:
        services.customer_delete(actor=request_actor(request), customer=obj)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "is_third_party", "is_obsolete"]
    list_filter = ["is_third_party", "is_obsolete"]
    search_fields = ["name", "vendor"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["customer", "product", "version", "build", "operating_system", "os_version"]
    list_filter = ["product"]
    search_fields = ["customer__name", "product__name", "serial_number"]
    list_select_related = ["customer", "product"]
    autocomplete_fields = ["customer"]


# --- Contracts ----------------------------------------------------------------------------------


class InForceFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("in_force", _("in force")), ("ended", _("ended")), ("future", _("not started"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[SupportContract]
    ) -> QuerySet[SupportContract]:
        today = timezone.localdate()
        if self.value() == "in_force":
            return queryset.filter(selectors.in_force_q(today))
        if self.value() == "ended":
            return queryset.filter(end_date__lt=today)
        if self.value() == "future":
            return queryset.filter(start_date__gt=today)
        return queryset


# The admin form edits exactly what the contract service accepts (and audits).
CONTRACT_FORM_FIELDS = list(CONTRACT_FIELDS)


class ContractForm(forms.ModelForm):
    duration_months = forms.IntegerField(
        label=_("or duration (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Fills the end date when it is left blank."),
    )

    class Meta:
        model = SupportContract
        fields = CONTRACT_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Users who may only view a contract get a form without fields (the admin shows the values
        # read-only): only loosen the fields that are there.
        for name in ("end_date", "max_technical_contacts"):
            if name in self.fields:
                self.fields[name].required = False
        if "installations" in self.fields:
            installations = cast(forms.ModelMultipleChoiceField, self.fields["installations"])
            installations.queryset = contract_installations(self)
            self.fields["installations"].help_text = _("Only the chosen customer's installations.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end, months = data.get("start_date"), data.get("end_date"), data.get("duration_months")
        if start and not end:
            if not months:
                self.add_error("end_date", _("Give the end date or the duration in months."))
                return data
            data["end_date"] = self.instance.end_date = services.contract_end_date(
                start_date=start, months=months
            )
        if not data.get("max_technical_contacts") and data.get("plan"):
            data["max_technical_contacts"] = data["plan"].max_technical_contacts
            self.instance.max_technical_contacts = data["max_technical_contacts"]
        customer = data.get("customer")
        if customer and start and data.get("end_date"):
            # The service's own rules, shown on the form; the service checks them again on saving.
            try:
                services.contract_validate(
                    customer=customer,
                    start_date=start,
                    end_date=data["end_date"],
                    installations=data.get("installations") or [],
                    max_technical_contacts=data.get("max_technical_contacts"),
                    contract=self.instance if self.instance.pk else None,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(SupportContract)
class SupportContractAdmin(ThroughServicesAdmin):
    form = ContractForm
    history_inline = ContractChangeRecordInline
    list_display = ["number", "customer", "plan", "start_date", "end_date", "in_force"]
    list_filter = [InForceFilter, "plan"]
    search_fields = ["number", "customer__name", "customer__nit"]
    list_select_related = ["customer", "plan"]
    filter_horizontal = ["installations"]
    autocomplete_fields = ["customer"]

    class Media:
        # A new contract reloads once the customer is chosen, to offer only its installations.
        js = ["js/admin-contract-customer.js"]

    fieldsets = [
        (None, {"fields": ["number", "customer", "plan", "installations"]}),
        (_("Term"), {"fields": ["start_date", "end_date", "duration_months"]}),
        (
            _("Coverage"),
            {
                "fields": [
                    "covers_tier_1",
                    "covers_tier_2",
                    "hour_bank_hours",
                    "max_technical_contacts",
                    "preventive_maintenances_per_year",
                    "software_assurance",
                    "special_conditions",
                ]
            },
        ),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        if not str(initial.get("customer", "")).isdigit():  # ?customer=x would break the widget
            initial.pop("customer", None)
        return initial

    @admin.display(boolean=True, description=_("in force"))
    def in_force(self, obj: SupportContract) -> bool:
        return selectors.contract_is_in_force(obj)

    def save_model(
        self, request: HttpRequest, obj: SupportContract, form: forms.ModelForm, change: bool
    ) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in CONTRACT_FORM_FIELDS}
        if change:
            saved = services.contract_update(actor=request_actor(request), contract=obj, **data)
        else:
            saved = services.contract_create(actor=request_actor(request), **data)
        point_at_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: SupportContract) -> None:
        services.contract_delete(actor=request_actor(request), contract=obj)


# --- Technical contacts -------------------------------------------------------------------------


class TechnicalContactForm(forms.ModelForm):
    class Meta:
        model = TechnicalContact
        fields = ["customer", "full_name", "position", "phone", "extension", "email", "is_active", "user"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        customer = data.get("customer") if not self.instance.pk else self.instance.customer
        becoming_active = data.get("is_active") and not (self.instance.pk and self.instance.is_active)
        if customer and becoming_active:
            try:
                services.technical_contact_check_capacity(customer=customer, excluding=self.instance)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class ContactChangeInline(admin.TabularInline):
    model = TechnicalContactChange
    extra = 0
    fields = readonly_fields = ("changed_at", "action", "changed_by", "changes")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TechnicalContact)
class TechnicalContactAdmin(admin.ModelAdmin):
    form = TechnicalContactForm
    list_display = ["full_name", "customer", "position", "email", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["full_name", "email", "customer__name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]
    inlines = [ContactChangeInline]
    actions = ["invite_to_portal"]

    @admin.action(
        description=_("Invite to the portal (e-mail a single-use link to choose a password)"),
        permissions=["change"],
    )
    def invite_to_portal(self, request: HttpRequest, queryset: QuerySet[TechnicalContact]) -> None:
        invited = 0
        for contact in queryset.order_by("pk"):
            try:
                services.technical_contact_invite(actor=request_actor(request), contact=contact)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.WARNING)
            else:
                invited += 1
        if invited:
            self.message_user(
                request,
                ngettext(
                    "Portal invitation sent to %(count)d contact.",
                    "Portal invitation sent to %(count)d contacts.",
                    invited,
                )
                % {"count": invited},
                level=messages.SUCCESS,
            )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A contact belongs to one customer; designate a new one at the other customer instead.
        return ["customer"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: TechnicalContact, form: forms.ModelForm, change: bool
    ) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k != "customer"}
        if change:
            saved = services.technical_contact_update(actor=request_actor(request), contact=obj, **data)
        else:
            saved = services.technical_contact_designate(
                actor=request_actor(request), customer=form.cleaned_data["customer"], **data
            )
        point_at_saved(obj, saved)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from . import admin_contact_requests  # noqa: E402, F401  (registers the contacts' requests and consents)
