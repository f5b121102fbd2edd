"""Hour banks: when a contract buys support tiers 1 and 2 as a bank of hours, the time engineers
log at those tiers draws from it.

``HourBankUse`` is the ledger (one row per activity that drew time, so the balance is one indexed
sum per contract); ``HourBankNotice`` records that the customer was told the bank reached 80 % or
was used up — once per contract and threshold, by its unique constraint."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HourBankUse(models.Model):
    contract = models.ForeignKey(
        "contracts.SupportContract",
        on_delete=models.PROTECT,
        related_name="hour_bank_uses",
        verbose_name=_("support contract"),
    )
    activity = models.OneToOneField(
        "cases.CaseActivity",
        on_delete=models.CASCADE,
        related_name="hour_bank_use",
        verbose_name=_("activity"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="hour_bank_uses", verbose_name=_("case")
    )
    tier = models.PositiveSmallIntegerField(_("support tier"))
    minutes = models.PositiveIntegerField(_("minutes"))
    used_at = models.DateTimeField(_("used at"))

    class Meta:
        verbose_name = _("hour bank use")
        verbose_name_plural = _("hour bank uses")
        ordering = ["-used_at", "-id"]
        indexes = [models.Index(fields=["contract", "used_at"], name="hourbankuse_contract_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=(1, 2)), name="hourbankuse_tier_1_or_2"),
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="hourbankuse_minutes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min · N{self.tier} · {self.case_id}"


class HourBankNotice(models.Model):
    class Threshold(models.IntegerChoices):
        WARNING = 80, _("80 % used")
        EXHAUSTED = 100, _("used up")

    contract = models.ForeignKey(
        "contracts.SupportContract",
        on_delete=models.CASCADE,
        related_name="hour_bank_notices",
        verbose_name=_("support contract"),
    )
    threshold = models.PositiveSmallIntegerField(_("threshold"), choices=Threshold.choices)
    # The public notice on the case the customer was e-mailed from; empty for a threshold passed
    # together with a higher one (one notice, the highest, says both).
    activity = models.OneToOneField(
        "cases.CaseActivity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("hour bank notice")
        verbose_name_plural = _("hour bank notices")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "threshold"], name="hourbanknotice_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.threshold} %"
