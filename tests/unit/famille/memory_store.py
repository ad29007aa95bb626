"""In-memory ``ReservationStore`` for the periscolaire unit tests."""

from __future__ import annotations

import threading
from datetime import date, datetime

from demarches.famille.reservations import (
    BookingOutcome,
    CancellationOutcome,
    ReservationItem,
)


class InMemoryReservationStore:
    """``ReservationStore`` in memory; one lock plays the part of the conditional write."""

    def __init__(self) -> None:
        self.booked: dict[ReservationItem, str] = {}
        self.counters: dict[tuple[str, date, str], int] = {}
        self.cancelled_at: dict[ReservationItem, datetime] = {}
        self._lock = threading.Lock()

    def book(
        self, item: ReservationItem, *, school_id: str, capacity: int, booked_at: datetime
    ) -> BookingOutcome:
        key = (school_id, item.day, item.activity)
        with self._lock:
            if item in self.booked:
                return BookingOutcome.ALREADY_BOOKED
            if self.counters.get(key, 0) >= capacity:
                return BookingOutcome.FULL
            self.counters[key] = self.counters.get(key, 0) + 1
            self.booked[item] = school_id
            return BookingOutcome.BOOKED

    def cancel(self, item: ReservationItem, *, cancelled_at: datetime) -> CancellationOutcome:
        with self._lock:
            school_id = self.booked.pop(item, None)
            if school_id is None:
                return CancellationOutcome.NOT_BOOKED
            self.counters[(school_id, item.day, item.activity)] -= 1
            self.cancelled_at[item] = cancelled_at
            return CancellationOutcome.CANCELLED
