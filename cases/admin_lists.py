"""Admin lists over tables with millions of rows (cases, their notifications and e-mails): no full
COUNT, no deep OFFSET, case numbers searched through their index.

* The unfiltered count is PostgreSQL's estimate (``pg_class.reltuples``, kept by ANALYZE/autovacuum)
  shown as "≈ 999.713"; a filtered count stops at what the pages can show ("más de 5.000").
* Only the first ``MAX_PAGES`` pages are served; a deeper page is sent back to the last one with a
  message saying to narrow the list with the filters or the search.
* A search that looks like a case number ("SMA-2024-000123", its beginning "SMA-2024", or the
  serial "123") is an exact or prefix lookup on the unique number's btree index (its
  ``varchar_pattern_ops`` twin serves LIKE 'SMA-2024%'), never ``UPPER(number) LIKE '%…%'``.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .numbering import PREFIX

MAX_PAGES = 50

_FULL_NUMBER = re.compile(rf"{PREFIX}-\d{{4}}-\d{{1,}}")
_NUMBER_PREFIX = re.compile(rf"{PREFIX}(-\d{{0,4}}(-\d*)?)?")
_SERIAL = re.compile(r"\d{1,7}")


class Estimated(int):
    """A row count from the planner's statistics: shown as approximate."""

    def __str__(self) -> str:
        return f"≈ {number_format(int(self), force_grouping=True)}"


class AtLeast(int):
    """A count that stopped at the cap: shown as "more than N"."""

    def __str__(self) -> str:
        return _("more than %(count)s") % {"count": number_format(int(self) - 1, force_grouping=True)}


def estimated_rows(model: Any) -> int:
    """The planner's row estimate for the model's table (-1 when never analysed)."""
    if connection.vendor != "postgresql":
        return -1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else -1


class LargeTablePaginator(Paginator):
    """Counts without scanning the table, and serves at most ``MAX_PAGES`` pages."""

    max_pages = MAX_PAGES

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        cap = self.max_pages * self.per_page
        if isinstance(rows, QuerySet):
            if not rows.query.where:
                estimate = estimated_rows(rows.model)
                if estimate > cap:
                    return Estimated(estimate)
            counted = rows.order_by()[: cap + 1].count()
            return AtLeast(counted) if counted > cap else counted
        return super().count

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, self.max_pages)


def case_number_filter(term: str, field: str = "number") -> Q | None:
    """The index-backed lookup for a search that is a case number, its start, or its serial."""
    from .search import case_number_query

    text = term.strip().upper()
    number = case_number_query(text) if _FULL_NUMBER.fullmatch(text) or "-" in text else None
    if number:
        return Q(**{field: number})
    if _NUMBER_PREFIX.fullmatch(text):
        # The range lets the unique btree serve the prefix in number order (any collation);
        # startswith keeps the match exact.
        after = text[:-1] + chr(ord(text[-1]) + 1)
        return Q(**{f"{field}__gte": text, f"{field}__lt": after, f"{field}__startswith": text})
    if _SERIAL.fullmatch(text):
        from .models import CaseSequence

        years = CaseSequence.objects.values_list("year", flat=True)
        return Q(**{f"{field}__in": [f"{PREFIX}-{year}-{int(text):06d}" for year in years]})
    return None


class LargeTableAdmin(admin.ModelAdmin):
    """A ModelAdmin for a big table; ``case_number_field`` names the case number to search by."""

    paginator = LargeTablePaginator
    show_full_result_count = False
    case_number_field = "number"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            page = int(request.GET.get("p", "1"))
        except ValueError:
            page = 1
        if page > MAX_PAGES:
            messages.warning(
                request,
                _(
                    "Only the first %(pages)s pages of this list are shown; narrow it with the filters or "
                    "the search to reach older entries."
                )
                % {"pages": MAX_PAGES},
            )
            params = request.GET.copy()
            params["p"] = str(MAX_PAGES)
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_ordering(self, request: HttpRequest) -> list[str] | tuple[str, ...]:
        """A search by case number lists in number order, newest first: the number's index
        serves it (ordering a year's 300,000 cases by registration would sort them all)."""
        term = request.GET.get("q", "")
        if self.case_number_field == "number" and term and case_number_filter(term) is not None:
            return ["-number"]
        return super().get_ordering(request)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        lookup = case_number_filter(search_term, self.case_number_field) if search_term else None
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)
