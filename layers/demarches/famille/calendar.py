"""School days, working days and the booking deadlines of periscolaire sessions.

A school day is a weekday with school, outside the school holidays of the academic zone, that
is not a public holiday, not the Friday after Ascension and not a closure day of the school.
Working days, used to count deadlines, are Monday to Friday minus public holidays. Deadlines are
Paris wall-clock times, turned into aware UTC instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Literal

import holidays
from pydantic import BaseModel, ConfigDict, Field
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

from demarches.clock import paris_datetime
from demarches.famille.errors import SchoolCalendarUnknownError
from demarches.famille.school_year import SchoolYear

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


def weekday_of(day: date) -> Weekday:
    return WEEKDAYS[day.weekday()]


class DeadlineRule(BaseModel):
    """Last moment to book or cancel a session: ``days_before`` days, then ``at`` Paris time.

    With ``day_kind="working"`` only working days count, so "2 working days before, 10:00" for a
    Monday session is the Thursday before at 10:00. With ``"calendar"`` every day counts, so "1
    day before, 18:00" for a Monday session is Sunday at 18:00.
    """

    model_config = ConfigDict(frozen=True)

    days_before: int = Field(ge=0, le=60)
    day_kind: Literal["working", "calendar"]
    at: time = Field(description="Paris wall-clock time of the deadline, without a time zone.")


class CalendarSettings(BaseModel):
    """School calendar of the territory."""

    zone: Literal["A", "B", "C"] = Field(
        default="B", description="Academic holiday zone (Meuse, académie de Nancy-Metz: B)."
    )
    school_weekdays: frozenset[Weekday] = Field(
        default=frozenset({"monday", "tuesday", "thursday", "friday"}),
        description="Weekdays with school; add wednesday where the week has nine half-days.",
    )
    public_holiday_subdivision: str | None = Field(
        default=None,
        description=(
            "Département code passed to the holidays package, e.g. 57 for the Alsace-Moselle "
            "days; None gives the 11 mainland public holidays."
        ),
    )
    ascension_bridge_closed: bool = Field(
        default=True,
        description="Close schools on the Friday after Ascension (pont de l'Ascension).",
    )
    closures: frozenset[date] = Field(
        default=frozenset(), description="Extra days without school, e.g. a strike or works."
    )


class NonSchoolDayReason(StrEnum):
    NO_SCHOOL_THAT_WEEKDAY = "no_school_that_weekday"
    PUBLIC_HOLIDAY = "public_holiday"
    SCHOOL_HOLIDAY = "school_holiday"
    ASCENSION_BRIDGE = "ascension_bridge"
    CLOSURE = "closure"


@dataclass(frozen=True)
class ActionWindow:
    """Whether an action is still allowed, and the deadline instant (aware UTC) it was checked
    against."""

    allowed: bool
    deadline: datetime


@cache
def _installed_school_holidays() -> SchoolHolidayDates:
    # Loading the bundled CSV took about 0.15 s on a 2-core machine, so one instance serves
    # every calendar.
    return SchoolHolidayDates()


class SchoolCalendar:
    """School days and deadlines of one territory, from ``CalendarSettings``.

    School holidays come from the ``vacances-scolaires-france`` package. Its 0.12 data ends with
    the summer holidays of 2028. It marks the Friday after Ascension (pont de l'Ascension) in
    some years only (not 2023 to 2026), although the 2025-2026 national calendar closes schools
    on Friday 15 May 2026. ``ascension_bridge_closed`` adds the day every year.
    """

    def __init__(
        self, settings: CalendarSettings, school_holidays: SchoolHolidayDates | None = None
    ) -> None:
        self.settings = settings
        self._school_holidays = school_holidays or _installed_school_holidays()
        self._public_holidays: dict[int, dict[date, str]] = {}
        self._coverage = self._holiday_data_coverage()

    def _holiday_data_coverage(self) -> tuple[date, date]:
        # The package raises only outside its years, but its last year contains no data
        # past the last summer holidays. A date after them would silently look like school.
        data = self._school_holidays
        last_year = data.holidays_for_year_and_zone(data.max_year, self.settings.zone)
        return date(data.min_year, 1, 1), max(last_year)

    def _check_covered(self, day: date) -> None:
        first, last = self._coverage
        if first <= day <= last:
            return
        raise SchoolCalendarUnknownError(
            f"no school holiday data for {day.isoformat()} (school year "
            f"{SchoolYear.containing(day)}): the installed data covers {first.isoformat()} to "
            f"{last.isoformat()}; upgrade vacances-scolaires-france once the calendar is published",
            field="day",
            details={"day": day.isoformat(), "covered_until": last.isoformat()},
        )

    def public_holidays(self, year: int) -> dict[date, str]:
        """Return the public holidays of ``year`` with their French names."""
        if year not in self._public_holidays:
            calendar = holidays.country_holidays(
                "FR", years=year, language="fr", subdiv=self.settings.public_holiday_subdivision
            )
            self._public_holidays[year] = dict(calendar.items())
        return self._public_holidays[year]

    def is_public_holiday(self, day: date) -> bool:
        return day in self.public_holidays(day.year)

    def _ascension(self, year: int) -> date:
        for day, name in self.public_holidays(year).items():
            if name == "Ascension":
                return day
        raise AssertionError(f"holidays.country_holidays('FR') has no Ascension in {year}")

    def non_school_reason(self, day: date) -> NonSchoolDayReason | None:
        """Return why ``day`` has no school, or None on a school day.

        Raises SchoolCalendarUnknownError for a school weekday outside the holiday data.
        """
        if weekday_of(day) not in self.settings.school_weekdays:
            return NonSchoolDayReason.NO_SCHOOL_THAT_WEEKDAY
        if self.is_public_holiday(day):
            return NonSchoolDayReason.PUBLIC_HOLIDAY
        self._check_covered(day)
        try:
            on_holiday = self._school_holidays.is_holiday_for_zone(day, self.settings.zone)
        except UnsupportedYearException as exc:
            raise SchoolCalendarUnknownError(
                f"no school holiday data for {day.isoformat()}", field="day"
            ) from exc
        if on_holiday:
            return NonSchoolDayReason.SCHOOL_HOLIDAY
        if self.settings.ascension_bridge_closed and day == self._ascension(day.year) + timedelta(
            days=1
        ):
            return NonSchoolDayReason.ASCENSION_BRIDGE
        if day in self.settings.closures:
            return NonSchoolDayReason.CLOSURE
        return None

    def holiday_name(self, day: date) -> str | None:
        """Return the French name of the public holiday or school holidays on ``day``, if any."""
        public = self.public_holidays(day.year).get(day)
        if public is not None:
            return public
        try:
            entry = self._school_holidays.holidays_for_year_and_zone(day.year, self.settings.zone)
        except UnsupportedYearException:
            return None
        found = entry.get(day)
        return str(found["nom_vacances"]) if found else None

    def is_school_day(self, day: date) -> bool:
        return self.non_school_reason(day) is None

    def school_days(self, first: date, last: date) -> list[date]:
        """Return the school days from ``first`` to ``last``, both included."""
        days: list[date] = []
        day = first
        while day <= last:
            if self.is_school_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_public_holiday(day)

    def deadline(self, day: date, rule: DeadlineRule) -> datetime:
        """Return the deadline of ``rule`` for a session on ``day``, as an aware UTC instant."""
        if rule.day_kind == "calendar":
            deadline_day = day - timedelta(days=rule.days_before)
        else:
            deadline_day = day
            remaining = rule.days_before
            while remaining > 0:
                deadline_day -= timedelta(days=1)
                if self.is_working_day(deadline_day):
                    remaining -= 1
        return paris_datetime(deadline_day, rule.at)

    def check_action(self, day: date, rule: DeadlineRule, at: datetime) -> ActionWindow:
        """Tell whether an action at instant ``at`` is still allowed for a session on ``day``.

        The deadline instant itself is too late: "until 10:00" accepts 09:59:59 and rejects
        10:00:00.
        """
        if at.tzinfo is None:
            raise ValueError(f"instant {at.isoformat()} has no time zone: pass an aware datetime")
        deadline = self.deadline(day, rule)
        return ActionWindow(allowed=at < deadline, deadline=deadline)
