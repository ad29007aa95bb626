from __future__ import annotations

from datetime import date

import pytest

from demarches.famille.school_year import Month, SchoolYear


def test_school_year_starts_on_first_september() -> None:
    assert SchoolYear.containing(date(2026, 9, 1)) == SchoolYear(2026)


def test_august_belongs_to_previous_school_year() -> None:
    assert SchoolYear.containing(date(2026, 8, 31)) == SchoolYear(2025)


def test_school_year_label_round_trips() -> None:
    assert SchoolYear.parse("2026-2027").label == "2026-2027"


@pytest.mark.parametrize("label", ["2026-2028", "2026/2027", "26-27", ""])
def test_invalid_school_year_label_is_rejected(label: str) -> None:
    with pytest.raises(ValueError, match="invalid school year"):
        SchoolYear.parse(label)


def test_school_year_bounds() -> None:
    year = SchoolYear(2026)
    assert year.contains(date(2027, 8, 31))
    assert not year.contains(date(2027, 9, 1))


def test_month_last_day_of_leap_february() -> None:
    assert Month(2028, 2).last_day == date(2028, 2, 29)


def test_month_last_day_of_december() -> None:
    assert Month(2026, 12).last_day == date(2026, 12, 31)


def test_month_belongs_to_one_school_year() -> None:
    assert Month(2026, 9).school_year == SchoolYear(2026)
    assert Month(2027, 8).school_year == SchoolYear(2026)


def test_invalid_month_is_rejected() -> None:
    with pytest.raises(ValueError, match="invalid month"):
        Month(2026, 13)


def test_month_text_sorts_chronologically() -> None:
    assert str(Month(2026, 9)) == "2026-09"
