"""Slot generation: timetable hours in Europe/Paris, closures, holidays, booking opening."""

from __future__ import annotations

from datetime import UTC, date, datetime

import holidays
import pytest

from demarches.aquadrome.domain import (
    booking_opens_at,
    check_persons,
    generate_slots,
    parse_slot_id,
    session_times,
    week_key,
)
from demarches.aquadrome.timetable import load_timetable
from demarches.errors import InvalidRequestError

TIMETABLE = load_timetable("aquadrome-grand-verdun")


def french_holidays(*years: int) -> list[date]:
    return list(holidays.France(years=list(years), language="fr").keys())


def test_session_keeps_paris_hour_across_autumn_change():
    # 2026-10-25 is the last Sunday of October: Paris moves from UTC+2 to UTC+1 at 03:00.
    slots = list(generate_slots(TIMETABLE, date(2026, 10, 24), 2, []))

    saturday = next(s for s in slots if s.day == date(2026, 10, 24) and s.start == "09:00")
    sunday = next(s for s in slots if s.day == date(2026, 10, 25) and s.start == "09:00")
    assert saturday.starts_at == datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
    assert sunday.starts_at == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_session_keeps_paris_hour_across_spring_change():
    # 2027-03-28 is the last Sunday of March: Paris moves from UTC+1 to UTC+2 at 02:00.
    slots = list(generate_slots(TIMETABLE, date(2027, 3, 27), 2, []))

    sunday = next(s for s in slots if s.day == date(2027, 3, 28))
    assert sunday.starts_at == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert sunday.ends_at == datetime(2027, 3, 28, 10, 0, tzinfo=UTC)


def test_public_holidays_have_no_sessions():
    slots = list(generate_slots(TIMETABLE, date(2026, 12, 24), 3, french_holidays(2026)))

    days = {s.day for s in slots}
    assert date(2026, 12, 25) not in days
    assert date(2026, 12, 24) in days
    assert date(2026, 12, 26) in days


def test_closures_have_no_sessions():
    slots = list(generate_slots(TIMETABLE, date(2027, 1, 3), 9, []))

    days = {s.day for s in slots}
    assert days == {date(2027, 1, 3), date(2027, 1, 11)}


def test_generation_is_deterministic():
    first = list(generate_slots(TIMETABLE, date(2026, 12, 7), 14, french_holidays(2026)))
    second = list(generate_slots(TIMETABLE, date(2026, 12, 7), 14, french_holidays(2026)))

    assert [s.slot_id for s in first] == [s.slot_id for s in second]
    assert len({s.slot_id for s in first}) == len(first)


def test_wednesday_has_three_sessions():
    slots = list(generate_slots(TIMETABLE, date(2026, 12, 9), 1, []))

    assert [s.start for s in slots] == ["10:00", "14:00", "16:00"]
    assert all(s.capacity == 50 for s in slots)


def test_booking_opens_monday_eight_of_previous_week():
    opens = booking_opens_at(date(2026, 12, 17), TIMETABLE)

    assert opens == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


def test_cancellation_deadline_is_two_hours_before():
    times = session_times(TIMETABLE, date(2026, 12, 9), "14:00")

    assert times is not None
    starts_at, ends_at, cancel_until = times
    assert starts_at == datetime(2026, 12, 9, 13, 0, tzinfo=UTC)
    assert ends_at == datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    assert cancel_until == datetime(2026, 12, 9, 11, 0, tzinfo=UTC)


def test_session_times_of_unknown_start_is_none():
    assert session_times(TIMETABLE, date(2026, 12, 9), "14:30") is None


def test_week_key_follows_iso_weeks():
    assert week_key(date(2026, 12, 31)) == "2026-W53"
    assert week_key(date(2027, 1, 4)) == "2027-W01"


@pytest.mark.parametrize("slot_id", ["2026-12-09", "2026-13-09T10:00", "2026-12-09T25:00", "x"])
def test_malformed_slot_id_is_rejected(slot_id):
    with pytest.raises(InvalidRequestError) as raised:
        parse_slot_id(slot_id)

    assert raised.value.field == "slot_id"


def test_persons_are_checked_before_any_write():
    with pytest.raises(InvalidRequestError, match="same person twice"):
        check_persons(["a", "a"], TIMETABLE)
    with pytest.raises(InvalidRequestError, match="at least one"):
        check_persons([], TIMETABLE)
    with pytest.raises(InvalidRequestError, match="at most 8 persons"):
        check_persons([str(i) for i in range(9)], TIMETABLE)
    assert check_persons(["a", "b"], TIMETABLE) == ("a", "b")
