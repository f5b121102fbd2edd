"""Satisfaction surveys: the e-mailed link's token and the contact's answer, once.

The link carries a random token (``secrets.token_urlsafe(32)``, 256 bits) made when the e-mail is
sent; only its SHA-256 is stored, so neither the database nor its backups can answer a survey.
A link is looked up by that hash, compared again in constant time, and honoured only for the case
it names, until it expires (30 days after sending) and only until it is answered. Opening the
link reads; only ``survey_answer`` writes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import CaseError
from ..models import SurveyOwed, SurveyResponse
from ..survey_models import RATING_FIELDS, RATING_MAX, RATING_MIN

VALID_FOR = timedelta(days=30)
TOKEN_BYTES = 32  # 256 bits
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # what token_urlsafe(32) yields


class SurveyLinkError(CaseError):
    """A link that cannot be answered. ``code``: invalid (unknown, altered, another case's),
    expired or answered."""


def survey_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def survey_issue_token(*, survey: SurveyOwed, now: datetime | None = None) -> str:
    """Give the survey a new link token valid for 30 days from ``now``; returns the token itself,
    which is never stored. Called by the sender in the transaction that marks the e-mail sent (a
    failed send rolls the hash back with it)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    survey.token_hash = survey_token_hash(token)
    survey.expires_at = now + VALID_FOR
    survey.save(update_fields=["token_hash", "expires_at"])
    return token


def _invalid() -> SurveyLinkError:
    return SurveyLinkError(
        _("This survey link is not valid. Check that you opened the whole link from the e-mail."),
        code="invalid",
    )


def survey_for_link(
    *, case_number: str, token: str, now: datetime | None = None, lock: bool = False
) -> SurveyOwed:
    """The survey this link may answer, or SurveyLinkError saying why not. Reads only."""
    now = now or timezone.now()
    if not TOKEN_PATTERN.fullmatch(token or ""):
        raise _invalid()
    digest = survey_token_hash(token)
    rows = SurveyOwed.objects.select_related("case", "contact", "case__customer")
    if lock:
        rows = rows.select_for_update(of=("self",))
    survey = rows.filter(token_hash=digest).first()
    if (
        survey is None
        or not hmac.compare_digest(survey.token_hash or "", digest)
        or not hmac.compare_digest(survey.case.number.encode(), (case_number or "").encode())
    ):
        raise _invalid()
    if SurveyResponse.objects.filter(survey=survey).exists():
        raise SurveyLinkError(_("This survey was already answered. Thank you."), code="answered")
    if survey.expires_at is None or now >= survey.expires_at:
        raise SurveyLinkError(
            _("This survey link expired: links are valid for 30 days after the e-mail is sent."),
            code="expired",
        )
    return survey


@dataclass(frozen=True)
class SurveyAnswers:
    attention_time: int
    technical_knowledge: int
    courtesy: int
    solution_quality: int
    comment: str = ""


@transaction.atomic
def survey_answer(
    *, case_number: str, token: str, answers: SurveyAnswers, now: datetime | None = None
) -> SurveyResponse:
    """Record the contact's answer. The token authenticates the contact for this survey only (the
    contact it was sent to is the actor); the survey row is locked, so two submits store one."""
    now = now or timezone.now()
    survey = survey_for_link(case_number=case_number, token=token, now=now, lock=True)
    ratings = {name: getattr(answers, name) for name in RATING_FIELDS}
    for name, value in ratings.items():
        if not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            raise CaseError(_("Rate each aspect from 1 to 5."), code=f"bad_{name}")
    return SurveyResponse.objects.create(
        survey=survey,
        case=survey.case,
        contact=survey.contact,
        answered_at=now,
        comment=answers.comment.strip()[:4000],
        **ratings,
    )
