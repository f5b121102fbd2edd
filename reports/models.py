"""The reports app reads the other rooms; it owns no table of its own yet. ``Dashboard`` exists
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
