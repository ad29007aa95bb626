"""DynamoDB adapter of the conservatoire ``EnrollmentStore``.

Tables (see ``infra/resources.py``):
- enrollments: ``enrollment_id``, with the indexes ``by_household``, ``by_person`` and
  ``by_course`` (``course_key``). Their range key ``year_order`` is the school year, the request
  instant and the id, so each list comes back in request order.
- courses: one partition per course and school year, ``course_key`` = ``<year>#<course_id>``:
  ``SEATS`` (``capacity``, ``places_held``, ``waiting_count``, ``version``),
  ``PERSON#<person_id>`` for each active enrollment, which makes it unique per person and
  course, and ``WAIT#<queue_key>`` for each waiting request, so that a strongly consistent
  query reads the waiting list in order.

Every write that takes or frees a place is one ``TransactWriteItems`` request whose conditions
carry the rules, so no read-then-write race can exceed a capacity:
- taking a free place is conditioned on ``places_held < capacity``.
- joining the waiting list is conditioned on ``places_held >= capacity``.
- ending an enrollment or changing a capacity reads the waiting list first, so it is
  conditioned on the course ``version`` it read, which every write to the course increments.
A transaction cancelled by a concurrent change is retried with fresh reads. The cancellation
reasons, in item order, tell a broken rule from a concurrent change. A confirmation, which
neither takes nor frees a place, is one ``UpdateItem`` conditioned on the status read before.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from demarches.conservatoire import enrollment as rules
from demarches.conservatoire.catalogue import School
from demarches.conservatoire.enrollment import (
    CourseSeats,
    Enrollment,
    EnrollmentStatus,
    status_label,
)
from demarches.conservatoire.errors import (
    EnrollmentAlreadyExistsError,
    EnrollmentStatusConflictError,
)
from demarches.conservatoire.ports import CapacityChange, CourseAvailability, Placement
from demarches.errors import UnavailableError

Item = dict[str, Any]

logger = Logger(service="demarches")

_SEATS = "SEATS"
_WAIT = "WAIT#"
_PERSON = "PERSON#"
# Attempts of one write when concurrent changes to the same course keep cancelling it.
_MAX_ATTEMPTS = 10
# A promotion writes two items: the enrollment and its waiting-list entry. With the seats item,
# 45 promotions make 91 items, under DynamoDB's limit of 100 items per transaction.
PROMOTIONS_PER_WRITE = 45
# Ids outside 1 to 512 characters are reported as not found, because DynamoDB rejects an empty
# key and a partition key over 2,048 bytes. Request models cap person ids at 128 characters.
_MAX_KEY_LENGTH = 512
_BATCH_GET_LIMIT = 100

# Names of the seats attributes; ``capacity`` is a DynamoDB reserved word.
_SEATS_NAMES = {
    "#capacity": "capacity",
    "#held": "places_held",
    "#waiting": "waiting_count",
    "#version": "version",
}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _instant(value: datetime) -> str:
    """Format an instant with microseconds, as text that sorts in time order."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def course_key(school_year: str, course_id: str) -> str:
    return f"{school_year}#{course_id}"


def _valid_key(value: str) -> bool:
    return 0 < len(value) <= _MAX_KEY_LENGTH


def _reasons(exc: ClientError) -> list[dict[str, Any]]:
    return list(exc.response.get("CancellationReasons", []))  # type: ignore[arg-type]


def _failed(reasons: Sequence[dict[str, Any]], index: int) -> bool:
    return index < len(reasons) and reasons[index].get("Code") == "ConditionalCheckFailed"


def _is_cancellation(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "TransactionCanceledException"


def _enrollment_item(enrollment: Enrollment) -> Item:
    item: Item = {
        "enrollment_id": _s(enrollment.enrollment_id),
        "school_year": _s(enrollment.school_year),
        "school": _s(enrollment.school.value),
        "course_id": _s(enrollment.course_id),
        "course_key": _s(course_key(enrollment.school_year, enrollment.course_id)),
        "household_id": _s(enrollment.household_id),
        "person_id": _s(enrollment.person_id),
        "requested_at": _s(_instant(enrollment.requested_at)),
        "requested_by": _s(enrollment.requested_by),
        "current_pupil": {"BOOL": enrollment.current_pupil},
        "queue_key": _s(enrollment.queue_key),
        "year_order": _s(
            f"{enrollment.school_year}#{_instant(enrollment.requested_at)}"
            f"#{enrollment.enrollment_id}"
        ),
        "status": _s(enrollment.status.value),
        "status_changed_at": _s(_instant(enrollment.status_changed_at)),
        "status_changed_by": _s(enrollment.status_changed_by),
        "history": {"L": [_history_entry(enrollment)]},
    }
    if enrollment.refusal_reason is not None:
        item["refusal_reason"] = _s(enrollment.refusal_reason)
    return item


def _history_entry(enrollment: Enrollment) -> dict[str, Any]:
    """Audit entry of the latest status change: status, instant, author and refusal reason."""
    entry: Item = {
        "status": _s(enrollment.status.value),
        "at": _s(_instant(enrollment.status_changed_at)),
        "by": _s(enrollment.status_changed_by),
    }
    if enrollment.refusal_reason is not None:
        entry["reason"] = _s(enrollment.refusal_reason)
    return {"M": entry}


def _enrollment_from_item(item: Item) -> Enrollment:
    reason = item.get("refusal_reason")
    return Enrollment(
        enrollment_id=item["enrollment_id"]["S"],
        school_year=item["school_year"]["S"],
        school=School(item["school"]["S"]),
        course_id=item["course_id"]["S"],
        household_id=item["household_id"]["S"],
        person_id=item["person_id"]["S"],
        requested_at=_parse_instant(item["requested_at"]["S"]),
        requested_by=item["requested_by"]["S"],
        current_pupil=item["current_pupil"]["BOOL"],
        queue_key=item["queue_key"]["S"],
        status=EnrollmentStatus(item["status"]["S"]),
        status_changed_at=_parse_instant(item["status_changed_at"]["S"]),
        status_changed_by=item["status_changed_by"]["S"],
        refusal_reason=None if reason is None else reason["S"],
    )


def _seats_from_item(
    school_year: str, course_id: str, item: Item | None, default_capacity: int
) -> CourseSeats:
    if item is None:
        return CourseSeats(school_year, course_id, default_capacity, 0)
    return CourseSeats(
        school_year, course_id, int(item["capacity"]["N"]), int(item["places_held"]["N"])
    )


def _status_conflict(enrollment_id: str, stored: Item | None) -> EnrollmentStatusConflictError:
    if not stored:
        return EnrollmentStatusConflictError(
            f"L'inscription {enrollment_id} n'existe plus.", field="status"
        )
    status = EnrollmentStatus(stored["status"]["S"])
    return EnrollmentStatusConflictError(
        f"L'inscription {enrollment_id} a changé entre-temps : son statut est "
        f"« {status_label(status)} ». Rechargez-la avant de recommencer.",
        field="status",
        details={"status": status.value},
    )


def _busy(action: str) -> UnavailableError:
    return UnavailableError(
        f"Le cours change trop vite pour enregistrer {action} : réessayez dans un instant."
    )


def _failure(message: str, exc: ClientError, **ids: str) -> UnavailableError:
    """Log a DynamoDB error that is not a broken condition, and build the error to raise."""
    logger.exception(
        "conservatoire write failed",
        extra={**ids, "error_code": exc.response["Error"]["Code"], "demarche": "conservatoire"},
    )
    return UnavailableError(message)


def _pause_before_retry(attempt: int, operation: str, key: str) -> None:
    """Log a write cancelled by a concurrent change, then wait a short, jittered backoff."""
    logger.info(
        "conservatoire write retried",
        extra={"operation": operation, "course_key": key, "attempt": attempt},
    )
    time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))


class DynamoDBEnrollmentStore:
    def __init__(
        self,
        client: Any,
        *,
        enrollments_table: str,
        courses_table: str,
        promotions_per_write: int = PROMOTIONS_PER_WRITE,
    ) -> None:
        if not 1 <= promotions_per_write <= PROMOTIONS_PER_WRITE:
            raise ValueError(f"promotions_per_write must be 1 to {PROMOTIONS_PER_WRITE}")
        self._db = client
        self._enrollments = enrollments_table
        self._courses = courses_table
        self._promotions_per_write = promotions_per_write

    # Reads

    def get(self, enrollment_id: str) -> Enrollment | None:
        if not _valid_key(enrollment_id):
            return None
        response = self._db.get_item(
            TableName=self._enrollments,
            Key={"enrollment_id": _s(enrollment_id)},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return _enrollment_from_item(item) if item else None

    # NOTE: the three lists below read global secondary indexes, which DynamoDB updates
    # asynchronously on AWS: a change made a fraction of a second earlier may be missing.
    # Capacity and waiting-list rules never depend on them.

    def list_for_household(self, household_id: str, school_year: str) -> list[Enrollment]:
        return self._query_index("by_household", "household_id", household_id, school_year)

    def list_for_person(self, person_id: str, school_year: str) -> list[Enrollment]:
        return self._query_index("by_person", "person_id", person_id, school_year)

    def list_for_course(self, school_year: str, course_id: str) -> list[Enrollment]:
        key = course_key(school_year, course_id)
        return self._query_index("by_course", "course_key", key, school_year)

    def _query_index(
        self, index: str, attribute: str, value: str, school_year: str
    ) -> list[Enrollment]:
        if not _valid_key(value):
            return []
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._enrollments,
            IndexName=index,
            KeyConditionExpression="#key = :value AND begins_with(year_order, :year)",
            ExpressionAttributeNames={"#key": attribute},
            ExpressionAttributeValues={":value": _s(value), ":year": _s(f"{school_year}#")},
        )
        return [_enrollment_from_item(item) for page in pages for item in page["Items"]]

    def seats(self, school_year: str, course_id: str, default_capacity: int) -> CourseSeats:
        item = self._seats_item(course_key(school_year, course_id))
        return _seats_from_item(school_year, course_id, item, default_capacity)

    def availability(
        self, school_year: str, default_capacities: Mapping[str, int]
    ) -> dict[str, CourseAvailability]:
        course_ids = list(default_capacities)
        items: dict[str, Item] = {}
        for start in range(0, len(course_ids), _BATCH_GET_LIMIT):
            chunk = course_ids[start : start + _BATCH_GET_LIMIT]
            keys = [{"course_key": _s(course_key(school_year, c)), "sk": _s(_SEATS)} for c in chunk]
            for read in self._batch_get(self._courses, keys):
                items[read["course_key"]["S"]] = read

        found = {}
        for course_id, capacity in default_capacities.items():
            item = items.get(course_key(school_year, course_id))
            seats = _seats_from_item(school_year, course_id, item, capacity)
            waiting = 0 if item is None else int(item["waiting_count"]["N"])
            found[course_id] = CourseAvailability(seats, waiting)
        return found

    def waiting_rank(self, enrollment: Enrollment) -> int:
        mine = f"{_WAIT}{enrollment.queue_key}"
        ahead = sum(
            1
            for item in self._query_course(
                course_key(enrollment.school_year, enrollment.course_id),
                "sk BETWEEN :first AND :mine",
                {":first": _s(_WAIT), ":mine": _s(mine)},
            )
            if item["sk"]["S"] != mine
        )
        return ahead + 1

    def _seats_item(self, key: str) -> Item | None:
        response = self._db.get_item(
            TableName=self._courses,
            Key={"course_key": _s(key), "sk": _s(_SEATS)},
            ConsistentRead=True,
        )
        item: Item | None = response.get("Item")
        return item

    def _query_course(self, key: str, sort_condition: str, values: Item) -> Iterator[Item]:
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._courses,
            KeyConditionExpression=f"course_key = :course AND {sort_condition}",
            ExpressionAttributeValues={":course": _s(key), **values},
            ConsistentRead=True,
        )
        for page in pages:
            yield from page["Items"]

    def _waiting_heads(
        self, key: str, limit: int, excluding: str | None = None
    ) -> list[Enrollment]:
        """Return the first ``limit`` waiting enrollments of a course, head first."""
        if limit <= 0:
            return []
        ids: list[str] = []
        for item in self._query_course(key, "begins_with(sk, :wait)", {":wait": _s(_WAIT)}):
            if item["enrollment_id"]["S"] != excluding:
                ids.append(item["enrollment_id"]["S"])
            if len(ids) == limit:
                break
        keys = [{"enrollment_id": _s(enrollment_id)} for enrollment_id in ids]
        found = {
            item["enrollment_id"]["S"]: _enrollment_from_item(item)
            for item in self._batch_get(self._enrollments, keys)
        }
        missing = [enrollment_id for enrollment_id in ids if enrollment_id not in found]
        if missing:
            # Entries and enrollments are written in the same transactions, so a missing
            # enrollment means damaged data.
            raise UnavailableError(
                f"La liste d'attente du cours {key} cite des inscriptions absentes : {missing}."
            )
        return [found[enrollment_id] for enrollment_id in ids]

    def _batch_get(self, table: str, keys: list[Item]) -> list[Item]:
        """Read up to 100 keys with strong consistency, retrying the keys DynamoDB left over."""
        items: list[Item] = []
        pending: Item = {table: {"Keys": keys, "ConsistentRead": True}} if keys else {}
        for _ in range(_MAX_ATTEMPTS):
            if not pending:
                return items
            response = self._db.batch_get_item(RequestItems=pending)
            items.extend(response["Responses"].get(table, []))
            pending = response.get("UnprocessedKeys") or {}
        raise UnavailableError("La lecture des inscriptions n'a pas abouti : réessayez.")

    # Writes

    def place(self, request: Enrollment, default_capacity: int) -> Placement:
        if request.status is not EnrollmentStatus.REQUESTED:
            raise ValueError(f"only a new request can be placed, not a {request.status} one")
        key = course_key(request.school_year, request.course_id)
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            if self._take_free_place(request, default_capacity):
                return Placement(request, None)
            queued = replace(request, status=EnrollmentStatus.WAITING)
            if self._join_waiting_list(queued, default_capacity):
                return Placement(queued, self.waiting_rank(queued))
            _pause_before_retry(attempt, "place", key)
        raise _busy("la demande")

    def _take_free_place(self, request: Enrollment, default_capacity: int) -> bool:
        """Write the request into a free place; return False when the course is full."""
        condition = "#held < #capacity"
        if default_capacity > 0:
            condition = "attribute_not_exists(#held) OR " + condition
        seats = self._seats_update(
            request,
            default_capacity,
            "SET #held = if_not_exists(#held, :zero) + :one, ",
            condition,
        )
        items = [seats, self._person_put(request), self._enrollment_put(request)]
        return self._write_new(request, items)

    def _join_waiting_list(self, queued: Enrollment, default_capacity: int) -> bool:
        """Write the request onto the waiting list; return False when a place is free."""
        condition = "#held >= #capacity"
        if default_capacity <= 0:
            condition = "attribute_not_exists(#held) OR " + condition
        seats = self._seats_update(
            queued,
            default_capacity,
            "SET #held = if_not_exists(#held, :zero), ",
            condition,
            waiting_increment=1,
        )
        entry = {
            "Put": {
                "TableName": self._courses,
                "Item": {
                    "course_key": _s(course_key(queued.school_year, queued.course_id)),
                    "sk": _s(f"{_WAIT}{queued.queue_key}"),
                    "enrollment_id": _s(queued.enrollment_id),
                },
                "ConditionExpression": "attribute_not_exists(sk)",
            }
        }
        items = [seats, self._person_put(queued), self._enrollment_put(queued), entry]
        return self._write_new(queued, items)

    def _seats_update(
        self,
        enrollment: Enrollment,
        default_capacity: int,
        held_clause: str,
        condition: str,
        waiting_increment: int = 0,
    ) -> Item:
        # The seats item is created on first use from the catalogue's capacity.
        return {
            "Update": {
                "TableName": self._courses,
                "Key": {
                    "course_key": _s(course_key(enrollment.school_year, enrollment.course_id)),
                    "sk": _s(_SEATS),
                },
                "UpdateExpression": held_clause + "#capacity = if_not_exists(#capacity, :default), "
                "#waiting = if_not_exists(#waiting, :zero) + :waiting, "
                "#version = if_not_exists(#version, :zero) + :one",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": _SEATS_NAMES,
                "ExpressionAttributeValues": {
                    ":zero": _n(0),
                    ":one": _n(1),
                    ":default": _n(default_capacity),
                    ":waiting": _n(waiting_increment),
                },
            }
        }

    def _person_put(self, enrollment: Enrollment) -> Item:
        return {
            "Put": {
                "TableName": self._courses,
                "Item": {
                    "course_key": _s(course_key(enrollment.school_year, enrollment.course_id)),
                    "sk": _s(f"{_PERSON}{enrollment.person_id}"),
                    "enrollment_id": _s(enrollment.enrollment_id),
                },
                "ConditionExpression": "attribute_not_exists(sk)",
            }
        }

    def _enrollment_put(self, enrollment: Enrollment) -> Item:
        return {
            "Put": {
                "TableName": self._enrollments,
                "Item": _enrollment_item(enrollment),
                "ConditionExpression": "attribute_not_exists(enrollment_id)",
            }
        }

    def _write_new(self, request: Enrollment, items: list[Item]) -> bool:
        """Run a placement transaction whose items are: seats, person, enrollment, others."""
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if not _is_cancellation(exc):
                raise _failure(
                    "La demande n'a pas pu être enregistrée : réessayez.",
                    exc,
                    enrollment_id=request.enrollment_id,
                ) from exc
            reasons = _reasons(exc)
            if _failed(reasons, 1):
                raise EnrollmentAlreadyExistsError(
                    "Cette personne a déjà une demande en cours pour ce cours.",
                    field="person_id",
                    details={"course_id": request.course_id},
                ) from exc
            if _failed(reasons, 2):
                raise UnavailableError(
                    f"L'identifiant d'inscription {request.enrollment_id} existe déjà : réessayez."
                ) from exc
            # The seats condition failed, or a concurrent transaction touched the same items.
            return False
        return True

    def update_status(self, updated: Enrollment, expected: EnrollmentStatus) -> None:
        try:
            self._db.update_item(**self._status_update(updated, expected))
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise _failure(
                    "Le changement de statut n'a pas pu être enregistré : réessayez.",
                    exc,
                    enrollment_id=updated.enrollment_id,
                ) from exc
            stored = cast("Item | None", exc.response.get("Item"))
            raise _status_conflict(updated.enrollment_id, stored) from exc

    def _status_update(self, updated: Enrollment, expected: EnrollmentStatus) -> Item:
        """Build the arguments of an update of a status, conditioned on the status read before."""
        values: Item = {
            ":status": _s(updated.status.value),
            ":expected": _s(expected.value),
            ":at": _s(_instant(updated.status_changed_at)),
            ":by": _s(updated.status_changed_by),
            ":entry": {"L": [_history_entry(updated)]},
            ":empty": {"L": []},
        }
        expression = (
            "SET #status = :status, status_changed_at = :at, status_changed_by = :by, "
            "#history = list_append(if_not_exists(#history, :empty), :entry)"
        )
        if updated.refusal_reason is None:
            expression += " REMOVE refusal_reason"
        else:
            expression += ", refusal_reason = :reason"
            values[":reason"] = _s(updated.refusal_reason)
        return {
            "TableName": self._enrollments,
            "Key": {"enrollment_id": _s(updated.enrollment_id)},
            "UpdateExpression": expression,
            "ConditionExpression": "#status = :expected",
            "ExpressionAttributeNames": {"#status": "status", "#history": "history"},
            "ExpressionAttributeValues": values,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def end(self, ended: Enrollment, expected: EnrollmentStatus) -> tuple[Enrollment, ...]:
        key = course_key(ended.school_year, ended.course_id)
        previous = replace(ended, status=expected)
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            item = self._seats_item(key)
            if item is None:
                raise UnavailableError(f"Les places du cours {key} sont introuvables.")
            seats = _seats_from_item(ended.school_year, ended.course_id, item, 0)
            held_after = seats.places_held - (1 if expected.holds_place else 0)
            # Ending frees at most one place, since no place stays free while requests wait.
            free = min(seats.capacity - held_after, self._promotions_per_write)
            heads = self._waiting_heads(key, free, excluding=ended.enrollment_id)
            outcome = rules.end_enrollment(
                seats, heads, previous=previous, ended=ended, at=ended.status_changed_at
            )
            promoted = outcome.changed[1:]
            left_queue = len(promoted) + (1 if expected is EnrollmentStatus.WAITING else 0)

            items = [
                {"Update": self._status_update(ended, expected)},
                self._person_delete(ended),
                self._seats_write(item, outcome.seats, -left_queue),
            ]
            if expected is EnrollmentStatus.WAITING:
                items.append(self._entry_delete(ended))
            items.extend(self._promotion_items(promoted))
            try:
                self._db.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if not _is_cancellation(exc):
                    raise _failure(
                        "Le changement de statut n'a pas pu être enregistré : réessayez.",
                        exc,
                        enrollment_id=ended.enrollment_id,
                    ) from exc
                reasons = _reasons(exc)
                if _failed(reasons, 0):
                    stored = reasons[0].get("Item")
                    raise _status_conflict(ended.enrollment_id, stored) from exc
                _pause_before_retry(attempt, "end", key)
                continue
            return promoted
        raise _busy("ce changement de statut")

    def set_capacity(
        self,
        school_year: str,
        course_id: str,
        *,
        capacity: int,
        default_capacity: int,
        at: datetime,
    ) -> CapacityChange:
        rules.validate_capacity(capacity)
        key = course_key(school_year, course_id)
        promoted: list[Enrollment] = []
        failures = 0
        while failures < _MAX_ATTEMPTS:
            item = self._seats_item(key)
            seats = _seats_from_item(school_year, course_id, item, default_capacity)
            free = capacity - seats.places_held
            heads = self._waiting_heads(key, min(free, self._promotions_per_write + 1))
            step = capacity
            if len(heads) > self._promotions_per_write:
                # More promotions than one transaction carries: raise the capacity by one
                # transaction's worth at a time, so that no place is ever free while requests
                # wait, and a new request cannot pass them between two writes.
                heads = heads[: self._promotions_per_write]
                step = seats.places_held + len(heads)
            outcome = rules.resize(seats, heads, capacity=step, at=at)

            items = [self._seats_write(item, outcome.seats, -len(outcome.changed))]
            items.extend(self._promotion_items(outcome.changed))
            try:
                self._db.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if not _is_cancellation(exc):
                    raise _failure(
                        "La capacité n'a pas pu être enregistrée : réessayez.", exc, course_key=key
                    ) from exc
                failures += 1
                _pause_before_retry(failures, "set_capacity", key)
                continue
            promoted.extend(outcome.changed)
            if step == capacity:
                return CapacityChange(outcome.seats, tuple(promoted))
        raise _busy("la capacité")

    def _seats_write(self, read: Item | None, seats: CourseSeats, waiting_change: int) -> Item:
        """Write the seats computed from ``read``, conditioned on its version being current."""
        version = None if read is None else int(read["version"]["N"])
        waiting = 0 if read is None else int(read["waiting_count"]["N"])
        values: Item = {
            ":capacity": _n(seats.capacity),
            ":held": _n(seats.places_held),
            ":waiting": _n(waiting + waiting_change),
            ":next": _n((version or 0) + 1),
        }
        if version is None:
            condition = "attribute_not_exists(#version)"
        else:
            condition = "#version = :version"
            values[":version"] = _n(version)
        return {
            "Update": {
                "TableName": self._courses,
                "Key": {
                    "course_key": _s(course_key(seats.school_year, seats.course_id)),
                    "sk": _s(_SEATS),
                },
                "UpdateExpression": "SET #capacity = :capacity, #held = :held, "
                "#waiting = :waiting, #version = :next",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": _SEATS_NAMES,
                "ExpressionAttributeValues": values,
            }
        }

    def _promotion_items(self, promoted: Sequence[Enrollment]) -> list[Item]:
        items: list[Item] = []
        for enrollment in promoted:
            items.append({"Update": self._status_update(enrollment, EnrollmentStatus.WAITING)})
            items.append(self._entry_delete(enrollment))
        return items

    def _person_delete(self, enrollment: Enrollment) -> Item:
        return {
            "Delete": {
                "TableName": self._courses,
                "Key": {
                    "course_key": _s(course_key(enrollment.school_year, enrollment.course_id)),
                    "sk": _s(f"{_PERSON}{enrollment.person_id}"),
                },
            }
        }

    def _entry_delete(self, enrollment: Enrollment) -> Item:
        return {
            "Delete": {
                "TableName": self._courses,
                "Key": {
                    "course_key": _s(course_key(enrollment.school_year, enrollment.course_id)),
                    "sk": _s(f"{_WAIT}{enrollment.queue_key}"),
                },
                "ConditionExpression": "attribute_exists(sk)",
            }
        }
