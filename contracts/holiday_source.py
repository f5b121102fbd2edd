"""Public holidays from the ``holidays`` package (knows Ley Emiliani moves and 2026's 9 July)."""

from collections.abc import Iterable
from datetime import date

import holidays as holidays_lib


def public_holidays(country: str, years: Iterable[int]) -> list[tuple[date, str]]:
    """(date, Spanish name) for each public holiday of ``country`` in ``years``, sorted."""
    found = holidays_lib.country_holidays(country, years=list(years), language="es")
    return sorted(found.items())
