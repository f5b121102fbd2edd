"""Copies on a case: the desk's forms (the rule is the service's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import StyledForm


class CopyForm(StyledForm):
    email = forms.EmailField(
        label=_("Contact's e-mail"),
        max_length=254,
        help_text=_("Only designated contacts of the case's company can be copied."),
        widget=forms.EmailInput(attrs={"list": "copy-candidates", "autocomplete": "off"}),
    )


class CopyRemoveForm(StyledForm):
    contact = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
