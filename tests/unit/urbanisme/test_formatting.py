from __future__ import annotations

from datetime import UTC, date, datetime

from demarches.urbanisme.formatting import (
    format_area,
    format_date_fr,
    format_datetime_fr,
    format_euros,
)


def test_first_of_month_reads_premier() -> None:
    assert format_date_fr(date(2026, 3, 1)) == "1er mars 2026"


def test_accented_month_names() -> None:
    assert format_date_fr(date(2026, 2, 14)) == "14 février 2026"
    assert format_date_fr(date(2026, 8, 15)) == "15 août 2026"
    assert format_date_fr(date(2026, 12, 25)) == "25 décembre 2026"


def test_datetime_is_shown_in_paris_time() -> None:
    assert format_datetime_fr(datetime(2026, 7, 4, 14, 5, tzinfo=UTC)) == "4 juillet 2026 à 16 h 05"
    assert format_datetime_fr(datetime(2026, 1, 4, 14, 5, tzinfo=UTC)) == "4 janvier 2026 à 15 h 05"


def test_euros_group_thousands_with_non_breaking_spaces() -> None:
    assert format_euros(18_500_000) == "185\u00a0000,00\u00a0€"


def test_euros_keep_cents() -> None:
    assert format_euros(5) == "0,05\u00a0€"
    assert format_euros(-123_456) == "-1\u00a0234,56\u00a0€"


def test_area_in_square_metres() -> None:
    assert format_area(1250) == "1\u00a0250\u00a0m²"
