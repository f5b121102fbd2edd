"""Field validators for the contracts app."""

import re
import zoneinfo
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NIT_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)
_NIT_RE = re.compile(r"^(\d{5,15})-(\d)$")


def nit_check_digit(number: str) -> int:
    """The DIAN check digit ("dígito de verificación") of a NIT's digits."""
    total = sum(int(d) * w for d, w in zip(reversed(number), _NIT_WEIGHTS, strict=False))
    remainder = total % 11
    return remainder if remainder in (0, 1) else 11 - remainder


def normalize_nit(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_nit(value: str) -> None:
    match = _NIT_RE.match(normalize_nit(value))
    if not match:
        raise ValidationError(
            _("Enter the NIT as digits, a hyphen and the check digit, e.g. 900123456-8."),
            code="nit_format",
        )
    number, digit = match.groups()
    if nit_check_digit(number) != int(digit):
        raise ValidationError(
            _("The check digit of this NIT is wrong; please verify it."), code="nit_check_digit"
        )


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from None


def validate_holiday_country(value: str) -> None:
    import holidays

    if value and value not in holidays.list_supported_countries():
        raise ValidationError(
            _("%(code)s is not a country whose public holidays are known; use an ISO code such as CO."),
            params={"code": value},
        )


# Dates a user may type for a case's instants (the simulator's registration, a visit's schedule):
# business-time arithmetic far outside them overflows Python's dates or walks years of calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def validate_plausible_instant(value: datetime | date | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
            code="implausible_year",
        )
