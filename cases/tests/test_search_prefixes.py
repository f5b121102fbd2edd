"""Prefix terms of a search are read from the GIN index as the words that exist with that prefix
(the search vocabulary, migration 0017): the same cases as a plain prefix search, found by exact
words the index can intersect quickly."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.search import _TERM_RE, fold, tsquery_sql

from .factories import CaseFactory, customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=BOGOTA)
LIST = reverse("cases:list")


def _vocabulary() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM cases_searchlexeme")
        return {row[0] for row in cursor.fetchall()}


def _lexemes(case: Case) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unnest(tsvector_to_array(search_tsv)) FROM cases_case WHERE id = %s", [case.pk]
        )
        return {row[0] for row in cursor.fetchall()}


def _expand(query: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cases_expand_prefixes(to_tsquery('simple', %s))::text", [query])
        return cursor.fetchone()[0]


def test_every_word_of_a_registered_or_edited_case_is_in_the_vocabulary() -> None:
    case = registered_case(subject="Fallas intermitentes", description="La tarjeta de red se reinicia.")
    words = _vocabulary()
    assert {"fallas", "intermitentes", "tarjeta", "reinicia"} <= words
    assert _lexemes(case) <= words  # the number's parts and the customer's name too

    Case.objects.filter(pk=case.pk).update(search_document="tarjetas sospechosas")
    assert {"tarjetas", "sospechosas"} <= _vocabulary()
    assert "fallas" in _vocabulary()  # never forgotten: a superset is still a correct expansion


def test_the_cases_written_in_one_statement_add_their_words_too() -> None:
    setup = customer_setup()
    Case.objects.bulk_create(
        [CaseFactory.build(setup=setup, search_document=f"palabra{i} comun") for i in range(3)]
    )
    assert {"palabra0", "palabra1", "palabra2", "comun"} <= _vocabulary()


def test_a_prefix_becomes_the_words_that_exist_with_it() -> None:
    # Words no other test writes ("zq…"): the vocabulary is shared by the whole test database.
    CaseFactory(search_document="zqfalla zqfallas zqfallo zqtarjeta zqit'zqs")
    assert _expand("'zqfalla':* & 'zqtarjeta':*") == "( 'zqfalla' | 'zqfallas' ) & 'zqtarjeta'"
    assert _expand("'zqfall':*") == "'zqfalla' | 'zqfallas' | 'zqfallo'"
    assert _expand("'zqfalla'") == "'zqfalla'"  # exact words stay as they are
    # A prefix no case has: nothing to expand into, it stays a prefix (and finds nothing).
    assert _expand("'zqzzz':*") == "'zqzzz':*"
    # The phrase to_tsquery makes of a quoted word survives the rewrite.
    assert _expand("'zqit''zqs':*") == "'zqit' <-> 'zqs'"


def test_a_prefix_shared_by_many_words_stays_a_prefix() -> None:
    CaseFactory(search_document=" ".join(f"zqserie{i:02d}" for i in range(33)))
    assert _expand("'zqserie':*") == "'zqserie':*"
    CaseFactory(search_document=" ".join(f"zqlote{i:02d}" for i in range(32)))
    assert _expand("'zqlote':*").count("|") == 31


@pytest.mark.parametrize(
    "text",
    [
        "falla",
        "fall",
        "falla tarjeta",
        "se sospecha de una falla en la tarjeta",
        "licencia de los llanos",
        "srv-200",
        "it's",
        "zzzqqq",
    ],
)
def test_the_list_finds_the_same_cases_as_a_plain_prefix_search(client, monkeypatch, text) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client.force_login(engineer())
    setup = customer_setup()
    documents = [
        "se sospecha de una falla en la tarjeta de red",
        "se sospecha de unas fallas en la tarjeta",
        "fallo general",
        "la tarjeta sin falla",
        "licencias de los llanos orientales",
        "licencia desde los llanos",
        "servidor srv-200 caido",
        "servidor srv-2001",
        "it's done",
    ]
    for i, document in enumerate(documents):
        CaseFactory(setup=setup, registered_at=NOW - timedelta(hours=i), search_document=document)

    terms = [t for t in _TERM_RE.findall(fold(text)) if t.strip("-")]
    sql, params = tsquery_sql(terms)
    plain = RawSQL(f"search_tsv @@ ({sql})", params, output_field=BooleanField())
    expected = list(Case.objects.filter(plain).order_by("-registered_at").values_list("pk", flat=True))

    client.get(LIST)  # the per-process caches (filter choices, SLA tables) filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"q": text, "status": "all"})
    assert [c.pk for c in response.context["cases"]] == expected
    assert response.context["total"] == len(expected)
    assert len(ctx.captured_queries) <= 10


def _analyzed_cases() -> list[Case]:
    """Twenty-one cases with "de", "la" and "en" in every one (in the column's statistics: words
    most cases contain), the sentence searched below in seven."""
    setup = customer_setup()
    made = []
    for i in range(21):
        document = (
            "se sospecha de una falla en la tarjeta de red"
            if i % 3 == 0
            else f"consulta {i} de la sede en linea sobre una tarjeta"
        )
        made.append(
            CaseFactory(setup=setup, registered_at=NOW - timedelta(hours=i), search_document=document)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    return made


def test_the_capped_count_reads_exact_and_uncommon_words_from_the_index(client, monkeypatch) -> None:
    """What the plan of the capped count sees: the pasted sentence's long words as the words that
    exist (no prefix left for the GIN index to collect row by row), without the words most cases
    contain; the whole sentence is tested on the rows the index gives."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client.force_login(engineer())
    made = _analyzed_cases()
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"q": "Se sospecha de una falla en la tarjeta", "status": "all"})
    hits = [c.pk for c in made if c.search_document.startswith("se sospecha")]
    assert [c.pk for c in response.context["cases"]] == hits
    assert response.context["total"] == len(hits) == 7
    assert len(ctx.captured_queries) <= 10
    count_sql = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + count_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    whole = "'se' & 'sospecha' & 'de' & 'una' & 'falla' & 'en' & 'la' & 'tarjeta'"
    index = "'se' & 'sospecha' & 'falla'"  # "una" and "tarjeta" are in every case too
    assert f"(search_tsv @@ {_literal(whole)}::tsquery) IS TRUE" in plan  # rows tested on all of it
    assert f"search_tsv @@ {_literal(index)}::tsquery" in plan
    assert ":*" not in plan


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_the_index_part_of_a_search_keeps_what_is_not_a_plain_common_word() -> None:
    _analyzed_cases()

    def index_query(query: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cases_search_index_query(%s::tsquery)::text", [query])
            return cursor.fetchone()[0]

    assert index_query("'de' & 'la' & 'en'") == "'de'"  # all common: one stays
    assert index_query("'sospecha' & 'de'") == "'sospecha'"
    assert index_query("'sospecha' & ( 'de' | 'la' )") == "'sospecha' & ( 'de' | 'la' )"  # in an OR
    assert index_query("'sospecha' & 'de' | 'la'") == "'sospecha' & 'de' | 'la'"  # not a top-level AND
    assert index_query("'sospecha' & !'de'") == "'sospecha' & !'de'"
    assert index_query("'de' <-> 'red' & 'la'") == "'de' <-> 'red'"
