"""Aquadrome domain: sessions (slots), bookings and the rules that bind them.

Pure code: no AWS, no clock of its own. Instants are aware UTC datetimes; days and wall-clock
times are Europe/Paris.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from demarches.clock import paris_datetime
from demarches.errors import InvalidRequestError

from .timetable import WEEKDAYS, Timetable

_SLOT_ID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"


@dataclass(frozen=True)
class Slot:
    """One public session of the pool, bookable from ``opens_at`` until ``closes_at``."""

    day: date
    start: str
    end: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    opens_at: datetime
    closes_at: datetime
    cancel_until: datetime

    @property
    def slot_id(self) -> str:
        return slot_id_of(self.day, self.start)


@dataclass(frozen=True)
class SlotAvailability:
    slot_id: str
    day: date
    start: str
    end: str
    starts_at: datetime
    capacity: int
    places_left: int
    opens_at: datetime
    closes_at: datetime
    cancel_until: datetime


@dataclass(frozen=True)
class Booking:
    booking_id: str
    household_id: str
    slot_id: str
    person_ids: tuple[str, ...]
    status: BookingStatus
    created_at: datetime
    starts_at: datetime
    ends_at: datetime
    cancel_until: datetime
    checked_in_at: datetime | None = None

    @property
    def places(self) -> int:
        return len(self.person_ids)


def slot_id_of(day: date, start: str) -> str:
    return f"{day.isoformat()}T{start}"


def parse_slot_id(slot_id: str) -> tuple[date, str]:
    """Split ``YYYY-MM-DDTHH:MM`` into its day and start, or raise a 422 on ``slot_id``."""
    shown = slot_id[:40]
    day_text, _, start = slot_id.partition("T")
    if not _SLOT_ID.match(slot_id):
        raise InvalidRequestError(
            f"slot_id {shown!r} is not of the form YYYY-MM-DDTHH:MM",
            field="slot_id",
            code="slot_id_invalid",
        )
    try:
        day = date.fromisoformat(day_text)
        hours, minutes = start.split(":")
        if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
            raise ValueError(start)
    except ValueError as exc:
        raise InvalidRequestError(
            f"slot_id {shown!r} is not a valid date and time",
            field="slot_id",
            code="slot_id_invalid",
        ) from exc
    return day, start


def week_key(day: date) -> str:
    """ISO week of a day, ``2026-W49``: the period of the household quota."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def booking_opens_at(day: date, timetable: Timetable) -> datetime:
    """Instant the slots of ``day``'s week open for booking (Europe/Paris wall clock)."""
    rule = timetable.booking_opens
    monday = day - timedelta(days=day.weekday())
    opening_day = (
        monday - timedelta(weeks=rule.weeks_before) + timedelta(WEEKDAYS.index(rule.weekday))
    )
    return paris_datetime(opening_day, rule.time)


def generate_slots(
    timetable: Timetable, first_day: date, days: int, public_holidays: Iterable[date]
) -> Iterator[Slot]:
    """Yield the sessions of ``days`` days from ``first_day``, skipping closures and holidays.

    Each wall-clock time is converted on its own day, so a session keeps its Paris hour across
    the daylight-saving changes.
    """
    closed_days = set(public_holidays) if timetable.closed_on_public_holidays else set()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day in closed_days or any(c.covers(day) for c in timetable.closures):
            continue
        for start, end in timetable.weekly.get(WEEKDAYS[day.weekday()], []):
            starts_at = paris_datetime(day, start)
            yield Slot(
                day=day,
                start=start.strftime("%H:%M"),
                end=end.strftime("%H:%M"),
                starts_at=starts_at,
                ends_at=paris_datetime(day, end),
                capacity=timetable.capacity,
                opens_at=booking_opens_at(day, timetable),
                closes_at=starts_at - timedelta(minutes=timetable.booking_closes_minutes_before),
                cancel_until=starts_at - timedelta(minutes=timetable.cancellation_minutes_before),
            )


def session_times(
    timetable: Timetable, day: date, start: str
) -> tuple[datetime, datetime, datetime] | None:
    """Return (starts_at, ends_at, cancel_until) of the timetable session at ``start`` on ``day``.

    None when the timetable has no such session, which spares a database call for slot ids
    that cannot exist.
    """
    for session_start, session_end in timetable.weekly.get(WEEKDAYS[day.weekday()], []):
        if session_start.strftime("%H:%M") == start:
            starts_at = paris_datetime(day, session_start)
            cancel_until = starts_at - timedelta(minutes=timetable.cancellation_minutes_before)
            return starts_at, paris_datetime(day, session_end), cancel_until
    return None


def check_persons(person_ids: list[str], timetable: Timetable) -> tuple[str, ...]:
    """Validate the persons of a booking: at least one, no repeat, within the per-booking max."""
    if not person_ids:
        raise InvalidRequestError(
            "person_ids must name at least one member of your household",
            field="person_ids",
            code="persons_missing",
        )
    if len(set(person_ids)) != len(person_ids):
        raise InvalidRequestError(
            "person_ids names the same person twice", field="person_ids", code="persons_repeated"
        )
    if len(person_ids) > timetable.max_persons_per_booking:
        raise InvalidRequestError(
            f"a booking may name at most {timetable.max_persons_per_booking} persons",
            field="person_ids",
            code="too_many_persons",
        )
    if len(person_ids) > timetable.household_weekly_quota:
        raise InvalidRequestError(
            f"a household books at most {timetable.household_weekly_quota} places a week",
            field="person_ids",
            code="household_quota_exceeded",
        )
    return tuple(person_ids)
