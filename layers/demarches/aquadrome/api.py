"""Request and response models of the aquadrome HTTP API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .domain import Booking, SlotAvailability
from .timetable import WEEKDAYS, Timetable, Weekday
from .usecases import SlotOccupancy


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BookingCreate(_Model):
    slot_id: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$",
        description="Session id, YYYY-MM-DDTHH:MM (Europe/Paris).",
        examples=["2026-12-09T14:00"],
    )
    person_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        min_length=1,
        max_length=20,
        description="Members of the caller's household who will swim.",
    )


class SlotOut(_Model):
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

    @classmethod
    def of(cls, slot: SlotAvailability) -> SlotOut:
        return cls(**slot.__dict__)


class SlotList(_Model):
    day: date
    slots: list[SlotOut]


class BookingOut(_Model):
    booking_id: str
    slot_id: str
    person_ids: list[str]
    status: str
    created_at: datetime
    starts_at: datetime
    ends_at: datetime
    cancel_until: datetime
    checked_in_at: datetime | None = None

    @classmethod
    def of(cls, booking: Booking) -> BookingOut:
        return cls(
            booking_id=booking.booking_id,
            slot_id=booking.slot_id,
            person_ids=list(booking.person_ids),
            status=booking.status.value,
            created_at=booking.created_at,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            cancel_until=booking.cancel_until,
            checked_in_at=booking.checked_in_at,
        )


class BookingList(_Model):
    bookings: list[BookingOut]


class TicketOut(_Model):
    booking_id: str
    reference: str = Field(description="Signed reference carried by the QR code.")
    qr_png: str = Field(description="The QR code as a PNG image in a data: URI.")


class CheckInRequest(_Model):
    ticket: str = Field(min_length=1, max_length=200, description="Reference read from the QR.")


class CheckInOut(_Model):
    booking_id: str
    slot_id: str
    persons: int
    checked_in_at: datetime


class OccupancyRow(_Model):
    slot_id: str
    start: str
    end: str
    capacity: int
    booked: int
    places_left: int
    checked_in: int
    no_shows: int

    @classmethod
    def of(cls, row: SlotOccupancy) -> OccupancyRow:
        return cls(
            slot_id=row.slot.slot_id,
            start=row.slot.start,
            end=row.slot.end,
            capacity=row.slot.capacity,
            booked=row.booked,
            places_left=row.slot.places_left,
            checked_in=row.checked_in,
            no_shows=row.no_shows,
        )


class Occupancy(_Model):
    day: date
    slots: list[OccupancyRow]


class SessionHoursOut(_Model):
    start: str = Field(description="Europe/Paris wall-clock time, HH:MM.")
    end: str


class WeekdayHoursOut(_Model):
    weekday: Weekday
    sessions: list[SessionHoursOut]


class ClosureOut(_Model):
    start: date
    end: date = Field(description="Last closed day, inclusive.")
    reason: str


class BookingOpeningOut(_Model):
    weekday: Weekday
    time: str = Field(description="Europe/Paris wall-clock time, HH:MM.")
    weeks_before: int = Field(
        description="The sessions of a week open on that weekday and time, this many weeks "
        "before the week."
    )


class TimetableOut(_Model):
    """The facility's published timetable, for a visitor choosing a day."""

    facility: str
    capacity: int = Field(description="Places per session.")
    weekly: list[WeekdayHoursOut] = Field(description="Sessions of each weekday, Monday first.")
    closures: list[ClosureOut] = Field(
        description="Configured closures, then public holidays within the horizon when "
        "closed_on_public_holidays is true."
    )
    closed_on_public_holidays: bool
    horizon_days: int = Field(description="Sessions are published this many days ahead.")
    booking_opens: BookingOpeningOut
    booking_closes_minutes_before: int
    cancellation_minutes_before: int = Field(
        description="A booking can be cancelled until this many minutes before its session."
    )
    max_persons_per_booking: int
    household_weekly_quota: int

    @classmethod
    def of(
        cls, timetable: Timetable, today: date, public_holidays: dict[date, str]
    ) -> TimetableOut:
        """Build the timetable; ``public_holidays`` maps days to French names."""
        closures = [
            ClosureOut(start=c.start, end=c.end, reason=c.reason) for c in timetable.closures
        ]
        if timetable.closed_on_public_holidays:
            last = today + timedelta(days=timetable.horizon_days)
            closures.extend(
                ClosureOut(start=day, end=day, reason=f"Jour férié : {name}")
                for day, name in sorted(public_holidays.items())
                if today <= day <= last
            )
        weekly = [
            WeekdayHoursOut(
                weekday=weekday,
                sessions=[
                    SessionHoursOut(start=start.strftime("%H:%M"), end=end.strftime("%H:%M"))
                    for start, end in timetable.weekly.get(weekday, [])
                ],
            )
            for weekday in WEEKDAYS
        ]
        opening = timetable.booking_opens
        return cls(
            facility=timetable.facility,
            capacity=timetable.capacity,
            weekly=weekly,
            closures=closures,
            closed_on_public_holidays=timetable.closed_on_public_holidays,
            horizon_days=timetable.horizon_days,
            booking_opens=BookingOpeningOut(
                weekday=opening.weekday,
                time=opening.time.strftime("%H:%M"),
                weeks_before=opening.weeks_before,
            ),
            booking_closes_minutes_before=timetable.booking_closes_minutes_before,
            cancellation_minutes_before=timetable.cancellation_minutes_before,
            max_persons_per_booking=timetable.max_persons_per_booking,
            household_weekly_quota=timetable.household_weekly_quota,
        )
