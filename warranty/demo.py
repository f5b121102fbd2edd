"""Demo certificates for ``manage.py seed_demo``: one valid, one replaced by a re-issue, one revoked."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from . import certificate_selectors as selectors
from . import services
from .models import Certificate
from .pdf import verification_url


def demo_certificates(*, actor: User, now: datetime | None = None) -> list[str]:
    """Issue them once (nothing when certificates exist already); the lines to print."""
    if Certificate.objects.exists():
        return []
    now = now or timezone.now()
    installations = list(selectors.installations_covered(on=timezone.localdate(now))[:3])
    if len(installations) < 3:
        return []
    valid, replaced, revoked = (
        services.certificate_issue(installation=i, actor=actor, now=now - timedelta(days=30))
        for i in installations
    )
    current = services.certificate_reissue(certificate=replaced, actor=actor, now=now - timedelta(days=2))
    services.certificate_revoke(
        certificate=revoked,
        actor=actor,
        reason="Datos de demostración: la instalación se retiró del contrato.",
        now=now - timedelta(days=1),
    )
    return [
        f"  {valid.number} vigente:     {verification_url(valid.code)}",
        f"  {replaced.number} reemplazado por {current.number}: {verification_url(replaced.code)}",
        f"  {revoked.number} revocado:    {verification_url(revoked.code)}",
    ]
