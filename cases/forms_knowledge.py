"""The desk's knowledge-base forms (the articles themselves live in the knowledge app)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import Product
from knowledge.models import ArticleState, Visibility

from .forms import MultipleFileField, StyledForm


class ArticleForm(StyledForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.order_by("name"))
    versions = forms.CharField(
        label=_("Versions"), max_length=120, required=False, help_text=_("e.g. 7.2, 7.3")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 4}))
    symptoms = forms.CharField(
        label=_("Symptoms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the user sees, with the exact error messages."),
    )
    error_codes = forms.CharField(
        label=_("Error codes"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    solution = forms.CharField(
        label=_("Solution steps"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("One step per line.")
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.INTERNAL
    )
    attachments = MultipleFileField(
        label=_("Attachments"), help_text=_("Captures, logs or documents; shown with the article.")
    )


class ArticleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *ArticleState.choices]
    )


class TransitionForm(StyledForm):
    to = forms.ChoiceField(choices=ArticleState.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
