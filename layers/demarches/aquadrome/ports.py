"""Ports of the aquadrome use cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from .domain import Booking, Slot, SlotAvailability


@dataclass(frozen=True)
class BookingRequest:
    booking_id: str
    household_id: str
    slot_day: date
    slot_start: str
    person_ids: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    cancel_until: datetime
    request_hash: str
    weekly_quota: int
    now: datetime


class BookingStore(Protocol):
    """Storage of slots and bookings that enforces capacity and quotas atomically."""

    def add_slots(self, slots: Sequence[Slot]) -> int:
        """Store slots not stored yet and return how many were added; existing ones stay."""
        ...

    def list_slots(self, day: date) -> list[SlotAvailability]: ...

    def book(self, request: BookingRequest) -> tuple[Booking, bool]:
        """Book in one atomic write, checking places, quota, membership, uniqueness, deadline.

        Return the booking and whether it was created now (False for an idempotent replay of
        the same request). Raise the aquadrome error naming the first failed condition.
        """
        ...

    def get_booking(self, booking_id: str) -> Booking | None: ...

    def list_household_bookings(self, household_id: str, since: datetime) -> list[Booking]: ...

    def list_day_bookings(self, day: date) -> list[Booking]: ...

    def cancel(self, booking: Booking, now: datetime) -> Booking:
        """Cancel a confirmed booking and free its places, if its slot's deadline allows."""
        ...

    def check_in(self, booking: Booking, now: datetime) -> Booking:
        """Mark a confirmed booking as checked in; raise if it was already used or cancelled."""
        ...

    def mark_no_show(self, booking: Booking, now: datetime) -> bool:
        """Mark a booking still confirmed after its session as a no-show; False if it changed."""
        ...
