"""The reports app reads the other rooms; its own tables are what it generated (snapshots, reports
sent, monthly reports). ``Dashboard`` exists
only to carry the permission that opens the managers' dashboard (given to managers and admins
in ``sma.roles``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    class Meta:
        managed = False  # no table: a holder for the permission
        default_permissions = ()
        permissions = [("view_dashboard", _("Can see the SLA dashboard and reports"))]
        verbose_name = _("SLA dashboard")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class PeriodSnapshot(models.Model):
    """A long period's figures (the last 3 or 12 months up to today's midnight, no filter),
    computed once a day by the beat job instead of at every load: a year of cases is too many to
    take medians of within a page's time. The dashboard uses today's row when there is one and
    computes live otherwise."""

    period = models.CharField(_("period"), max_length=20)
    day = models.DateField(_("day"))  # the local date the period ends at (00:00)
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("period snapshot")
        verbose_name_plural = _("period snapshots")
        constraints = [models.UniqueConstraint(fields=["period", "day"], name="period_snapshot_once_a_day")]

    def __str__(self) -> str:
        return f"{self.period} {self.day}"


class BreachReportMail(models.Model):
    """A breach report sent to the case's contact: the PDF as sent, and the outbox state of its
    e-mail. One per case (the unique case): sending again is answered with this one."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="breach_report_mail", verbose_name=_("case")
    )
    to_name = models.CharField(_("recipient"), max_length=200, blank=True)
    to_email = models.EmailField(_("e-mail"))
    pdf = models.FileField(_("PDF file"), upload_to="reports/breach/%Y/", max_length=200)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("breach report e-mail")
        verbose_name_plural = _("breach report e-mails")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_email}"


class MonthlyReport(models.Model):
    """A customer's monthly SLA report as generated (figures and PDF kept: a later edit never
    rewrites a month already reported). One per customer and month."""

    customer = models.ForeignKey(
        "contracts.Customer",
        on_delete=models.PROTECT,
        related_name="monthly_reports",
        verbose_name=_("customer"),
    )
    month = models.DateField(_("month"))  # its first day
    figures = models.JSONField(_("figures"))
    pdf = models.FileField(_("PDF file"), upload_to="reports/monthly/%Y/", max_length=200)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("monthly SLA report")
        verbose_name_plural = _("monthly SLA reports")
        ordering = ["-month", "customer_id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "month"], name="monthly_report_once"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_report_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.month:%Y-%m}"
