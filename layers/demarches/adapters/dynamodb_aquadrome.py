"""DynamoDB adapter of the aquadrome ``BookingStore``.

Tables (see ``infra/resources.py``):
- slots: ``day`` + ``sk``. ``SLOT#HH:MM`` items carry ``places_left``; ``HOLD#HH:MM#person``
  items make one person's place in a session unique.
- bookings: ``booking_id``, with indexes ``by_household`` and ``by_day``.
- quotas: ``household_id`` + ``week`` (ISO week) with the places ``used`` that week.
- households: ``household_id`` + ``PERSON#id`` items prove membership.

Booking is one ``TransactWriteItems`` request and no read: the transaction's conditions carry
every rule, and the cancellation reasons, in item order, say which rule refused it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from demarches.aquadrome.domain import (
    Booking,
    BookingStatus,
    Slot,
    SlotAvailability,
    parse_slot_id,
    slot_id_of,
    week_key,
)
from demarches.aquadrome.errors import (
    BookingAlreadyCancelledError,
    BookingClosedError,
    BookingNotCancellableError,
    BookingNotOpenError,
    CancellationClosedError,
    HouseholdQuotaExceededError,
    IdempotencyKeyReusedError,
    PersonAlreadyBookedError,
    PersonNotInHouseholdError,
    SlotFullError,
    SlotNotFoundError,
    TicketAlreadyUsedError,
    TicketCancelledError,
)
from demarches.aquadrome.ports import BookingRequest
from demarches.clock import iso_utc, parse_iso_utc
from demarches.errors import UnavailableError

Item = dict[str, Any]

# Quota items outlive their week by this much, then DynamoDB's TTL deletes them.
_QUOTA_RETENTION = timedelta(days=21)


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _reasons(exc: ClientError) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = exc.response.get("CancellationReasons", [])  # type: ignore[assignment]
    return reasons


def _failed(reason: dict[str, Any]) -> bool:
    return reason.get("Code") == "ConditionalCheckFailed"


class DynamoDBBookingStore:
    def __init__(
        self,
        client: Any,
        *,
        slots_table: str,
        bookings_table: str,
        quotas_table: str,
        households_table: str,
    ) -> None:
        self._db = client
        self._slots = slots_table
        self._bookings = bookings_table
        self._quotas = quotas_table
        self._households = households_table

    # Slots

    def add_slots(self, slots: Sequence[Slot]) -> int:
        added = 0
        for slot in slots:
            try:
                self._db.put_item(
                    TableName=self._slots,
                    Item=self._slot_item(slot),
                    ConditionExpression="attribute_not_exists(sk)",
                )
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise UnavailableError("the slot table cannot be written") from exc
                continue
            added += 1
        return added

    @staticmethod
    def _slot_item(slot: Slot) -> Item:
        return {
            "day": _s(slot.day.isoformat()),
            "sk": _s(f"SLOT#{slot.start}"),
            "slot_id": _s(slot.slot_id),
            "start": _s(slot.start),
            "end": _s(slot.end),
            "starts_at": _s(iso_utc(slot.starts_at)),
            "ends_at": _s(iso_utc(slot.ends_at)),
            "capacity": _n(slot.capacity),
            "places_left": _n(slot.capacity),
            "opens_at": _s(iso_utc(slot.opens_at)),
            "closes_at": _s(iso_utc(slot.closes_at)),
            "cancel_until": _s(iso_utc(slot.cancel_until)),
        }

    def list_slots(self, day: date) -> list[SlotAvailability]:
        response = self._db.query(
            TableName=self._slots,
            KeyConditionExpression="#day = :day AND begins_with(sk, :prefix)",
            ExpressionAttributeNames={"#day": "day"},
            ExpressionAttributeValues={":day": _s(day.isoformat()), ":prefix": _s("SLOT#")},
        )
        return [self._availability(item) for item in response["Items"]]

    @staticmethod
    def _availability(item: Item) -> SlotAvailability:
        return SlotAvailability(
            slot_id=item["slot_id"]["S"],
            day=date.fromisoformat(item["day"]["S"]),
            start=item["start"]["S"],
            end=item["end"]["S"],
            starts_at=parse_iso_utc(item["starts_at"]["S"]),
            capacity=int(item["capacity"]["N"]),
            places_left=int(item["places_left"]["N"]),
            opens_at=parse_iso_utc(item["opens_at"]["S"]),
            closes_at=parse_iso_utc(item["closes_at"]["S"]),
            cancel_until=parse_iso_utc(item["cancel_until"]["S"]),
        )

    # Booking

    def book(self, request: BookingRequest) -> tuple[Booking, bool]:
        booking, items = self.booking_transaction(request)
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise UnavailableError("the booking could not be stored; try again") from exc
            return self._explain_refusal(_reasons(exc), request), False
        return booking, True

    def booking_transaction(self, request: BookingRequest) -> tuple[Booking, list[Item]]:
        """Build the booking and the one transaction that stores it if every rule holds.

        Items, in the order the cancellation reasons follow: the slot (places left, booking
        open), the household's weekly quota, one membership check per person, one hold per
        person (one place per person and session), then the booking itself (idempotency).
        """
        now = iso_utc(request.now)
        places = len(request.person_ids)
        day = request.slot_day.isoformat()
        booking = Booking(
            booking_id=request.booking_id,
            household_id=request.household_id,
            slot_id=slot_id_of(request.slot_day, request.slot_start),
            person_ids=request.person_ids,
            status=BookingStatus.CONFIRMED,
            created_at=request.now.replace(microsecond=0),
            starts_at=request.starts_at,
            ends_at=request.ends_at,
            cancel_until=request.cancel_until,
        )
        items: list[Item] = [
            {
                "Update": {
                    "TableName": self._slots,
                    "Key": {"day": _s(day), "sk": _s(f"SLOT#{request.slot_start}")},
                    "UpdateExpression": "SET places_left = places_left - :n",
                    "ConditionExpression": (
                        "places_left >= :n AND opens_at <= :now AND closes_at > :now"
                    ),
                    "ExpressionAttributeValues": {":n": _n(places), ":now": _s(now)},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            {
                "Update": {
                    "TableName": self._quotas,
                    "Key": {
                        "household_id": _s(request.household_id),
                        "week": _s(week_key(request.slot_day)),
                    },
                    "UpdateExpression": (
                        "SET used = if_not_exists(used, :zero) + :n, expires_at = :ttl"
                    ),
                    "ConditionExpression": "attribute_not_exists(used) OR used <= :max_before",
                    "ExpressionAttributeValues": {
                        ":n": _n(places),
                        ":zero": _n(0),
                        ":max_before": _n(request.weekly_quota - places),
                        ":ttl": _n(int((request.ends_at + _QUOTA_RETENTION).timestamp())),
                    },
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
        items.extend(
            {
                "ConditionCheck": {
                    "TableName": self._households,
                    "Key": {
                        "household_id": _s(request.household_id),
                        "sk": _s(f"PERSON#{person_id}"),
                    },
                    "ConditionExpression": "attribute_exists(sk)",
                }
            }
            for person_id in request.person_ids
        )
        items.extend(
            {
                "Put": {
                    "TableName": self._slots,
                    "Item": {
                        "day": _s(day),
                        "sk": _s(f"HOLD#{request.slot_start}#{person_id}"),
                        "booking_id": _s(request.booking_id),
                    },
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            }
            for person_id in request.person_ids
        )
        items.append(
            {
                "Put": {
                    "TableName": self._bookings,
                    "Item": self._booking_item(booking, day, request.request_hash),
                    "ConditionExpression": "attribute_not_exists(booking_id)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            }
        )
        return booking, items

    def _explain_refusal(self, reasons: list[dict[str, Any]], request: BookingRequest) -> Booking:
        """Return the stored booking of a replayed request, or raise the first failed rule."""
        persons = len(request.person_ids)
        if not reasons:
            raise UnavailableError("the booking was not stored; try again")
        stored = reasons[-1]
        if _failed(stored) and "Item" in stored:
            if stored["Item"].get("request_hash", {}).get("S") != request.request_hash:
                raise IdempotencyKeyReusedError(
                    "this Idempotency-Key was used for another booking request",
                    field="Idempotency-Key",
                )
            return self._booking_from_item(stored["Item"])

        slot_reason, quota_reason = reasons[0], reasons[1]
        checks = reasons[2 : 2 + persons]
        holds = reasons[2 + persons : 2 + 2 * persons]
        if _failed(slot_reason):
            self._raise_slot_refusal(slot_reason.get("Item"), request)
        for index, reason in enumerate(checks):
            if _failed(reason):
                raise PersonNotInHouseholdError(
                    f"person {request.person_ids[index]} is not a member of your household",
                    field=f"person_ids[{index}]",
                )
        for index, reason in enumerate(holds):
            if _failed(reason):
                raise PersonAlreadyBookedError(
                    f"person {request.person_ids[index]} already has a place in this session",
                    field=f"person_ids[{index}]",
                )
        if _failed(quota_reason):
            used = int(quota_reason.get("Item", {}).get("used", {}).get("N", "0"))
            raise HouseholdQuotaExceededError(
                f"your household has booked {used} of its {request.weekly_quota} places this "
                f"week; {persons} more would exceed the quota",
                field="person_ids",
                details={"used": used, "quota": request.weekly_quota},
            )
        raise UnavailableError("the booking failed on a concurrent change; try again")

    @staticmethod
    def _raise_slot_refusal(item: Item | None, request: BookingRequest) -> None:
        slot_id = slot_id_of(request.slot_day, request.slot_start)
        if item is None:
            raise SlotNotFoundError(f"no session {slot_id} is open for booking", field="slot_id")
        now = iso_utc(request.now)
        if item["opens_at"]["S"] > now:
            raise BookingNotOpenError(
                f"booking for {slot_id} opens at {item['opens_at']['S']}",
                field="slot_id",
                details={"opens_at": item["opens_at"]["S"]},
            )
        if item["closes_at"]["S"] <= now:
            raise BookingClosedError(f"booking for {slot_id} has closed", field="slot_id")
        left = int(item["places_left"]["N"])
        raise SlotFullError(
            f"session {slot_id} has {left} places left, {len(request.person_ids)} requested",
            field="slot_id",
            details={"places_left": left},
        )

    @staticmethod
    def _booking_item(booking: Booking, day: str, request_hash: str) -> Item:
        item: Item = {
            "booking_id": _s(booking.booking_id),
            "household_id": _s(booking.household_id),
            "slot_id": _s(booking.slot_id),
            "day": _s(day),
            "person_ids": {"L": [_s(p) for p in booking.person_ids]},
            "status": _s(booking.status.value),
            "created_at": _s(iso_utc(booking.created_at)),
            "starts_at": _s(iso_utc(booking.starts_at)),
            "ends_at": _s(iso_utc(booking.ends_at)),
            "cancel_until": _s(iso_utc(booking.cancel_until)),
            "request_hash": _s(request_hash),
        }
        return item

    @staticmethod
    def _booking_from_item(item: Item) -> Booking:
        checked_in = item.get("checked_in_at", {}).get("S")
        return Booking(
            booking_id=item["booking_id"]["S"],
            household_id=item["household_id"]["S"],
            slot_id=item["slot_id"]["S"],
            person_ids=tuple(p["S"] for p in item["person_ids"]["L"]),
            status=BookingStatus(item["status"]["S"]),
            created_at=parse_iso_utc(item["created_at"]["S"]),
            starts_at=parse_iso_utc(item["starts_at"]["S"]),
            ends_at=parse_iso_utc(item["ends_at"]["S"]),
            cancel_until=parse_iso_utc(item["cancel_until"]["S"]),
            checked_in_at=parse_iso_utc(checked_in) if checked_in else None,
        )

    def get_booking(self, booking_id: str) -> Booking | None:
        response = self._db.get_item(
            TableName=self._bookings, Key={"booking_id": _s(booking_id)}, ConsistentRead=True
        )
        item = response.get("Item")
        return self._booking_from_item(item) if item else None

    def list_household_bookings(self, household_id: str, since: datetime) -> list[Booking]:
        return self._query_bookings(
            IndexName="by_household",
            KeyConditionExpression="household_id = :h AND starts_at >= :since",
            ExpressionAttributeValues={":h": _s(household_id), ":since": _s(iso_utc(since))},
        )

    def list_day_bookings(self, day: date) -> list[Booking]:
        return self._query_bookings(
            IndexName="by_day",
            KeyConditionExpression="#day = :day",
            ExpressionAttributeNames={"#day": "day"},
            ExpressionAttributeValues={":day": _s(day.isoformat())},
        )

    def _query_bookings(self, **query: Any) -> list[Booking]:
        paginator = self._db.get_paginator("query")
        bookings: list[Booking] = []
        for page in paginator.paginate(TableName=self._bookings, **query):
            bookings.extend(self._booking_from_item(item) for item in page["Items"])
        return sorted(bookings, key=lambda b: (b.starts_at, b.booking_id))

    # Cancellation, check-in, no-shows

    def cancel(self, booking: Booking, now: datetime) -> Booking:
        day, start = parse_slot_id(booking.slot_id)
        places = booking.places
        items: list[Item] = [
            {
                "Update": {
                    "TableName": self._bookings,
                    "Key": {"booking_id": _s(booking.booking_id)},
                    "UpdateExpression": "SET #status = :cancelled, cancelled_at = :now",
                    "ConditionExpression": "#status = :confirmed",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {
                        ":cancelled": _s(BookingStatus.CANCELLED.value),
                        ":confirmed": _s(BookingStatus.CONFIRMED.value),
                        ":now": _s(iso_utc(now)),
                    },
                }
            },
            {
                "Update": {
                    "TableName": self._slots,
                    "Key": {"day": _s(day.isoformat()), "sk": _s(f"SLOT#{start}")},
                    "UpdateExpression": "SET places_left = places_left + :n",
                    "ConditionExpression": "cancel_until > :now",
                    "ExpressionAttributeValues": {":n": _n(places), ":now": _s(iso_utc(now))},
                }
            },
            {
                "Update": {
                    "TableName": self._quotas,
                    "Key": {"household_id": _s(booking.household_id), "week": _s(week_key(day))},
                    "UpdateExpression": "SET used = used - :n",
                    "ConditionExpression": "used >= :n",
                    "ExpressionAttributeValues": {":n": _n(places)},
                }
            },
        ]
        items.extend(
            {
                "Delete": {
                    "TableName": self._slots,
                    "Key": {"day": _s(day.isoformat()), "sk": _s(f"HOLD#{start}#{person_id}")},
                }
            }
            for person_id in booking.person_ids
        )
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise UnavailableError("the cancellation could not be stored; try again") from exc
            reasons = _reasons(exc)
            if reasons and _failed(reasons[0]):
                stored = reasons[0].get("Item")
                current = self._booking_from_item(stored) if stored else booking
                if current.status == BookingStatus.CANCELLED:
                    raise BookingAlreadyCancelledError(
                        f"booking {booking.booking_id} is already cancelled", field="booking_id"
                    ) from exc
                raise BookingNotCancellableError(
                    f"booking {booking.booking_id} is {current.status.value}; only a confirmed "
                    "booking can be cancelled",
                    field="booking_id",
                    details={"status": current.status.value},
                ) from exc
            if len(reasons) > 1 and _failed(reasons[1]):
                raise CancellationClosedError(
                    f"cancellation closed at {iso_utc(booking.cancel_until)}",
                    field="booking_id",
                ) from exc
            raise UnavailableError(
                "the cancellation failed on a concurrent change; try again"
            ) from exc
        return self._with_status(booking, BookingStatus.CANCELLED)

    @staticmethod
    def _with_status(
        booking: Booking, status: BookingStatus, checked_in_at: datetime | None = None
    ) -> Booking:
        return Booking(
            **{
                **booking.__dict__,
                "status": status,
                "checked_in_at": checked_in_at or booking.checked_in_at,
            }
        )

    def check_in(self, booking: Booking, now: datetime) -> Booking:
        try:
            self._db.update_item(
                TableName=self._bookings,
                Key={"booking_id": _s(booking.booking_id)},
                UpdateExpression="SET #status = :checked_in, checked_in_at = :now",
                ConditionExpression="#status = :confirmed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":checked_in": _s(BookingStatus.CHECKED_IN.value),
                    ":confirmed": _s(BookingStatus.CONFIRMED.value),
                    ":now": _s(iso_utc(now)),
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise UnavailableError("the check-in could not be stored; try again") from exc
            failed: dict[str, Any] = dict(exc.response)
            current = self._booking_from_item(failed["Item"])
            if current.status == BookingStatus.CANCELLED:
                raise TicketCancelledError(
                    "the booking of this ticket was cancelled", field="ticket"
                ) from exc
            used_at = iso_utc(current.checked_in_at) if current.checked_in_at else "earlier"
            raise TicketAlreadyUsedError(
                f"this ticket was already used ({used_at})",
                field="ticket",
                details={"status": current.status.value},
            ) from exc
        return self._with_status(booking, BookingStatus.CHECKED_IN, now)

    def mark_no_show(self, booking: Booking, now: datetime) -> bool:
        try:
            self._db.update_item(
                TableName=self._bookings,
                Key={"booking_id": _s(booking.booking_id)},
                UpdateExpression="SET #status = :no_show, no_show_at = :now",
                ConditionExpression="#status = :confirmed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":no_show": _s(BookingStatus.NO_SHOW.value),
                    ":confirmed": _s(BookingStatus.CONFIRMED.value),
                    ":now": _s(iso_utc(now)),
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise UnavailableError("the no-show could not be stored") from exc
            return False
        return True
