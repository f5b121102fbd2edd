"""The satisfaction survey from the e-mailed link. No login: the link's token authenticates the
contact for that one survey. Opening it (GET) only shows the form — mail scanners open links —
and only the submitted form stores the answer, once."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.idempotency import idempotent
from cases.services.surveys import SurveyAnswers, SurveyLinkError, survey_answer, survey_for_link

RATINGS = [(str(n), str(n)) for n in range(1, 6)]
STATUS_BY_CODE = {"invalid": 404, "expired": 410, "answered": 200}


class SurveyForm(forms.Form):
    attention_time = forms.TypedChoiceField(
        label=_("Attention time"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    technical_knowledge = forms.TypedChoiceField(
        label=_("Technical knowledge"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    courtesy = forms.TypedChoiceField(
        label=_("Courtesy"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    solution_quality = forms.TypedChoiceField(
        label=_("Quality of the solution"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _private(response: HttpResponse) -> HttpResponse:
    """The link is a credential: never cached, never sent to another site as a referrer
    ("no-referrer" would also make browsers send "Origin: null", which the CSRF check refuses)."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _refused(request: HttpRequest, error: SurveyLinkError) -> HttpResponse:
    return _private(
        render(
            request,
            "portal/survey_refused.html",
            {
                "message": error.messages[0],
                "code": error.code,
                "support_address": settings.SMA_SUPPORT_ADDRESS,
            },
            status=STATUS_BY_CODE.get(error.code or "", 404),
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@idempotent
def survey(request: HttpRequest, number: str, token: str) -> HttpResponse:
    try:
        owed = survey_for_link(case_number=number, token=token)
    except SurveyLinkError as error:
        return _refused(request, error)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(case_number=number, token=token, answers=SurveyAnswers(**form.cleaned_data))
        except SurveyLinkError as error:  # answered or expired meanwhile
            return _refused(request, error)
        return redirect("portal:survey_thanks")
    return _private(render(request, "portal/survey.html", {"form": form, "survey": owed, "case": owed.case}))


@require_GET
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/survey_thanks.html")
