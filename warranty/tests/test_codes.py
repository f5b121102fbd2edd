"""Verification codes and the document's wording: pure functions, no database."""

from __future__ import annotations

from datetime import date

from warranty.codes import ALPHABET, BITS, code_grouped, code_new, code_normalise
from warranty.document import duration_text, long_date


def test_a_code_carries_at_least_80_random_bits_in_crockford_base32() -> None:
    codes = {code_new() for _ in range(2000)}
    assert len(codes) == 2000
    assert BITS >= 80 and len(ALPHABET) == 32
    assert all(len(c) == 20 and set(c) <= set(ALPHABET) for c in codes)
    # every position takes many values (no fixed prefix or padding)
    assert all(len({c[i] for c in codes}) > 20 for i in range(20))


def test_a_code_is_printed_in_groups_of_four_and_read_back_in_any_case() -> None:
    code = "7K2M9QXD4T8V1BCAZR5W"
    assert code_grouped(code) == "7K2M-9QXD-4T8V-1BCA-ZR5W"
    for typed in (
        "7K2M-9QXD-4T8V-1BCA-ZR5W",
        "7k2m 9qxd 4t8v 1bca zr5w",
        " 7k2m9qxd4t8v1bcazr5w ",
        "7K2M-9QXD-4T8V-IBCA-ZR5W",
    ):
        assert code_normalise(typed) == code
    assert code_normalise("0O0O-1I1L-0000-0000-0000") == "00001111000000000000"


def test_malformed_codes_normalise_to_nothing() -> None:
    for typed in (
        "",
        "ABC",
        "7K2M-9QXD-4T8V-1BCA-ZR5",
        "7K2M-9QXD-4T8V-1BCA-ZR5WX",
        "7K2M-9QXD-4T8V-1BCA-ZR5U",
        "x" * 500,
        "7K2M\x009QXD4T8V1BCAZR5W",
    ):
        assert code_normalise(typed) is None


def test_durations_and_dates_read_like_a_document() -> None:
    assert duration_text(date(2025, 1, 1), date(2028, 12, 31)) == "4 años"
    assert duration_text(date(2026, 3, 1), date(2027, 2, 28)) == "1 año"
    assert duration_text(date(2026, 1, 31), date(2026, 7, 30)) == "6 meses"
    assert duration_text(date(2026, 1, 1), date(2026, 1, 31)) == "1 mes"
    assert duration_text(date(2026, 1, 10), date(2026, 2, 23)) == "45 días"
    assert long_date(date(2026, 12, 2)) == "2 de diciembre de 2026"
