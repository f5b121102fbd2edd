"""Forms of what a contact does in the portal: a new request, and the actions on a case. Input
checks only; the rules are the cases and escalation services'. A form declares only what the
contact may choose: company, contact, status, assignee and channel are never fields, so a posted
value for them is ignored."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import MultipleFileField, StyledForm
from cases.models import Scope
from contracts.models import Installation
from escalation.models import Pqr

ATTACHMENTS_HELP = _(
    "Logs, traces, captures or configuration files, up to 20 MB each. Web pages, SVG images and "
    "programs are not accepted."
)

# What each priority means (the scheme's table), so the contact can suggest one.
PRIORITY_MEANING = {
    "P1": _("P1 · The system is down"),
    "P2": _("P2 · It works but is seriously affected"),
    "P3": _("P3 · A problem or question with an acceptable workaround"),
    "P4": _("P4 · A request for information"),
}


class InstallationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        build = f" build {obj.build}" if obj.build else ""
        site = f" · {obj.site}" if obj.site else ""
        return f"{obj.product.name} {obj.version}{build}{site}"


class PortalRequestForm(StyledForm):
    installation = InstallationField(
        label=_("Product"),
        queryset=Installation.objects.none(),
        empty_label=_("— choose —"),
        error_messages={
            "invalid_choice": _(
                "Your company does not license that product, or its support is not in force: choose one "
                "of the products listed."
            )
        },
        help_text=_("Only the products your company licensed, with support in force."),
    )
    product_version = forms.CharField(label=_("Version"), max_length=40, required=False)
    product_build = forms.CharField(label=_("Build"), max_length=40, required=False)
    operating_system = forms.CharField(label=_("Operating system"), max_length=80, required=False)
    os_version = forms.CharField(label=_("OS version"), max_length=40, required=False)
    scope = forms.ChoiceField(
        label=_("The request is about"),
        choices=Scope.choices,
        initial=Scope.PRODUCT,
        help_text=_(
            "Support covers the operation of the licensed products; development, implementation, "
            "tuning, monitoring, administration and training are not covered."
        ),
    )
    suggested_priority = forms.ChoiceField(
        label=_("Suggested priority"),
        choices=[("", _("— choose —")), *PRIORITY_MEANING.items()],
        help_text=_(
            "It fixes the attention time. An engineer confirms it; if it changes, the time still "
            "counts from your submission."
        ),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happens, since when, and every error code or message you see."),
    )
    reproducer = forms.CharField(
        label=_("How to reproduce it (if it applies)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    attachments = MultipleFileField(label=_("Files"), help_text=ATTACHMENTS_HELP)

    def __init__(self, *args: Any, installations: list[Installation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["installation"])
        field.queryset = Installation.objects.filter(pk__in=[i.pk for i in installations]).select_related(
            "product"
        )
        if len(installations) == 1:
            field.initial = installations[0].pk


class CommentForm(StyledForm):
    body = forms.CharField(
        label=_("Comment"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text: it is shown exactly as written."),
    )
    attachments = MultipleFileField(label=_("Files"), help_text=ATTACHMENTS_HELP)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            raise forms.ValidationError(_("Write a comment or attach a file."), code="empty")
        return data


class AcceptForm(StyledForm):
    note = forms.CharField(
        label=_("Comment (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(StyledForm):
    reason = forms.CharField(
        label=_("Why does it not solve the problem?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(StyledForm):
    reason = forms.CharField(
        label=_("Why should it be reopened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PqrRaiseForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Pqr.Kind.choices, initial=Pqr.Kind.COMPLAINT)
    description = forms.CharField(
        label=_("What do you ask for?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PqrClimbForm(StyledForm):
    note = forms.CharField(
        label=_("Why is the answer not enough?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


__all__ = [
    "PRIORITY_MEANING",
    "AcceptForm",
    "CommentForm",
    "PortalRequestForm",
    "PqrClimbForm",
    "PqrRaiseForm",
    "RejectForm",
    "ReopenForm",
]


class CopyForm(StyledForm):
    email = forms.EmailField(
        label=_("Colleague's e-mail"),
        max_length=254,
        help_text=_("Another designated contact of your company; they will receive this case's e-mails."),
        widget=forms.EmailInput(attrs={"list": "copy-candidates", "autocomplete": "off"}),
    )


class CopyRemoveForm(StyledForm):
    contact = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
