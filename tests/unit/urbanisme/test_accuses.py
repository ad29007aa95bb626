from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demarches.urbanisme.accuses import (
    accuse_enregistrement_due,
    accuse_reception_due,
    is_working_day,
    next_working_day,
)


def _paris_evening(day: date) -> datetime:
    # 17:00 UTC is 18:00 or 19:00 in Paris: the same calendar day all year.
    return datetime(day.year, day.month, day.day, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 5, 4), True),  # Monday
        (date(2026, 5, 9), False),  # Saturday
        (date(2026, 5, 10), False),  # Sunday
        (date(2026, 5, 1), False),  # Fête du Travail
        (date(2026, 5, 14), False),  # Ascension
        (date(2026, 5, 25), False),  # Lundi de Pentecôte
        (date(2026, 7, 14), False),  # Fête nationale
        (date(2026, 4, 3), True),  # Good Friday: a working day outside Alsace-Moselle
    ],
)
def test_working_days_of_mainland_france(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


def test_good_friday_is_a_holiday_in_moselle() -> None:
    assert is_working_day(date(2026, 4, 3), subdivision="57") is False


def test_next_working_day_skips_weekend() -> None:
    assert next_working_day(date(2026, 5, 8)) == date(2026, 5, 11)


def test_enregistrement_due_next_working_day() -> None:
    assert accuse_enregistrement_due(_paris_evening(date(2026, 5, 5))) == date(2026, 5, 6)


def test_enregistrement_due_skips_ascension() -> None:
    assert accuse_enregistrement_due(_paris_evening(date(2026, 5, 13))) == date(2026, 5, 15)


def test_enregistrement_due_skips_may_day_and_weekend() -> None:
    assert accuse_enregistrement_due(_paris_evening(date(2026, 4, 30))) == date(2026, 5, 4)


def test_enregistrement_due_skips_pentecost_monday() -> None:
    assert accuse_enregistrement_due(_paris_evening(date(2026, 5, 22))) == date(2026, 5, 26)


def test_enregistrement_received_on_saturday_is_due_monday() -> None:
    assert accuse_enregistrement_due(_paris_evening(date(2026, 5, 16))) == date(2026, 5, 18)


def test_enregistrement_due_in_moselle_skips_good_friday() -> None:
    received = _paris_evening(date(2026, 4, 2))

    assert accuse_enregistrement_due(received) == date(2026, 4, 3)
    assert accuse_enregistrement_due(received, subdivision="57") == date(2026, 4, 7)


def test_enregistrement_due_uses_the_paris_date() -> None:
    # 23:30 UTC on Friday 8 May is 01:30 on Saturday 9 May in Paris.
    received = datetime(2026, 5, 8, 23, 30, tzinfo=UTC)

    assert accuse_enregistrement_due(received) == date(2026, 5, 11)


def test_reception_due_seven_calendar_days_after() -> None:
    assert accuse_reception_due(_paris_evening(date(2026, 12, 28))) == date(2027, 1, 4)
