"""Forms of the engineers' case desk. They check input; the services apply the rules."""

from __future__ import annotations

from html import escape
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contracts.forms import TechnicalContactChoiceField
from contracts.models import Customer, Installation, Priority, SupportPlan, TechnicalContact
from contracts.validators import validate_plausible_instant

from . import transitions
from .models import (
    INTERACTION_KINDS,
    ActivityKind,
    Case,
    CaseKind,
    CaseStatus,
    Channel,
    CloseReason,
    Scope,
    SolutionKind,
    SupportTier,
)
from .search import case_number_query

EMPTY = [("", "—")]


def parse_id(value: object) -> int | None:
    """A row id typed in a URL or a form: ASCII digits only ("²" and "٣" pass str.isdigit but are
    no ids), bounded; None for anything else."""
    text = str(value if value is not None else "").strip()
    if not (0 < len(text) <= 18 and text.isascii() and text.isdigit()):
        return None
    return int(text)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the attachment service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def engineers() -> QuerySet[Any]:
    """Active users who may work cases."""
    User = get_user_model()
    perm = Q(groups__permissions__codename="change_case") | Q(user_permissions__codename="change_case")
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(perm | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class EngineerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class CaseRegistrationForm(StyledForm):
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.filter(is_active=True).order_by("name")
    )
    requester = TechnicalContactChoiceField(label=_("Requested by"), queryset=TechnicalContact.objects.none())
    installation = forms.ModelChoiceField(
        label=_("Product / installation"), queryset=Installation.objects.none()
    )
    # An engineer never registers "by the API": only integrations do, through it.
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.API],
        initial=Channel.PHONE,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, initial=CaseKind.INCIDENT)
    scope = forms.ChoiceField(label=_("The request is about"), choices=Scope.choices, initial=Scope.PRODUCT)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("— choose —")), *Priority.choices],
        required=False,
        help_text=_("Fixes the attention time. Only an e-mail request may wait for it."),
    )
    tier = forms.TypedChoiceField(
        label=_("Support tier"), choices=SupportTier.choices, coerce=int, initial=SupportTier.N1
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens, since when, and any error code or message."),
    )
    product_version = forms.CharField(label=_("Product version"), max_length=40, required=False)
    product_build = forms.CharField(label=_("Build"), max_length=40, required=False)
    operating_system = forms.CharField(label=_("Operating system"), max_length=80, required=False)
    os_version = forms.CharField(label=_("OS version"), max_length=40, required=False)
    reproducer = forms.CharField(
        label=_("How to reproduce (if it applies)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    assigned_to = EngineerChoiceField(label=_("Assign to"), queryset=engineers(), required=False)
    attachments = MultipleFileField(
        label=_("Logs, traces, configuration files"),
        help_text=_("Up to 20 MB each. Web pages and programs are not accepted."),
    )

    def __init__(self, *args: Any, customer: Customer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = engineers()
        chosen = customer
        if chosen is None and self.is_bound:
            pk = parse_id(self.data.get("customer"))
            chosen = Customer.objects.filter(pk=pk).first() if pk is not None else None
        if chosen is not None:
            contacts = TechnicalContact.objects.filter(customer=chosen)
            cast(forms.ModelChoiceField, self.fields["requester"]).queryset = contacts.order_by(
                "-is_active", "full_name"
            )
            if contacts.filter(is_active=False).exists():
                self.fields["requester"].help_text = _(
                    "Contacts marked inactive are no longer designated by the customer."
                )
            cast(forms.ModelChoiceField, self.fields["installation"]).queryset = Installation.objects.filter(
                customer=chosen
            ).select_related("product")
            self.initial.setdefault("customer", chosen.pk)


class FilterForm(StyledForm):
    STATUS_CHOICES = [("open", _("Open")), ("all", _("All")), *CaseStatus.choices]
    SLA_CHOICES = [
        ("", _("Any")),
        ("breached", _("Breached")),
        ("at_risk", _("At risk")),
        ("unanswered", _("Unanswered")),
        ("met", _("Attended in time")),
        ("missed", _("Attended late")),
    ]
    SORT_CHOICES = [
        ("", _("Default")),
        ("due", _("Deadline, soonest first")),
        ("-due", _("Deadline, latest first")),
        ("-registered", _("Newest first")),
        ("registered", _("Oldest first")),
        ("priority", _("Priority")),
        ("-number", _("Number")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _(
                "The search has %(show_value)d characters; write at most %(limit_value)d. "
                "Nothing was searched."
            )
        },
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=EMPTY + list(Priority.choices), required=False)
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    customer = forms.TypedChoiceField(label=_("Customer"), coerce=int, required=False, empty_value=None)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    sla = forms.ChoiceField(label=_("Attention time"), choices=SLA_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans, customers, people = _filter_choices()
        cast(forms.ChoiceField, self.fields["plan"]).choices = [*EMPTY, *plans]
        cast(forms.ChoiceField, self.fields["customer"]).choices = [*EMPTY, *customers]
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *people,
        ]

    def selects_html(self) -> str:
        """Every filter but the search box as a labelled <select> (the list's grid columns),
        built in Python: the options of each choice list are rendered once per language and
        reused, only the chosen one is marked (a template loop costs ~1 ms a page here)."""
        language = get_language()
        parts = []
        for name, field in self.fields.items():
            if name == "q":
                continue
            raw = self.data.get(self.add_prefix(name)) if self.is_bound else None  # as typed
            current = "" if raw is None else str(raw)
            options = _options_html(language, name, cast(forms.ChoiceField, field).choices)
            if current:
                chosen = f'<option value="{escape(current)}">'
                options = options.replace(chosen, chosen[:-1] + " selected>", 1)
            else:
                options = options.replace('<option value="">', '<option value="" selected>', 1)
            column = "col-lg-3" if name == "sort" else "col-lg-2"
            html_name = self.add_prefix(name)
            parts.append(
                f'<div class="col-6 col-md-4 {column}">'
                f'<label class="form-label" for="id_{html_name}">{escape(str(field.label))}</label>'
                f'<select name="{html_name}" id="id_{html_name}" class="form-select">{options}</select>'
                "</div>"
            )
        return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


_OPTIONS_MEMO: dict[tuple[object, ...], str] = {}


def _options_html(language: str | None, name: str, choices: Any) -> str:
    """The <option>s of a choice list, rendered once per language and list content."""
    items = tuple((str(value), str(label)) for value, label in choices)
    key = (language, name, items)
    html = _OPTIONS_MEMO.get(key)
    if html is None:
        if len(_OPTIONS_MEMO) > 256:  # lists change (customers, engineers): keep the memo small
            _OPTIONS_MEMO.clear()
        html = "".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in items)
        _OPTIONS_MEMO[key] = html
    return html


FILTER_CHOICES_TTL = 60  # seconds: a new customer or engineer shows in the filters within a minute


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]], list[tuple[str, str]]]:
    """Plans (code, name), customers (id, name) and engineers (id, name) for filters elsewhere."""
    return _filter_choices()


def _filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]], list[tuple[str, str]]]:
    """Plans, customers and engineers for the list filters, cached briefly (asked on every page)."""
    cached = cache.get("cases:filter-choices")
    if cached is None:
        cached = (
            [(p.code, p.name) for p in SupportPlan.objects.order_by("name")],
            list(Customer.objects.order_by("name").values_list("pk", "name")),
            [(str(u.pk), u.get_full_name() or u.get_username()) for u in engineers()],
        )
        cache.set("cases:filter-choices", cached, FILTER_CHOICES_TTL)
    return cached


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Activity"),
        choices=[(k.value, k.label) for k in INTERACTION_KINDS],
        initial=ActivityKind.PHONE_CALL,
    )
    body = forms.CharField(label=_("What was done or said"), widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("Visible to the customer"), required=False, initial=True)
    minutes_spent = forms.IntegerField(
        label=_("Time spent (minutes)"),
        required=False,
        min_value=0,
        max_value=16 * 60,
        initial=0,
        help_text=_("At tiers 1 and 2 it draws from the contract's hour bank, when there is one."),
    )
    attachments = MultipleFileField(label=_("Attachments"))


class AssignForm(StyledForm):
    assignee = EngineerChoiceField(label=_("Engineer"), queryset=engineers(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = engineers()


class PriorityForm(StyledForm):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class TierForm(StyledForm):
    tier = forms.TypedChoiceField(label=_("Escalate to"), choices=SupportTier.choices, coerce=int)
    analysis = forms.CharField(
        label=_("Analysis handed over"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was checked and found; the next tier continues from here."),
    )
    evidence = MultipleFileField(label=_("Evidence (logs, traces, captures)"))

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            tiers = [(v, lbl) for v, lbl in SupportTier.choices if v > case.tier]
            cast(forms.ChoiceField, self.fields["tier"]).choices = tiers


class StatusForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s, CaseStatus(s).label) for s in sorted(transitions.MANUAL)]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class SolutionForm(StyledForm):
    solution_kind = forms.ChoiceField(label=_("Kind of solution"), choices=SolutionKind.choices)
    solution = forms.CharField(label=_("Solution"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(StyledForm):
    # "Cancelled" is only a preventive maintenance's, through its own cancel form.
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[c for c in CloseReason.choices if c[0] != CloseReason.CANCELLED]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For an accepted solution: who accepted it and how."),
    )
    duplicate_of = forms.CharField(
        label=_("Duplicate of case"), required=False, max_length=20, help_text=_("e.g. SMA-2026-000123")
    )

    def clean_duplicate_of(self) -> Case | None:
        text = self.cleaned_data.get("duplicate_of", "").strip()
        if not text:
            return None
        number = case_number_query(text)
        original = Case.objects.filter(number=number).first() if number else None
        if original is None:
            raise forms.ValidationError(_("There is no case %(number)s."), params={"number": text})
        return original


class ReopenForm(StyledForm):
    reason = forms.CharField(label=_("Why is it reopened?"), widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(StyledForm):
    reason = forms.CharField(label=_("Reason for the visit"), widget=forms.Textarea(attrs={"rows": 2}))
    scheduled_for = forms.DateTimeField(
        label=_("Scheduled for"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        validators=[validate_plausible_instant],
    )


class AttachmentForm(StyledForm):
    # the form metaclass moves declared fields off the class, so form.files stays the uploads;
    # the stubs see only the class attribute
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        required=True,
        help_text=_("Up to 20 MB each. If one file is refused, none is saved."),
    )
    note = forms.CharField(label=_("What the files are"), required=False, max_length=1000)
    is_public = forms.BooleanField(label=_("Visible to the customer"), required=False, initial=True)
