"""Enrollment requests, their statuses, and the waiting list of each course.

An enrollment holds a place from the moment it is placed (``requested``) or promoted from the
waiting list (``offered``) until it is refused or cancelled. An agent confirms it or refuses it.
The waiting list is served first come, first served by request instant. When the school gives
priority to re-enrolling pupils, their requests come before every other request.

The functions over ``CourseSeats`` are the reference semantics of the ``EnrollmentStore``
port: the in-memory store applies them under a lock, and a DynamoDB store performs the same
changes with conditional writes. Each returns the enrollments it changed and the events to
notify.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from .catalogue import Course, School
from .errors import (
    CapacityBelowPlacesHeldError,
    CapacityInvalidError,
    EnrollmentStatusConflictError,
    RefusalReasonInvalidError,
)

# Upper bound of a course capacity, far above any class or ensemble, to catch typing errors.
MAX_CAPACITY = 500
MAX_REASON_LENGTH = 500
# Recorded as the author of a promotion, which the waiting list makes without anyone's choice.
WAITING_LIST_ACTOR = "waiting_list"


class EnrollmentStatus(StrEnum):
    REQUESTED = "requested"
    WAITING = "waiting"
    OFFERED = "offered"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    CANCELLED = "cancelled"

    @property
    def holds_place(self) -> bool:
        return self in _PLACE_HOLDING

    @property
    def is_active(self) -> bool:
        return self in _PLACE_HOLDING or self is EnrollmentStatus.WAITING


_PLACE_HOLDING = frozenset(
    {EnrollmentStatus.REQUESTED, EnrollmentStatus.OFFERED, EnrollmentStatus.CONFIRMED}
)

# Statuses from which each target status may be reached.
_TRANSITIONS: dict[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    EnrollmentStatus.OFFERED: frozenset({EnrollmentStatus.WAITING}),
    EnrollmentStatus.CONFIRMED: frozenset({EnrollmentStatus.REQUESTED, EnrollmentStatus.OFFERED}),
    EnrollmentStatus.REFUSED: frozenset(
        {EnrollmentStatus.REQUESTED, EnrollmentStatus.OFFERED, EnrollmentStatus.WAITING}
    ),
    EnrollmentStatus.CANCELLED: _PLACE_HOLDING | {EnrollmentStatus.WAITING},
}

_STATUS_LABELS = {
    EnrollmentStatus.REQUESTED: "demandée",
    EnrollmentStatus.WAITING: "en liste d'attente",
    EnrollmentStatus.OFFERED: "place proposée",
    EnrollmentStatus.CONFIRMED: "confirmée",
    EnrollmentStatus.REFUSED: "refusée",
    EnrollmentStatus.CANCELLED: "annulée",
}


@dataclass(frozen=True)
class WaitingListPolicy:
    """Order of a school's waiting lists, from configuration."""

    reenrolling_pupils_first: bool = True


@dataclass(frozen=True)
class Enrollment:
    """Enrollment of one person of a household in one course.

    ``current_pupil`` records whether the person was a confirmed pupil of the same school in
    the previous school year. ``queue_key`` sorts the waiting list as text, so a store can use
    it as an index sort key. Instants are aware UTC datetimes.
    """

    enrollment_id: str
    school_year: str
    school: School
    course_id: str
    household_id: str
    person_id: str
    requested_at: datetime
    requested_by: str
    current_pupil: bool
    queue_key: str
    status: EnrollmentStatus
    status_changed_at: datetime
    status_changed_by: str
    refusal_reason: str | None = None


@dataclass(frozen=True)
class CourseSeats:
    """Places of one course in one school year: the current capacity and the places held."""

    school_year: str
    course_id: str
    capacity: int
    places_held: int

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.places_held)


class EventKind(StrEnum):
    PLACE_RESERVED = "place_reserved"
    WAITING_LIST_JOINED = "waiting_list_joined"
    PLACE_OFFERED = "place_offered"
    ENROLLMENT_CONFIRMED = "enrollment_confirmed"
    ENROLLMENT_REFUSED = "enrollment_refused"
    ENROLLMENT_CANCELLED = "enrollment_cancelled"


_EVENT_OF_STATUS = {
    EnrollmentStatus.REQUESTED: EventKind.PLACE_RESERVED,
    EnrollmentStatus.WAITING: EventKind.WAITING_LIST_JOINED,
    EnrollmentStatus.OFFERED: EventKind.PLACE_OFFERED,
    EnrollmentStatus.CONFIRMED: EventKind.ENROLLMENT_CONFIRMED,
    EnrollmentStatus.REFUSED: EventKind.ENROLLMENT_REFUSED,
    EnrollmentStatus.CANCELLED: EventKind.ENROLLMENT_CANCELLED,
}


@dataclass(frozen=True)
class EnrollmentEvent:
    """State change to notify to the household and to record in the audit trail."""

    kind: EventKind
    enrollment_id: str
    school_year: str
    school: School
    course_id: str
    household_id: str
    person_id: str
    occurred_at: datetime
    actor_id: str
    rank: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Result of a change to a course: its seats, the enrollments written, the events."""

    seats: CourseSeats
    changed: tuple[Enrollment, ...]
    events: tuple[EnrollmentEvent, ...]


def status_label(status: EnrollmentStatus) -> str:
    return _STATUS_LABELS[status]


def queue_key(
    *,
    enrollment_id: str,
    requested_at: datetime,
    current_pupil: bool,
    policy: WaitingListPolicy,
) -> str:
    """Build the waiting-list sort key: priority group, request instant in microseconds, id.

    The id only breaks ties between requests of the same microsecond.
    """
    group = "0" if policy.reenrolling_pupils_first and current_pupil else "1"
    instant = requested_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{group}#{instant}#{enrollment_id}"


def new_enrollment(
    *,
    enrollment_id: str,
    course: Course,
    school_year: str,
    household_id: str,
    person_id: str,
    requested_at: datetime,
    requested_by: str,
    current_pupil: bool,
    policy: WaitingListPolicy,
) -> Enrollment:
    """Build a request not yet placed; its status stays ``requested`` until a store places it."""
    if requested_at.tzinfo is None:
        raise ValueError("requested_at must be an aware datetime")
    instant = requested_at.astimezone(UTC)
    return Enrollment(
        enrollment_id=enrollment_id,
        school_year=school_year,
        school=course.school,
        course_id=course.course_id,
        household_id=household_id,
        person_id=person_id,
        requested_at=instant,
        requested_by=requested_by,
        current_pupil=current_pupil,
        queue_key=queue_key(
            enrollment_id=enrollment_id,
            requested_at=instant,
            current_pupil=current_pupil,
            policy=policy,
        ),
        status=EnrollmentStatus.REQUESTED,
        status_changed_at=instant,
        status_changed_by=requested_by,
    )


def is_current_pupil(previous_year: Iterable[Enrollment], school: School) -> bool:
    """Return whether any enrollment of the previous school year in ``school`` is confirmed."""
    return any(e.school is school and e.status is EnrollmentStatus.CONFIRMED for e in previous_year)


def order_waiting_list(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """Return the waiting enrollments among ``enrollments``, head of the queue first."""
    waiting = [e for e in enrollments if e.status is EnrollmentStatus.WAITING]
    return sorted(waiting, key=lambda e: e.queue_key)


def waiting_rank(waiting: Iterable[Enrollment], enrollment: Enrollment) -> int:
    """Return the 1-based rank of a waiting enrollment among the waiting enrollments given."""
    ahead = sum(
        1
        for other in waiting
        if other.status is EnrollmentStatus.WAITING and other.queue_key < enrollment.queue_key
    )
    return ahead + 1


def event_for(enrollment: Enrollment, rank: int | None = None) -> EnrollmentEvent:
    """Build the event of the enrollment's latest status change."""
    return EnrollmentEvent(
        kind=_EVENT_OF_STATUS[enrollment.status],
        enrollment_id=enrollment.enrollment_id,
        school_year=enrollment.school_year,
        school=enrollment.school,
        course_id=enrollment.course_id,
        household_id=enrollment.household_id,
        person_id=enrollment.person_id,
        occurred_at=enrollment.status_changed_at,
        actor_id=enrollment.status_changed_by,
        rank=rank if enrollment.status is EnrollmentStatus.WAITING else None,
        reason=enrollment.refusal_reason,
    )


def events_for(changed: Sequence[Enrollment]) -> tuple[EnrollmentEvent, ...]:
    """Build the events of enrollments written together.

    A waiting enrollment gets no rank here: call ``event_for`` with its rank instead.
    """
    return tuple(event_for(enrollment) for enrollment in changed)


def _change_status(
    enrollment: Enrollment,
    status: EnrollmentStatus,
    *,
    actor_id: str,
    at: datetime,
    reason: str | None = None,
) -> Enrollment:
    if enrollment.status not in _TRANSITIONS[status]:
        raise EnrollmentStatusConflictError(
            f"L'inscription {enrollment.enrollment_id} a le statut "
            f"« {status_label(enrollment.status)} » : elle ne peut pas passer au statut "
            f"« {status_label(status)} ».",
            field="status",
            details={"status": enrollment.status.value, "requested_status": status.value},
        )
    return replace(
        enrollment,
        status=status,
        status_changed_at=at.astimezone(UTC),
        status_changed_by=actor_id,
        refusal_reason=reason,
    )


def confirm(enrollment: Enrollment, *, agent_id: str, at: datetime) -> Enrollment:
    """Confirm an enrollment that holds a place, requested or offered."""
    return _change_status(enrollment, EnrollmentStatus.CONFIRMED, actor_id=agent_id, at=at)


def refuse(enrollment: Enrollment, *, agent_id: str, reason: str, at: datetime) -> Enrollment:
    """Refuse a requested, offered or waiting enrollment; the reason is sent to the family."""
    text = reason.strip()
    if not text or len(text) > MAX_REASON_LENGTH:
        raise RefusalReasonInvalidError(
            f"Le motif du refus est obligatoire et ne dépasse pas {MAX_REASON_LENGTH} caractères.",
            field="reason",
        )
    return _change_status(
        enrollment, EnrollmentStatus.REFUSED, actor_id=agent_id, at=at, reason=text
    )


def cancel(enrollment: Enrollment, *, actor_id: str, at: datetime) -> Enrollment:
    """Cancel an active enrollment, confirmed ones included."""
    return _change_status(enrollment, EnrollmentStatus.CANCELLED, actor_id=actor_id, at=at)


def offer_place(enrollment: Enrollment, *, at: datetime) -> Enrollment:
    """Move a waiting enrollment into a freed place, pending an agent's confirmation."""
    return _change_status(enrollment, EnrollmentStatus.OFFERED, actor_id=WAITING_LIST_ACTOR, at=at)


def validate_capacity(capacity: int) -> int:
    if not 0 <= capacity <= MAX_CAPACITY:
        raise CapacityInvalidError(
            f"La capacité {capacity} est invalide : elle va de 0 à {MAX_CAPACITY} places.",
            field="capacity",
        )
    return capacity


def place_request(
    seats: CourseSeats, waiting: Sequence[Enrollment], request: Enrollment
) -> Outcome:
    """Give the request a free place, or put it on the waiting list with its rank.

    A course with a free place has an empty waiting list, because every freed place is offered
    at once, so taking the free place never passes over an older request.
    """
    if request.status is not EnrollmentStatus.REQUESTED:
        raise ValueError(f"only a new request can be placed, not a {request.status} one")

    if seats.free_places > 0:
        occupied = replace(seats, places_held=seats.places_held + 1)
        return Outcome(occupied, (request,), (event_for(request),))

    queued = replace(request, status=EnrollmentStatus.WAITING)
    rank = waiting_rank(waiting, queued)
    return Outcome(seats, (queued,), (event_for(queued, rank),))


def promote(seats: CourseSeats, waiting: Sequence[Enrollment], *, at: datetime) -> Outcome:
    """Offer every free place to the head of the waiting list, one request per place."""
    heads = order_waiting_list(waiting)[: seats.free_places]
    promoted = tuple(offer_place(enrollment, at=at) for enrollment in heads)
    filled = replace(seats, places_held=seats.places_held + len(promoted))
    return Outcome(filled, promoted, events_for(promoted))


def end_enrollment(
    seats: CourseSeats,
    waiting: Sequence[Enrollment],
    *,
    previous: Enrollment,
    ended: Enrollment,
    at: datetime,
) -> Outcome:
    """Record a refusal or a cancellation, free the place it held and promote the next request.

    ``previous`` is the enrollment as stored before the change, ``ended`` the one built by
    ``refuse`` or ``cancel``. A waiting enrollment held no place, so nobody is promoted, but it
    leaves the queue.
    """
    if ended.status not in (EnrollmentStatus.REFUSED, EnrollmentStatus.CANCELLED):
        raise ValueError(
            f"end_enrollment() expects a refused or cancelled enrollment, got {ended.status}"
        )

    freed = seats
    if previous.status.holds_place:
        freed = replace(seats, places_held=seats.places_held - 1)
    others = [e for e in waiting if e.enrollment_id != ended.enrollment_id]
    promoted = promote(freed, others, at=at)
    return Outcome(
        promoted.seats,
        (ended, *promoted.changed),
        (event_for(ended), *promoted.events),
    )


def resize(
    seats: CourseSeats, waiting: Sequence[Enrollment], *, capacity: int, at: datetime
) -> Outcome:
    """Set the course's capacity and promote as many waiting requests as new free places.

    The capacity cannot go below the places already held: refuse or cancel enrollments first.
    """
    validate_capacity(capacity)
    if capacity < seats.places_held:
        raise CapacityBelowPlacesHeldError(
            f"La capacité {capacity} est inférieure aux {seats.places_held} places déjà "
            "attribuées : annulez ou refusez d'abord des inscriptions.",
            field="capacity",
            details={"places_held": seats.places_held},
        )
    return promote(replace(seats, capacity=capacity), waiting, at=at)
