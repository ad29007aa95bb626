"""Aquadrome routes and scheduled jobs: sessions, bookings, tickets, check-in, occupancy."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalice import Blueprint

from demarches.errors import InvalidRequestError

from .http import Call, Param, endpoint, logger

aquadrome = Blueprint(__name__)

TAG = "aquadrome"
AGENT_ROLE = "aquadrome_agent"
_DAY = Param("day", "query", "Day in Europe/Paris, YYYY-MM-DD.", required=True)
_BOOKING_ID = Param("booking_id", "path", "Booking id.", required=True)
_IDEMPOTENCY = Param(
    "Idempotency-Key",
    "header",
    "Any unique string; a retried request with the same key returns the same booking.",
)


def _service() -> Any:
    from demarches.bootstrap import aquadrome_service

    return aquadrome_service()


def _day(call: Call) -> date:
    text = call.query.get("day", "")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidRequestError(
            f"day {text[:40]!r} must be a date YYYY-MM-DD", field="day", code="day_invalid"
        ) from exc


@endpoint(
    aquadrome,
    "/aquadrome/slots",
    "GET",
    summary="List the sessions of a day with their places left",
    tag=TAG,
    response="demarches.aquadrome.api:SlotList",
    auth=False,
    params=(_DAY,),
    errors=(422,),
)
def list_slots(call: Call) -> Any:
    from demarches.aquadrome.api import SlotList, SlotOut

    day = _day(call)
    return SlotList(day=day, slots=[SlotOut.of(s) for s in _service().list_slots(day)])


@endpoint(
    aquadrome,
    "/aquadrome/timetable",
    "GET",
    summary="Read the timetable: weekly hours, closures, horizon and booking rules",
    tag=TAG,
    response="demarches.aquadrome.api:TimetableOut",
    auth=False,
)
def get_timetable(call: Call) -> Any:
    import holidays

    from demarches.aquadrome.api import TimetableOut
    from demarches.bootstrap import clock
    from demarches.clock import to_paris

    timetable = _service().timetable
    today = to_paris(clock().now()).date()
    years = [today.year, today.year + 1]
    names = holidays.country_holidays("FR", years=years, language="fr")
    return TimetableOut.of(timetable, today, dict(names.items()))


@endpoint(
    aquadrome,
    "/aquadrome/bookings",
    "POST",
    summary="Book a session for members of your household",
    tag=TAG,
    request="demarches.aquadrome.api:BookingCreate",
    response="demarches.aquadrome.api:BookingOut",
    status=201,
    params=(_IDEMPOTENCY,),
    errors=(400, 401, 403, 404, 409, 410, 422),
)
def create_booking(call: Call) -> Any:
    from chalice import Response

    from demarches.aquadrome.api import BookingOut

    household_id = call.identity.require_household()
    key = call.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key.strip()) <= 128:
        raise InvalidRequestError(
            "Idempotency-Key must be 1 to 128 characters", field="Idempotency-Key"
        )
    booking, created = _service().book(household_id, call.body.slot_id, call.body.person_ids, key)
    if created:
        logger.info("booking confirmed", extra={"booking_id": booking.booking_id, "demarche": TAG})
    body = BookingOut.of(booking).model_dump(mode="json")
    return Response(
        body=body,
        status_code=201 if created else 200,
        headers={
            "Content-Type": "application/json",
            "Location": f"/aquadrome/bookings/{booking.booking_id}",
        },
    )


@endpoint(
    aquadrome,
    "/aquadrome/bookings",
    "GET",
    summary="List your household's bookings of the last month and to come",
    tag=TAG,
    response="demarches.aquadrome.api:BookingList",
    errors=(401, 403),
)
def list_bookings(call: Call) -> Any:
    from demarches.aquadrome.api import BookingList, BookingOut

    bookings = _service().list_bookings(call.identity.require_household())
    return BookingList(bookings=[BookingOut.of(b) for b in bookings])


@endpoint(
    aquadrome,
    "/aquadrome/bookings/{booking_id}",
    "GET",
    summary="Read one of your household's bookings",
    tag=TAG,
    response="demarches.aquadrome.api:BookingOut",
    params=(_BOOKING_ID,),
    errors=(401, 403, 404),
)
def get_booking(call: Call) -> Any:
    from demarches.aquadrome.api import BookingOut

    household_id = call.identity.require_household()
    return BookingOut.of(_service().get_booking(household_id, call.path["booking_id"]))


@endpoint(
    aquadrome,
    "/aquadrome/bookings/{booking_id}",
    "DELETE",
    summary="Cancel a booking before the cancellation deadline",
    tag=TAG,
    response="demarches.aquadrome.api:BookingOut",
    params=(_BOOKING_ID,),
    errors=(401, 403, 404, 409, 410),
)
def cancel_booking(call: Call) -> Any:
    from demarches.aquadrome.api import BookingOut

    booking = _service().cancel(call.identity.require_household(), call.path["booking_id"])
    logger.info("booking cancelled", extra={"booking_id": booking.booking_id, "demarche": TAG})
    return BookingOut.of(booking)


@endpoint(
    aquadrome,
    "/aquadrome/bookings/{booking_id}/ticket",
    "GET",
    summary="Get the ticket of a booking: its signed reference and QR code",
    tag=TAG,
    response="demarches.aquadrome.api:TicketOut",
    params=(_BOOKING_ID,),
    errors=(401, 403, 404, 409),
)
def get_ticket(call: Call) -> Any:
    from demarches.aquadrome.api import TicketOut
    from demarches.aquadrome.tickets import ticket_png_data_uri

    booking_id = call.path["booking_id"]
    reference = _service().ticket_reference(call.identity.require_household(), booking_id)
    return TicketOut(
        booking_id=booking_id, reference=reference, qr_png=ticket_png_data_uri(reference)
    )


@endpoint(
    aquadrome,
    "/aquadrome/check-in",
    "POST",
    summary="Admit a ticket holder at the entrance (aquadrome agents)",
    tag=TAG,
    request="demarches.aquadrome.api:CheckInRequest",
    response="demarches.aquadrome.api:CheckInOut",
    errors=(401, 403, 404, 409, 422),
)
def check_in(call: Call) -> Any:
    from demarches.aquadrome.api import CheckInOut

    call.identity.require_role(AGENT_ROLE)
    booking = _service().check_in(call.body.ticket)
    logger.info("ticket checked in", extra={"booking_id": booking.booking_id, "demarche": TAG})
    return CheckInOut(
        booking_id=booking.booking_id,
        slot_id=booking.slot_id,
        persons=booking.places,
        checked_in_at=booking.checked_in_at,
    )


@endpoint(
    aquadrome,
    "/aquadrome/occupancy",
    "GET",
    summary="Occupancy of each session of a day (aquadrome agents)",
    tag=TAG,
    response="demarches.aquadrome.api:Occupancy",
    params=(_DAY,),
    errors=(401, 403, 422),
)
def occupancy(call: Call) -> Any:
    from demarches.aquadrome.api import Occupancy, OccupancyRow

    call.identity.require_role(AGENT_ROLE)
    day = _day(call)
    return Occupancy(day=day, slots=[OccupancyRow.of(r) for r in _service().occupancy(day)])


@aquadrome.schedule("cron(15 2 * * ? *)", name="aquadrome_generate_slots")
def generate_slots(event: Any) -> dict[str, int]:
    """Create the sessions of the timetable horizon; sessions already stored are kept."""
    added = _service().generate_slots()
    logger.info("slots generated", extra={"added": added, "demarche": TAG})
    return {"added": added}


@aquadrome.schedule("rate(30 minutes)", name="aquadrome_record_no_shows")
def record_no_shows(event: Any) -> dict[str, int]:
    """Mark bookings of ended sessions without a check-in as no-shows."""
    marked = _service().record_no_shows()
    logger.info("no-shows recorded", extra={"marked": marked, "demarche": TAG})
    return {"marked": marked}
