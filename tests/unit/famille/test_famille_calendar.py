from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from vacances_scolaires_france import UnsupportedYearException

from demarches.famille.calendar import (
    CalendarSettings,
    DeadlineRule,
    NonSchoolDayReason,
    SchoolCalendar,
)
from demarches.famille.errors import SchoolCalendarUnknownError

MEALS = DeadlineRule(days_before=2, day_kind="working", at=time(10, 0))
GARDERIE = DeadlineRule(days_before=1, day_kind="calendar", at=time(18, 0))
ONE_SECOND = timedelta(seconds=1)


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_tuesday_of_rentree_is_school_day(calendar: SchoolCalendar) -> None:
    assert calendar.is_school_day(date(2026, 9, 1))


def test_wednesday_has_no_school_by_default(calendar: SchoolCalendar) -> None:
    reason = calendar.non_school_reason(date(2026, 9, 2))
    assert reason is NonSchoolDayReason.NO_SCHOOL_THAT_WEEKDAY


def test_wednesday_can_be_configured_as_school_day() -> None:
    settings = CalendarSettings(
        school_weekdays=frozenset({"monday", "tuesday", "wednesday", "thursday", "friday"})
    )
    assert SchoolCalendar(settings).is_school_day(date(2026, 9, 2))


def test_saturday_has_no_school(calendar: SchoolCalendar) -> None:
    reason = calendar.non_school_reason(date(2026, 9, 5))
    assert reason is NonSchoolDayReason.NO_SCHOOL_THAT_WEEKDAY


def test_toussaint_holidays_of_zone_b(calendar: SchoolCalendar) -> None:
    assert calendar.non_school_reason(date(2026, 10, 19)) is NonSchoolDayReason.SCHOOL_HOLIDAY
    assert calendar.is_school_day(date(2026, 10, 16))
    assert calendar.is_school_day(date(2026, 11, 2))


def test_easter_monday_is_public_holiday(calendar: SchoolCalendar) -> None:
    assert calendar.non_school_reason(date(2026, 4, 6)) is NonSchoolDayReason.PUBLIC_HOLIDAY


def test_victory_day_friday_is_public_holiday(calendar: SchoolCalendar) -> None:
    assert calendar.non_school_reason(date(2026, 5, 8)) is NonSchoolDayReason.PUBLIC_HOLIDAY


def test_ascension_thursday_is_public_holiday(calendar: SchoolCalendar) -> None:
    assert calendar.non_school_reason(date(2026, 5, 14)) is NonSchoolDayReason.PUBLIC_HOLIDAY


def test_friday_after_ascension_is_bridge(calendar: SchoolCalendar) -> None:
    assert calendar.non_school_reason(date(2026, 5, 15)) is NonSchoolDayReason.ASCENSION_BRIDGE


def test_bridge_can_be_switched_off() -> None:
    calendar = SchoolCalendar(CalendarSettings(ascension_bridge_closed=False))
    assert calendar.is_school_day(date(2026, 5, 15))


def test_ascension_week_has_two_school_days(calendar: SchoolCalendar) -> None:
    days = calendar.school_days(date(2026, 5, 11), date(2026, 5, 17))
    assert days == [date(2026, 5, 11), date(2026, 5, 12)]


def test_meuse_has_no_alsace_moselle_holidays(calendar: SchoolCalendar) -> None:
    # Good Friday is a public holiday in Moselle (57) only.
    assert not calendar.is_public_holiday(date(2026, 4, 3))


def test_moselle_subdivision_adds_good_friday() -> None:
    calendar = SchoolCalendar(CalendarSettings(public_holiday_subdivision="57"))
    assert calendar.is_public_holiday(date(2026, 4, 3))


def test_configured_closure(calendar: SchoolCalendar) -> None:
    closed = SchoolCalendar(CalendarSettings(closures=frozenset({date(2026, 9, 8)})))
    assert closed.non_school_reason(date(2026, 9, 8)) is NonSchoolDayReason.CLOSURE
    assert calendar.is_school_day(date(2026, 9, 8))


def test_school_year_without_data_raises(calendar: SchoolCalendar) -> None:
    with pytest.raises(SchoolCalendarUnknownError) as caught:
        calendar.is_school_day(date(2028, 9, 4))
    assert caught.value.code == "school_calendar_unknown"
    assert caught.value.details["covered_until"] == "2028-08-31"


def test_year_2029_raises_domain_error(calendar: SchoolCalendar) -> None:
    with pytest.raises(SchoolCalendarUnknownError):
        calendar.is_school_day(date(2029, 1, 8))


def test_weekend_beyond_data_needs_no_data(calendar: SchoolCalendar) -> None:
    assert calendar.non_school_reason(date(2029, 1, 6)) is NonSchoolDayReason.NO_SCHOOL_THAT_WEEKDAY


class RaisingHolidayData:
    """Holiday data that claims wide coverage but raises like the package past its years."""

    min_year = 1990
    max_year = 2030

    def holidays_for_year_and_zone(self, year: int, zone: str) -> dict[date, Any]:
        return {date(2030, 8, 31): {}}

    def is_holiday_for_zone(self, day: date, zone: str) -> bool:
        raise UnsupportedYearException(f"No data for year: {day.year}")


def test_package_exception_becomes_domain_error() -> None:
    calendar = SchoolCalendar(CalendarSettings(), school_holidays=RaisingHolidayData())
    with pytest.raises(SchoolCalendarUnknownError):
        calendar.is_school_day(date(2029, 1, 8))


def test_working_days_skip_public_holidays(calendar: SchoolCalendar) -> None:
    assert not calendar.is_working_day(date(2026, 5, 14))
    assert calendar.is_working_day(date(2026, 5, 15))
    assert not calendar.is_working_day(date(2026, 5, 16))


def test_meal_deadline_two_working_days_before(calendar: SchoolCalendar) -> None:
    # Thursday 10 September: Wednesday 9 and Tuesday 8 are the two working days before.
    assert calendar.deadline(date(2026, 9, 10), MEALS) == utc(2026, 9, 8, 8, 0)


def test_meal_deadline_one_second_before_is_allowed(calendar: SchoolCalendar) -> None:
    window = calendar.check_action(date(2026, 9, 10), MEALS, utc(2026, 9, 8, 8, 0) - ONE_SECOND)
    assert window.allowed


def test_meal_deadline_instant_is_too_late(calendar: SchoolCalendar) -> None:
    window = calendar.check_action(date(2026, 9, 10), MEALS, utc(2026, 9, 8, 8, 0))
    assert not window.allowed


def test_meal_deadline_one_second_after_is_refused(calendar: SchoolCalendar) -> None:
    window = calendar.check_action(date(2026, 9, 10), MEALS, utc(2026, 9, 8, 8, 0) + ONE_SECOND)
    assert not window.allowed
    assert window.deadline == utc(2026, 9, 8, 8, 0)


def test_meal_deadline_after_ascension_bridge(calendar: SchoolCalendar) -> None:
    # Monday 18 May 2026: Friday 15 is a working day (school bridge only), Thursday 14 is
    # Ascension, so the second working day before is Wednesday 13.
    assert calendar.deadline(date(2026, 5, 18), MEALS) == utc(2026, 5, 13, 8, 0)


def test_meal_deadline_across_spring_forward(calendar: SchoolCalendar) -> None:
    # Clocks go forward on Sunday 29 March 2026; the deadline is still in winter time.
    assert calendar.deadline(date(2026, 3, 30), MEALS) == utc(2026, 3, 26, 9, 0)


def test_meal_deadline_in_summer_time(calendar: SchoolCalendar) -> None:
    assert calendar.deadline(date(2026, 4, 2), MEALS) == utc(2026, 3, 31, 8, 0)


def test_meal_deadline_after_easter_monday(calendar: SchoolCalendar) -> None:
    # Tuesday 30 March 2027: Easter Monday 29 is skipped, so Friday 26 and Thursday 25 count.
    assert calendar.deadline(date(2027, 3, 30), MEALS) == utc(2027, 3, 25, 9, 0)


def test_garderie_deadline_on_spring_forward_sunday(calendar: SchoolCalendar) -> None:
    assert calendar.deadline(date(2026, 3, 30), GARDERIE) == utc(2026, 3, 29, 16, 0)


def test_garderie_deadline_boundary_on_dst_sunday(calendar: SchoolCalendar) -> None:
    before = calendar.check_action(date(2026, 3, 30), GARDERIE, utc(2026, 3, 29, 15, 59, 59))
    after = calendar.check_action(date(2026, 3, 30), GARDERIE, utc(2026, 3, 29, 16, 0, 1))
    assert before.allowed
    assert not after.allowed


def test_garderie_deadline_on_fall_back_sunday(calendar: SchoolCalendar) -> None:
    # Clocks go back on Sunday 25 October 2026: 18:00 is then UTC+1.
    assert calendar.deadline(date(2026, 10, 26), GARDERIE) == utc(2026, 10, 25, 17, 0)


def test_zero_days_before_is_same_day(calendar: SchoolCalendar) -> None:
    rule = DeadlineRule(days_before=0, day_kind="working", at=time(8, 0))
    assert calendar.deadline(date(2026, 9, 10), rule) == utc(2026, 9, 10, 6, 0)


def test_naive_instant_is_rejected(calendar: SchoolCalendar) -> None:
    with pytest.raises(ValueError, match="time zone"):
        calendar.check_action(date(2026, 9, 10), MEALS, datetime(2026, 9, 8, 8, 0))
