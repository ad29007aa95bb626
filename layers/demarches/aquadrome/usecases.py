"""Aquadrome use cases: generate sessions, book, cancel, check in, record no-shows."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from demarches.clock import Clock, to_paris
from demarches.errors import ForbiddenError

from .domain import (
    Booking,
    BookingStatus,
    SlotAvailability,
    check_persons,
    generate_slots,
    parse_slot_id,
    session_times,
)
from .errors import (
    BookingNotFoundError,
    SlotNotFoundError,
    TicketCancelledError,
    TicketSessionEndedError,
    TicketTooEarlyError,
    TicketWrongDayError,
)
from .ports import BookingRequest, BookingStore
from .tickets import sign_ticket, verify_ticket
from .timetable import Timetable

HolidayCalendar = Callable[[Iterable[int]], Iterable[date]]


@dataclass(frozen=True)
class SlotOccupancy:
    slot: SlotAvailability
    booked: int
    checked_in: int
    no_shows: int


class AquadromeService:
    def __init__(
        self,
        store: BookingStore,
        timetable: Timetable,
        clock: Clock,
        ticket_secret: bytes,
        public_holidays: HolidayCalendar,
    ) -> None:
        self._store = store
        self._timetable = timetable
        self._clock = clock
        self._ticket_secret = ticket_secret
        self._public_holidays = public_holidays

    @property
    def timetable(self) -> Timetable:
        return self._timetable

    def generate_slots(self, days: int | None = None) -> int:
        """Store the sessions of the coming days (timetable horizon by default); idempotent."""
        first_day = to_paris(self._clock.now()).date()
        count = days or self._timetable.horizon_days
        years = {first_day.year, (first_day + timedelta(days=count)).year}
        holidays = self._public_holidays(years)
        slots = list(generate_slots(self._timetable, first_day, count, holidays))
        return self._store.add_slots(slots)

    def list_slots(self, day: date) -> list[SlotAvailability]:
        return self._store.list_slots(day)

    def book(
        self,
        household_id: str,
        slot_id: str,
        person_ids: list[str],
        idempotency_key: str | None,
    ) -> tuple[Booking, bool]:
        """Book a session for members of the caller's household in one conditional write.

        A retried request with the same ``idempotency_key`` returns the booking it created.
        """
        day, start = parse_slot_id(slot_id)
        persons = check_persons(person_ids, self._timetable)
        times = session_times(self._timetable, day, start)
        if times is None:
            raise SlotNotFoundError(f"no session starts at {slot_id}", field="slot_id")

        request_hash = hashlib.sha256(f"{slot_id}|{','.join(sorted(persons))}".encode()).hexdigest()
        if idempotency_key:
            key = f"{household_id}|{idempotency_key}".encode()
            booking_id = hashlib.sha256(key).hexdigest()[:26]
        else:
            booking_id = uuid.uuid4().hex[:26]
        request = BookingRequest(
            booking_id=booking_id,
            household_id=household_id,
            slot_day=day,
            slot_start=start,
            person_ids=persons,
            starts_at=times[0],
            ends_at=times[1],
            cancel_until=times[2],
            request_hash=request_hash,
            weekly_quota=self._timetable.household_weekly_quota,
            now=self._clock.now(),
        )
        return self._store.book(request)

    def get_booking(self, household_id: str, booking_id: str) -> Booking:
        booking = self._store.get_booking(booking_id)
        # Another household's booking gets the same error as a missing one, so ids cannot be probed.
        if booking is None or booking.household_id != household_id:
            raise BookingNotFoundError(f"no booking {booking_id} in your household")
        return booking

    def list_bookings(self, household_id: str) -> list[Booking]:
        since = self._clock.now() - timedelta(days=31)
        return self._store.list_household_bookings(household_id, since)

    def cancel(self, household_id: str, booking_id: str) -> Booking:
        """Cancel a booking until the cancellation deadline; its places free at once."""
        booking = self.get_booking(household_id, booking_id)
        return self._store.cancel(booking, self._clock.now())

    def ticket_reference(self, household_id: str, booking_id: str) -> str:
        booking = self.get_booking(household_id, booking_id)
        if booking.status == BookingStatus.CANCELLED:
            raise TicketCancelledError("this booking was cancelled", field="booking_id")
        return sign_ticket(self._ticket_secret, booking.booking_id)

    def check_in(self, reference: str) -> Booking:
        """Admit the holder of a genuine ticket once, from shortly before its session to its end.

        The entrance opens ``check_in_opens_minutes_before`` the session (30 minutes by
        default), so a morning ticket cannot admit anyone to an afternoon session.
        """
        booking_id = verify_ticket(self._ticket_secret, reference)
        booking = self._store.get_booking(booking_id)
        if booking is None:
            raise BookingNotFoundError("the ticket names no known booking", field="ticket")

        now = self._clock.now()
        if booking.status == BookingStatus.CANCELLED:
            raise TicketCancelledError("the booking of this ticket was cancelled", field="ticket")
        session_day = to_paris(booking.starts_at).date()
        if session_day != to_paris(now).date():
            raise TicketWrongDayError(
                f"this ticket is for {session_day.isoformat()}",
                field="ticket",
                details={"day": session_day.isoformat()},
            )
        opens = booking.starts_at - timedelta(minutes=self._timetable.check_in_opens_minutes_before)
        if now < opens:
            raise TicketTooEarlyError(
                f"entrance for this ticket opens at {to_paris(opens):%H:%M}",
                field="ticket",
                details={"opens_at": to_paris(opens).isoformat()},
            )
        if now >= booking.ends_at:
            raise TicketSessionEndedError(
                f"the session of this ticket ended at {to_paris(booking.ends_at):%H:%M}",
                field="ticket",
            )
        return self._store.check_in(booking, now)

    def record_no_shows(self, days_back: int = 1) -> int:
        """Mark bookings of ended sessions without a check-in as no-shows, each once."""
        now = self._clock.now()
        today = to_paris(now).date()
        marked = 0
        for offset in range(days_back + 1):
            for booking in self._store.list_day_bookings(today - timedelta(days=offset)):
                if booking.status != BookingStatus.CONFIRMED:
                    continue
                if booking.ends_at > now:
                    continue
                marked += self._store.mark_no_show(booking, now)
        return marked

    def occupancy(self, day: date) -> list[SlotOccupancy]:
        bookings = self._store.list_day_bookings(day)
        result = []
        for slot in self._store.list_slots(day):
            of_slot = [b for b in bookings if b.slot_id == slot.slot_id]
            result.append(
                SlotOccupancy(
                    slot=slot,
                    booked=slot.capacity - slot.places_left,
                    checked_in=sum(b.places for b in of_slot if b.status == "checked_in"),
                    no_shows=sum(b.places for b in of_slot if b.status == "no_show"),
                )
            )
        return result


def require_role(roles: Iterable[str], role: str) -> None:
    if role not in roles:
        raise ForbiddenError(f"this action needs the {role} role", code="role_required")
