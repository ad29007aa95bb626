"""Reasons a booking, a cancellation or a check-in is refused, each with a stable code."""

from __future__ import annotations

from demarches.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidRequestError,
    NotFoundError,
)


class SlotNotFoundError(NotFoundError):
    code = "slot_not_found"


class SlotFullError(ConflictError):
    code = "slot_full"


class BookingNotOpenError(ConflictError):
    code = "booking_not_open"


class BookingClosedError(GoneError):
    code = "booking_closed"


class HouseholdQuotaExceededError(ConflictError):
    code = "household_quota_exceeded"


class PersonNotInHouseholdError(ForbiddenError):
    code = "person_not_in_household"


class PersonAlreadyBookedError(ConflictError):
    code = "person_already_booked"


class IdempotencyKeyReusedError(InvalidRequestError):
    code = "idempotency_key_reused"


class BookingNotFoundError(NotFoundError):
    code = "booking_not_found"


class BookingAlreadyCancelledError(ConflictError):
    code = "booking_already_cancelled"


class CancellationClosedError(GoneError):
    code = "cancellation_closed"


class TicketForgedError(InvalidRequestError):
    code = "ticket_invalid"


class TicketCancelledError(ConflictError):
    code = "ticket_cancelled"


class TicketAlreadyUsedError(ConflictError):
    code = "ticket_already_used"


class TicketWrongDayError(ConflictError):
    code = "ticket_wrong_day"


class TicketTooEarlyError(ConflictError):
    code = "ticket_too_early"


class TicketSessionEndedError(ConflictError):
    code = "ticket_session_ended"


class BookingNotCancellableError(ConflictError):
    code = "booking_not_cancellable"
