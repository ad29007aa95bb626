"""Ports of the conservatoire and atelier d'art use cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from demarches.households.domain import Household

from .enrollment import CourseSeats, Enrollment, EnrollmentEvent, EnrollmentStatus
from .evaluations import Evaluation, EvaluationKey


class HouseholdReader(Protocol):
    """Read access to household profiles; the shared ``HouseholdDirectory`` provides it."""

    def get(self, household_id: str) -> Household | None: ...


class QuotientReader(Protocol):
    """The quotient_familial recorded by the portail famille for pricing."""

    def quotient_familial(self, household_id: str, school_year: str) -> int | None:
        """Return the household's quotient_familial in euros per month, or None if unknown.

        An unknown quotient prices every course at the fee schedule's default bracket.
        """
        ...


@dataclass(frozen=True)
class Placement:
    """Stored enrollment after placement, with its waiting-list rank when it waits."""

    enrollment: Enrollment
    rank: int | None


@dataclass(frozen=True)
class CapacityChange:
    seats: CourseSeats
    promoted: tuple[Enrollment, ...]


@dataclass(frozen=True)
class CourseAvailability:
    """Places of a course and the number of requests on its waiting list."""

    seats: CourseSeats
    waiting: int


class EnrollmentStore(Protocol):
    """Storage of enrollments and course places that never lets places held exceed capacity.

    The store keeps one seats record per course and school year (capacity and places held),
    created on first use from the catalogue's capacity (``default_capacity``). Each write
    below is atomic. The functions ``place_request``, ``end_enrollment`` and ``resize`` of
    ``demarches.conservatoire.enrollment`` define the expected result. A DynamoDB store makes
    each write one transaction, conditioned on ``places_held < capacity`` and on the status
    read before it, and reports a failed condition as the error named below.
    """

    def get(self, enrollment_id: str) -> Enrollment | None: ...

    def list_for_household(self, household_id: str, school_year: str) -> list[Enrollment]: ...

    def list_for_person(self, person_id: str, school_year: str) -> list[Enrollment]: ...

    def list_for_course(self, school_year: str, course_id: str) -> list[Enrollment]:
        """Return every enrollment of the course, whatever its status, in request order."""
        ...

    def seats(self, school_year: str, course_id: str, default_capacity: int) -> CourseSeats: ...

    def availability(
        self, school_year: str, default_capacities: Mapping[str, int]
    ) -> dict[str, CourseAvailability]:
        """Return the seats and waiting-list length of each course, keyed by course id.

        ``default_capacities`` maps every course id to read to its catalogue capacity.
        """
        ...

    def waiting_rank(self, enrollment: Enrollment) -> int:
        """Return the 1-based rank of a waiting enrollment in its course's waiting list."""
        ...

    def place(self, request: Enrollment, default_capacity: int) -> Placement:
        """Take a free place (status ``requested``) or join the waiting list (``waiting``).

        Raise EnrollmentAlreadyExistsError if the person already has an active enrollment in
        the same course and school year.
        """
        ...

    def update_status(self, updated: Enrollment, expected: EnrollmentStatus) -> None:
        """Write a status change that neither takes nor frees a place, such as a confirmation.

        Raise EnrollmentStatusConflictError unless the stored status is still ``expected``.
        """
        ...

    def end(self, ended: Enrollment, expected: EnrollmentStatus) -> tuple[Enrollment, ...]:
        """Write a refusal or a cancellation, free its place and offer it to the queue's head.

        The enrollment is written, its place freed, and the head of the waiting list moved to
        ``offered``, all in one transaction. Return the promoted enrollments, head first
        (none when the ended enrollment was waiting or nobody waits). Raise
        EnrollmentStatusConflictError unless the stored status is still ``expected``.
        """
        ...

    def set_capacity(
        self,
        school_year: str,
        course_id: str,
        *,
        capacity: int,
        default_capacity: int,
        at: datetime,
    ) -> CapacityChange:
        """Set a course's capacity and offer every new free place to the waiting list at once.

        Raise CapacityBelowPlacesHeldError if ``capacity`` is lower than the places held.
        NOTE: a DynamoDB transaction carries at most 100 items, so a store that promotes more
        requests than fit in one must split the promotions into several atomic writes.
        """
        ...


class EvaluationStore(Protocol):
    """Storage of term evaluations, one per pupil, course and term."""

    def get(self, key: EvaluationKey) -> Evaluation | None: ...

    def save(self, evaluation: Evaluation) -> None:
        """Create the evaluation, or replace the stored one with the same key."""
        ...

    def list_for_household(self, household_id: str, school_year: str) -> list[Evaluation]: ...


class EventPublisher(Protocol):
    """Outlet of enrollment events, for e-mails to families and the audit trail."""

    def publish(self, events: Sequence[EnrollmentEvent]) -> None:
        """Send the events of one use case, after its store write succeeded.

        NOTE: an event is lost if this call fails after the write. An adapter that must not
        lose one should write to a queue that retries, or read the store's change stream.
        """
        ...


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """Return a new unique, unguessable id (at least 96 random bits)."""
        ...
