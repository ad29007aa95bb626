"""DynamoDB adapter of the periscolaire ``ReservationStore`` and the reservation ledger.

Tables (see ``infra/resources.py``):
- reservations: ``pk`` = ``<household_id>#<YYYY-MM>`` and ``sk`` = ``<day>#<child_id>#<activity>``,
  so one query reads a household's month, which is what an invoice needs. ``status`` is
  ``booked`` or ``cancelled``; ``attended`` and ``excused`` come from the register. While an
  item is booked it carries ``session_key`` = ``<school_id>#<day>#<activity>``, the key of the
  sparse index ``by_session`` (range key ``child_id``) that lists who is expected.
- sessions: ``day`` + ``sk`` = ``<school_id>#<activity>``, a counter ``booked`` and the
  ``capacity`` applied at the last booking.

Booking is one TransactWriteItems: the counter increments only while ``booked < capacity``,
and the reservation is put only if it does not exist or was cancelled. A retried booking
therefore fails on the reservation and leaves the counter unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from botocore.exceptions import ClientError

from demarches.clock import iso_utc
from demarches.errors import UnavailableError
from demarches.famille.ports import ChildDetails, ExpectedChild, SessionCount, StoredReservation
from demarches.famille.reservations import BookingOutcome, CancellationOutcome, ReservationItem
from demarches.famille.school_year import Month

logger = logging.getLogger(__name__)

Item = dict[str, Any]

BOOKED = "booked"
CANCELLED = "cancelled"
# A transaction that meets another one on the same counter is cancelled with
# TransactionConflict on AWS; it is retried this many times in all.
_ATTEMPTS = 3


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def partition_key(household_id: str, month: Month) -> str:
    return f"{household_id}#{month}"


def sort_key(item: ReservationItem) -> str:
    return f"{item.day.isoformat()}#{item.child_id}#{item.activity}"


def session_key(school_id: str, day: date, activity: str) -> str:
    return f"{school_id}#{day.isoformat()}#{activity}"


def _reason_codes(exc: ClientError) -> list[str]:
    return [reason.get("Code", "None") for reason in exc.response.get("CancellationReasons", [])]


class DynamoDBReservationLedger:
    """Reservations of every household, and the counters that enforce capacity."""

    def __init__(self, client: Any, *, reservations_table: str, sessions_table: str) -> None:
        self._db = client
        self.reservations_table = reservations_table
        self.sessions_table = sessions_table

    def store_for(
        self, household_id: str, children: Mapping[str, ChildDetails]
    ) -> DynamoDBReservationStore:
        return DynamoDBReservationStore(self, household_id, children)

    def transact(self, items: list[Item]) -> list[str] | None:
        """Run one transaction; return None on success or the per-item cancellation codes."""
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                self._db.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "TransactionCanceledException":
                    raise UnavailableError(
                        "the reservation could not be stored; try again"
                    ) from exc
                codes = _reason_codes(exc)
                if "TransactionConflict" in codes and attempt < _ATTEMPTS:
                    logger.warning(
                        "reservation transaction conflict, retrying", extra={"attempt": attempt}
                    )
                    continue
                if "ConditionalCheckFailed" not in codes:
                    raise UnavailableError(
                        "the reservation met a concurrent change; try again"
                    ) from exc
                return codes
            return None
        raise AssertionError("the loop returns or raises")

    def household_month(self, household_id: str, month: Month) -> list[StoredReservation]:
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self.reservations_table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(partition_key(household_id, month))},
            ConsistentRead=True,
        )
        return [_stored_reservation(item) for page in pages for item in page["Items"]]

    def expected(self, school_id: str, day: date, activity: str) -> list[ExpectedChild]:
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self.reservations_table,
            IndexName="by_session",
            KeyConditionExpression="session_key = :session",
            ExpressionAttributeValues={":session": _s(session_key(school_id, day, activity))},
        )
        return [
            ExpectedChild(
                household_id=item["household_id"]["S"],
                child_id=item["child_id"]["S"],
                first_name=item["first_name"]["S"],
                last_name=item["last_name"]["S"],
                pai=item["pai"]["BOOL"],
                attended=item["attended"]["BOOL"] if "attended" in item else None,
                excused=item.get("excused", {}).get("BOOL", False),
            )
            for page in pages
            for item in page["Items"]
        ]

    def session_counts(self, day: date) -> list[SessionCount]:
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self.sessions_table,
            KeyConditionExpression="#day = :day",
            ExpressionAttributeNames={"#day": "day"},
            ExpressionAttributeValues={":day": _s(day.isoformat())},
            ConsistentRead=True,
        )
        return [
            SessionCount(
                school_id=item["school_id"]["S"],
                day=day,
                activity=item["activity"]["S"],
                booked=int(item["booked"]["N"]),
                capacity=int(item["capacity"]["N"]),
            )
            for page in pages
            for item in page["Items"]
        ]

    def mark_attendance(
        self, child: ExpectedChild, *, day: date, activity: str, attended: bool, excused: bool
    ) -> None:
        item = ReservationItem(child.child_id, day, activity)
        try:
            self._db.update_item(
                TableName=self.reservations_table,
                Key={
                    "pk": _s(partition_key(child.household_id, Month.containing(day))),
                    "sk": _s(sort_key(item)),
                },
                UpdateExpression="SET attended = :attended, excused = :excused",
                ConditionExpression="attribute_exists(sk)",
                ExpressionAttributeValues={
                    ":attended": {"BOOL": attended},
                    ":excused": {"BOOL": excused},
                },
            )
        except ClientError as exc:
            raise UnavailableError("the attendance could not be stored; try again") from exc


def _stored_reservation(item: Item) -> StoredReservation:
    status = item["status"]["S"]
    return StoredReservation(
        household_id=item["household_id"]["S"],
        child_id=item["child_id"]["S"],
        day=date.fromisoformat(item["day"]["S"]),
        activity=item["activity"]["S"],
        school_id=item["school_id"]["S"],
        booked=status == BOOKED,
        cancelled=status == CANCELLED,
        attended=item["attended"]["BOOL"] if "attended" in item else None,
        excused=item.get("excused", {}).get("BOOL", False),
    )


class DynamoDBReservationStore:
    """``ReservationStore`` of one household, whose children's details come from its
    validated registration."""

    def __init__(
        self,
        ledger: DynamoDBReservationLedger,
        household_id: str,
        children: Mapping[str, ChildDetails],
    ) -> None:
        self._ledger = ledger
        self._household_id = household_id
        self._children = children

    def _key(self, item: ReservationItem) -> Item:
        return {
            "pk": _s(partition_key(self._household_id, Month.containing(item.day))),
            "sk": _s(sort_key(item)),
        }

    def _counter_key(self, school_id: str, item: ReservationItem) -> Item:
        return {"day": _s(item.day.isoformat()), "sk": _s(f"{school_id}#{item.activity}")}

    def booking_transaction(
        self, item: ReservationItem, *, school_id: str, capacity: int, booked_at: datetime
    ) -> list[Item]:
        """Build the two writes of a booking, in the order of the cancellation reasons: the
        session counter (capacity), then the reservation (not booked yet)."""
        child = self._children[item.child_id]
        reservation: Item = {
            **self._key(item),
            "household_id": _s(self._household_id),
            "child_id": _s(item.child_id),
            "day": _s(item.day.isoformat()),
            "activity": _s(item.activity),
            "school_id": _s(school_id),
            "status": _s(BOOKED),
            "booked_at": _s(iso_utc(booked_at)),
            "session_key": _s(session_key(school_id, item.day, item.activity)),
            "first_name": _s(child.first_name),
            "last_name": _s(child.last_name),
            "pai": {"BOOL": child.pai},
        }
        return [
            {
                "Update": {
                    "TableName": self._ledger.sessions_table,
                    "Key": self._counter_key(school_id, item),
                    "UpdateExpression": (
                        "SET booked = if_not_exists(booked, :zero) + :one, #capacity = :capacity, "
                        "school_id = :school, activity = :activity"
                    ),
                    "ConditionExpression": "attribute_not_exists(booked) OR booked < :capacity",
                    "ExpressionAttributeNames": {"#capacity": "capacity"},
                    "ExpressionAttributeValues": {
                        ":zero": _n(0),
                        ":one": _n(1),
                        ":capacity": _n(capacity),
                        ":school": _s(school_id),
                        ":activity": _s(item.activity),
                    },
                }
            },
            {
                "Put": {
                    "TableName": self._ledger.reservations_table,
                    "Item": reservation,
                    "ConditionExpression": "attribute_not_exists(sk) OR #status = :cancelled",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":cancelled": _s(CANCELLED)},
                }
            },
        ]

    def book(
        self, item: ReservationItem, *, school_id: str, capacity: int, booked_at: datetime
    ) -> BookingOutcome:
        if capacity <= 0:
            # A first booking meets no counter, so the condition alone would let it pass.
            return BookingOutcome.FULL
        codes = self._ledger.transact(
            self.booking_transaction(
                item, school_id=school_id, capacity=capacity, booked_at=booked_at
            )
        )
        if codes is None:
            return BookingOutcome.BOOKED
        # Already booked wins over full: a retried request must report what it did before.
        if codes[1] == "ConditionalCheckFailed":
            return BookingOutcome.ALREADY_BOOKED
        return BookingOutcome.FULL

    def cancel(self, item: ReservationItem, *, cancelled_at: datetime) -> CancellationOutcome:
        school_id = self._children[item.child_id].school_id
        codes = self._ledger.transact(
            [
                {
                    "Update": {
                        "TableName": self._ledger.reservations_table,
                        "Key": self._key(item),
                        "UpdateExpression": (
                            "SET #status = :cancelled, cancelled_at = :now REMOVE session_key"
                        ),
                        "ConditionExpression": "#status = :booked",
                        "ExpressionAttributeNames": {"#status": "status"},
                        "ExpressionAttributeValues": {
                            ":cancelled": _s(CANCELLED),
                            ":booked": _s(BOOKED),
                            ":now": _s(iso_utc(cancelled_at)),
                        },
                    }
                },
                {
                    "Update": {
                        "TableName": self._ledger.sessions_table,
                        "Key": self._counter_key(school_id, item),
                        "UpdateExpression": "SET booked = booked - :one",
                        "ConditionExpression": "booked >= :one",
                        "ExpressionAttributeValues": {":one": _n(1)},
                    }
                },
            ]
        )
        if codes is None:
            return CancellationOutcome.CANCELLED
        if codes[0] == "ConditionalCheckFailed":
            return CancellationOutcome.NOT_BOOKED
        # The reservation is booked but its counter is at 0: the two disagree.
        logger.error(
            "session counter below its reservations",
            extra={"school_id": school_id, "day": item.day.isoformat(), "activity": item.activity},
        )
        raise UnavailableError("the cancellation could not be stored; an agent was alerted")
