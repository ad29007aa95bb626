"""In-memory implementations of the conservatoire ports, for unit tests.

The enrollment store applies the domain's reference functions under one lock, so it is the
executable definition of the atomic writes that the ``EnrollmentStore`` port promises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

from demarches.conservatoire import enrollment as rules
from demarches.conservatoire.enrollment import (
    CourseSeats,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
)
from demarches.conservatoire.errors import (
    EnrollmentAlreadyExistsError,
    EnrollmentStatusConflictError,
)
from demarches.conservatoire.evaluations import Evaluation, EvaluationKey
from demarches.conservatoire.ports import CapacityChange, CourseAvailability, Placement
from demarches.households.domain import Household, Person, Role


class InMemoryEnrollmentStore:
    def __init__(self) -> None:
        self._enrollments: dict[str, Enrollment] = {}
        self._seats: dict[tuple[str, str], CourseSeats] = {}
        self._lock = threading.Lock()

    def get(self, enrollment_id: str) -> Enrollment | None:
        return self._enrollments.get(enrollment_id)

    def list_for_household(self, household_id: str, school_year: str) -> list[Enrollment]:
        return self._select(lambda e: e.household_id == household_id, school_year)

    def list_for_person(self, person_id: str, school_year: str) -> list[Enrollment]:
        return self._select(lambda e: e.person_id == person_id, school_year)

    def list_for_course(self, school_year: str, course_id: str) -> list[Enrollment]:
        return self._select(lambda e: e.course_id == course_id, school_year)

    def seats(self, school_year: str, course_id: str, default_capacity: int) -> CourseSeats:
        key = (school_year, course_id)
        return self._seats.get(key, CourseSeats(school_year, course_id, default_capacity, 0))

    def availability(
        self, school_year: str, default_capacities: Mapping[str, int]
    ) -> dict[str, CourseAvailability]:
        return {
            course_id: CourseAvailability(
                self.seats(school_year, course_id, capacity),
                len(rules.order_waiting_list(self.list_for_course(school_year, course_id))),
            )
            for course_id, capacity in default_capacities.items()
        }

    def waiting_rank(self, enrollment: Enrollment) -> int:
        waiting = self.list_for_course(enrollment.school_year, enrollment.course_id)
        return rules.waiting_rank(waiting, enrollment)

    def place(self, request: Enrollment, default_capacity: int) -> Placement:
        with self._lock:
            course = self.list_for_course(request.school_year, request.course_id)
            if any(e.person_id == request.person_id and e.status.is_active for e in course):
                raise EnrollmentAlreadyExistsError("already enrolled", field="course_id")

            seats = self.seats(request.school_year, request.course_id, default_capacity)
            outcome = rules.place_request(seats, rules.order_waiting_list(course), request)
            self._write(outcome.seats, outcome.changed)
            return Placement(outcome.changed[0], outcome.events[0].rank)

    def update_status(self, updated: Enrollment, expected: EnrollmentStatus) -> None:
        with self._lock:
            self._check_status(updated.enrollment_id, expected)
            self._enrollments[updated.enrollment_id] = updated

    def end(self, ended: Enrollment, expected: EnrollmentStatus) -> tuple[Enrollment, ...]:
        with self._lock:
            previous = self._check_status(ended.enrollment_id, expected)
            seats = self._seats[(ended.school_year, ended.course_id)]
            waiting = self.list_for_course(ended.school_year, ended.course_id)
            outcome = rules.end_enrollment(
                seats, waiting, previous=previous, ended=ended, at=ended.status_changed_at
            )
            self._write(outcome.seats, outcome.changed)
            return outcome.changed[1:]

    def set_capacity(
        self,
        school_year: str,
        course_id: str,
        *,
        capacity: int,
        default_capacity: int,
        at: datetime,
    ) -> CapacityChange:
        with self._lock:
            seats = self.seats(school_year, course_id, default_capacity)
            waiting = self.list_for_course(school_year, course_id)
            outcome = rules.resize(seats, waiting, capacity=capacity, at=at)
            self._write(outcome.seats, outcome.changed)
            return CapacityChange(outcome.seats, outcome.changed)

    def seed(self, enrollment: Enrollment) -> None:
        """Store an enrollment as is, such as a confirmed one of the previous school year."""
        self._enrollments[enrollment.enrollment_id] = enrollment

    def force_status(self, enrollment_id: str, status: EnrollmentStatus) -> None:
        """Change a stored status behind the use cases' back, as a concurrent writer would."""
        self._enrollments[enrollment_id] = replace(self._enrollments[enrollment_id], status=status)

    def _select(self, keep: Callable[[Enrollment], bool], school_year: str) -> list[Enrollment]:
        found = [e for e in self._enrollments.values() if e.school_year == school_year and keep(e)]
        return sorted(found, key=lambda e: (e.requested_at, e.enrollment_id))

    def _check_status(self, enrollment_id: str, expected: EnrollmentStatus) -> Enrollment:
        stored = self._enrollments[enrollment_id]
        if stored.status is not expected:
            raise EnrollmentStatusConflictError(
                f"status is {stored.status}, expected {expected}", field="status"
            )
        return stored

    def _write(self, seats: CourseSeats, changed: Sequence[Enrollment]) -> None:
        self._seats[(seats.school_year, seats.course_id)] = seats
        for enrollment in changed:
            self._enrollments[enrollment.enrollment_id] = enrollment


class InMemoryEvaluationStore:
    def __init__(self) -> None:
        self.saved: dict[EvaluationKey, Evaluation] = {}

    def get(self, key: EvaluationKey) -> Evaluation | None:
        return self.saved.get(key)

    def save(self, evaluation: Evaluation) -> None:
        self.saved[evaluation.key] = evaluation

    def list_for_household(self, household_id: str, school_year: str) -> list[Evaluation]:
        return [
            e
            for e in self.saved.values()
            if e.household_id == household_id and e.key.school_year == school_year
        ]


class RecordingPublisher:
    def __init__(self) -> None:
        self.events: list[EnrollmentEvent] = []

    def publish(self, events: Sequence[EnrollmentEvent]) -> None:
        self.events.extend(events)

    def kinds(self) -> list[str]:
        return [event.kind.value for event in self.events]


class SequentialIds:
    def __init__(self, prefix: str = "ins") -> None:
        self._prefix = prefix
        self._next = 0

    def new_id(self) -> str:
        self._next += 1
        return f"{self._prefix}-{self._next:04d}"


class DictHouseholds:
    def __init__(self, *households: Household) -> None:
        self._households = {h.household_id: h for h in households}

    def add(self, household: Household) -> None:
        self._households[household.household_id] = household

    def get(self, household_id: str) -> Household | None:
        return self._households.get(household_id)


class DictQuotients:
    def __init__(self, quotients: dict[str, int] | None = None) -> None:
        self.quotients = quotients or {}

    def quotient_familial(self, household_id: str, school_year: str) -> int | None:
        return self.quotients.get(household_id)


def person(
    person_id: str, birth_date: date, role: Role = "child", first_name: str = "Léa"
) -> Person:
    return Person(
        person_id=person_id,
        first_name=first_name,
        last_name="Martin",
        birth_date=birth_date,
        role=role,
    )


def household(household_id: str, commune_insee: str, *persons: Person) -> Household:
    return Household(
        household_id=household_id,
        name=f"Foyer {household_id}",
        address="1 rue Mazel",
        postcode="55100",
        commune_insee=commune_insee,
        email=f"{household_id}@example.org",
        persons=persons,
    )
