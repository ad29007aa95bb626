"""A child's month as the family sees it: school days or why not, and for each activity running
that day its deadlines, whether booking and cancelling are still allowed, and the reservation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from demarches.clock import Clock
from demarches.famille.activities import ActivityCatalogue, ActivitySettings
from demarches.famille.calendar import DeadlineRule, NonSchoolDayReason, SchoolCalendar
from demarches.famille.errors import ChildNotFoundError, SchoolCalendarUnknownError
from demarches.famille.ports import ReservationLedger, StoredReservation
from demarches.famille.registration import RegistrationStatus
from demarches.famille.registration_service import RegistrationService
from demarches.famille.school_year import Month

ReservationStatus = Literal["booked", "cancelled"]


@dataclass(frozen=True)
class ActivityDay:
    """One activity on one school day, for one child, judged at one instant.

    ``can_book`` and ``can_cancel`` are false once the deadline has passed or while the child
    has no validated registration for the school year. They do not check the places left or
    whether the session is already booked: the booking request reports those.
    """

    code: str
    label: str
    booking_deadline: datetime
    cancellation_deadline: datetime
    can_book: bool
    can_cancel: bool
    status: ReservationStatus | None
    attended: bool | None


@dataclass(frozen=True)
class CalendarDay:
    """One day of the month: school or the reason without it, and the activities that run.

    ``non_school_reason`` is None on a school day. ``holiday_name`` is the French name of the
    public holiday or of the school holidays. ``calendar_known`` is false past the installed
    school holiday data, and such a day lists no activity.
    """

    day: date
    non_school_reason: NonSchoolDayReason | None
    weekend: bool
    holiday_name: str | None
    calendar_known: bool
    activities: tuple[ActivityDay, ...]


@dataclass(frozen=True)
class ChildMonth:
    """A child's month of sessions, judged at instant ``now``."""

    child_id: str
    month: Month
    now: datetime
    registered: bool
    school_id: str | None
    days: tuple[CalendarDay, ...]


def _time_text(at: time) -> str:
    return f"{at.hour} h" if at.minute == 0 else f"{at.hour} h {at.minute:02d}"


def describe_rule(rule: DeadlineRule) -> str:
    """Return a deadline rule in French words, e.g. "2 jours ouvrés avant, à 10 h"."""
    at = _time_text(rule.at)
    if rule.days_before == 0:
        return f"le jour même, avant {at}"
    if rule.day_kind == "calendar":
        if rule.days_before == 1:
            return f"la veille, avant {at}"
        return f"{rule.days_before} jours avant, avant {at}"
    unit = "jour ouvré" if rule.days_before == 1 else "jours ouvrés"
    return f"{rule.days_before} {unit} avant, avant {at}"


class MonthCalendar:
    """Builds a child's month from the school calendar, the catalogue and the ledger."""

    def __init__(
        self,
        *,
        registrations: RegistrationService,
        ledger: ReservationLedger,
        calendar: SchoolCalendar,
        catalogue: ActivityCatalogue,
        clock: Clock,
    ) -> None:
        self._registrations = registrations
        self._ledger = ledger
        self._calendar = calendar
        self._catalogue = catalogue
        self._clock = clock

    def activities(self) -> list[ActivitySettings]:
        return list(self._catalogue)

    def child_month(self, household_id: str, child_id: str, month: Month) -> ChildMonth:
        """Return the month of a child of the household.

        Raises ChildNotFoundError (404) for a child id outside the caller's household, whether
        it exists elsewhere or not.
        """
        household = self._registrations.household(household_id)
        if not any(p.person_id == child_id and p.role == "child" for p in household.persons):
            raise ChildNotFoundError(f"no child {child_id} in your household", field="child_id")

        stored = self._registrations.find(household_id, month.school_year)
        school_id: str | None = None
        if stored is not None and stored.registration.status is RegistrationStatus.VALIDATED:
            school_id = stored.registration.children_schools().get(child_id)
        registered = school_id is not None

        rows = {
            (row.day, row.activity): row
            for row in self._ledger.household_month(household_id, month)
            if row.child_id == child_id
        }
        now = self._clock.now()
        days: list[CalendarDay] = []
        day = month.first_day
        while day <= month.last_day:
            days.append(self._calendar_day(day, now, registered, rows))
            day += timedelta(days=1)
        return ChildMonth(child_id, month, now, registered, school_id, tuple(days))

    def _calendar_day(
        self,
        day: date,
        now: datetime,
        registered: bool,
        rows: dict[tuple[date, str], StoredReservation],
    ) -> CalendarDay:
        weekend = day.weekday() >= 5
        try:
            reason = self._calendar.non_school_reason(day)
        except SchoolCalendarUnknownError:
            return CalendarDay(day, None, weekend, None, False, ())
        holiday_name = None
        if reason in (NonSchoolDayReason.PUBLIC_HOLIDAY, NonSchoolDayReason.SCHOOL_HOLIDAY):
            holiday_name = self._calendar.holiday_name(day)
        activities: tuple[ActivityDay, ...] = ()
        if reason is None:
            activities = tuple(
                self._activity_day(activity, day, now, registered, rows.get((day, activity.code)))
                for activity in self._catalogue
                if activity.runs_on(day)
            )
        return CalendarDay(day, reason, weekend, holiday_name, True, activities)

    def _activity_day(
        self,
        activity: ActivitySettings,
        day: date,
        now: datetime,
        registered: bool,
        row: StoredReservation | None,
    ) -> ActivityDay:
        booking = self._calendar.check_action(day, activity.booking_deadline, now)
        cancellation = self._calendar.check_action(
            day, activity.effective_cancellation_deadline, now
        )
        status: ReservationStatus | None = None
        if row is not None:
            status = "booked" if row.booked else "cancelled"
        return ActivityDay(
            code=activity.code,
            label=activity.label,
            booking_deadline=booking.deadline,
            cancellation_deadline=cancellation.deadline,
            can_book=registered and booking.allowed,
            can_cancel=registered and cancellation.allowed,
            status=status,
            attended=row.attended if row is not None else None,
        )
