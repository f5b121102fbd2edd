"""A contact's answer to a satisfaction survey: four ratings 1–5 and a comment, once per survey.

The ratings are plain integer columns with check constraints, so the managers' reports average
them per aspect in SQL and count the response rate against the surveys sent (``SurveyOwed``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RATING_FIELDS = ("attention_time", "technical_knowledge", "courtesy", "solution_quality")
RATING_MIN, RATING_MAX = 1, 5


class SurveyResponse(models.Model):
    survey = models.OneToOneField(
        "cases.SurveyOwed", on_delete=models.PROTECT, related_name="response", verbose_name=_("survey")
    )
    # Copied from the survey for the reports' joins (a response per case, per customer…).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("case")
    )
    contact = models.ForeignKey(
        "contracts.TechnicalContact", on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    answered_at = models.DateTimeField(_("answered at"))
    attention_time = models.PositiveSmallIntegerField(_("attention time"))
    technical_knowledge = models.PositiveSmallIntegerField(_("technical knowledge"))
    courtesy = models.PositiveSmallIntegerField(_("courtesy"))
    solution_quality = models.PositiveSmallIntegerField(_("solution quality"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": RATING_MIN, f"{name}__lte": RATING_MAX}),
                name=f"surveyresponse_{name}_1_5",
            )
            for name in RATING_FIELDS
        ]
        indexes = [models.Index(fields=["answered_at"], name="surveyresponse_answered_idx")]

    def __str__(self) -> str:
        return f"{self.case} · {self.answered_at:%Y-%m-%d}"
