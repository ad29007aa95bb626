"""Behaviour that every ``EnrollmentStore`` adapter must show, as a reusable test class.

A test module subclasses ``EnrollmentStoreContract`` and defines a ``store`` fixture that
returns an empty store. The in-memory fake runs it in the unit suite. A DynamoDB adapter can
run the same class against the embedded AWS stack.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from demarches.conservatoire import enrollment as rules
from demarches.conservatoire.catalogue import AgeRange, Course, School, Teacher, WeeklySlot
from demarches.conservatoire.enrollment import (
    CourseSeats,
    Enrollment,
    EnrollmentStatus,
    WaitingListPolicy,
)
from demarches.conservatoire.errors import (
    CapacityBelowPlacesHeldError,
    EnrollmentAlreadyExistsError,
    EnrollmentStatusConflictError,
)
from demarches.conservatoire.ports import EnrollmentStore

YEAR = "2026-2027"
T0 = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)
COURSE = Course(
    course_id="contract-course",
    school=School.CONSERVATOIRE,
    discipline="Violon",
    level="cycle_1",
    course_type="instrument",
    teacher=Teacher("ens-1", "Enseignant"),
    slot=WeeklySlot(2, time(14, 0), 60),
    place="Salle 1",
    capacity=2,
    ages=AgeRange(6),
)


def new_request(number: int, *, current_pupil: bool = False) -> Enrollment:
    return rules.new_enrollment(
        enrollment_id=f"contract-{number:04d}",
        course=COURSE,
        school_year=YEAR,
        household_id=f"foyer-{number:04d}",
        person_id=f"p-{number:04d}",
        requested_at=T0 + timedelta(seconds=number),
        requested_by=f"user-{number:04d}",
        current_pupil=current_pupil,
        policy=WaitingListPolicy(reenrolling_pupils_first=True),
    )


class EnrollmentStoreContract:
    @pytest.fixture
    def store(self) -> EnrollmentStore:
        raise NotImplementedError("subclasses return an empty store")

    def test_place_takes_free_places_then_waits(self, store: EnrollmentStore) -> None:
        placements = [store.place(new_request(n), COURSE.capacity) for n in range(1, 5)]
        assert [p.enrollment.status for p in placements] == [
            EnrollmentStatus.REQUESTED,
            EnrollmentStatus.REQUESTED,
            EnrollmentStatus.WAITING,
            EnrollmentStatus.WAITING,
        ]
        assert [p.rank for p in placements] == [None, None, 1, 2]
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).places_held == 2

    def test_place_stores_the_enrollment(self, store: EnrollmentStore) -> None:
        placed = store.place(new_request(1), COURSE.capacity).enrollment
        assert store.get(placed.enrollment_id) == placed
        assert store.list_for_household("foyer-0001", YEAR) == [placed]
        assert store.list_for_person("p-0001", YEAR) == [placed]
        assert store.list_for_course(YEAR, COURSE.course_id) == [placed]

    def test_lists_are_limited_to_school_year(self, store: EnrollmentStore) -> None:
        store.place(new_request(1), COURSE.capacity)
        assert store.list_for_household("foyer-0001", "2027-2028") == []
        assert store.list_for_person("p-0001", "2025-2026") == []

    def test_place_rejects_second_active_enrollment(self, store: EnrollmentStore) -> None:
        store.place(new_request(1), COURSE.capacity)
        duplicate = replace(new_request(2), person_id="p-0001", household_id="foyer-0001")
        with pytest.raises(EnrollmentAlreadyExistsError):
            store.place(duplicate, COURSE.capacity)

    def test_place_rejects_second_request_in_full_course(self, store: EnrollmentStore) -> None:
        for number in (1, 2, 3):
            store.place(new_request(number), COURSE.capacity)
        duplicate = replace(new_request(4), person_id="p-0003", household_id="foyer-0003")
        with pytest.raises(EnrollmentAlreadyExistsError):
            store.place(duplicate, COURSE.capacity)
        assert (
            store.availability(YEAR, {COURSE.course_id: COURSE.capacity})[COURSE.course_id].waiting
            == 1
        )

    def test_current_pupil_ranks_first(self, store: EnrollmentStore) -> None:
        for number in (1, 2, 3):
            store.place(new_request(number), COURSE.capacity)
        pupil = store.place(new_request(4, current_pupil=True), COURSE.capacity)
        assert pupil.rank == 1
        queued = store.get("contract-0003")
        assert queued is not None
        assert store.waiting_rank(queued) == 2

    def test_end_promotes_head_in_same_write(self, store: EnrollmentStore) -> None:
        holder = store.place(new_request(1), COURSE.capacity).enrollment
        store.place(new_request(2), COURSE.capacity)
        head = store.place(new_request(3), COURSE.capacity).enrollment
        store.place(new_request(4), COURSE.capacity)

        cancelled = rules.cancel(holder, actor_id="user-0001", at=T0 + timedelta(days=1))
        promoted = store.end(cancelled, EnrollmentStatus.REQUESTED)
        assert [e.enrollment_id for e in promoted] == [head.enrollment_id]
        assert store.get(head.enrollment_id) == promoted[0]
        assert store.get(holder.enrollment_id) == cancelled
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).places_held == 2

    def test_end_of_last_holder_frees_place(self, store: EnrollmentStore) -> None:
        holder = store.place(new_request(1), COURSE.capacity).enrollment
        refused = rules.refuse(holder, agent_id="agent", reason="Dossier incomplet", at=T0)
        assert store.end(refused, EnrollmentStatus.REQUESTED) == ()
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).places_held == 0

    def test_end_of_waiting_request_promotes_nobody(self, store: EnrollmentStore) -> None:
        for number in range(1, 5):
            store.place(new_request(number), COURSE.capacity)
        waiting = store.get("contract-0003")
        assert waiting is not None

        refused = rules.refuse(waiting, agent_id="agent", reason="Dossier incomplet", at=T0)
        assert store.end(refused, EnrollmentStatus.WAITING) == ()

        last = store.get("contract-0004")
        assert last is not None
        assert store.waiting_rank(last) == 1
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).places_held == 2

    def test_person_may_request_again_after_cancel(self, store: EnrollmentStore) -> None:
        holder = store.place(new_request(1), COURSE.capacity).enrollment
        store.end(rules.cancel(holder, actor_id="user-0001", at=T0), EnrollmentStatus.REQUESTED)

        again = replace(new_request(2), person_id="p-0001", household_id="foyer-0001")
        placed = store.place(again, COURSE.capacity).enrollment
        assert placed.status is EnrollmentStatus.REQUESTED
        assert len(store.list_for_person("p-0001", YEAR)) == 2

    def test_availability_counts_places_and_queue(self, store: EnrollmentStore) -> None:
        for number in range(1, 6):
            store.place(new_request(number), COURSE.capacity)
        holder = store.get("contract-0001")
        assert holder is not None
        store.end(rules.cancel(holder, actor_id="user-0001", at=T0), EnrollmentStatus.REQUESTED)

        found = store.availability(YEAR, {COURSE.course_id: COURSE.capacity, "unused": 9})
        assert found[COURSE.course_id].seats.places_held == 2
        assert found[COURSE.course_id].seats.capacity == 2
        assert found[COURSE.course_id].waiting == 2
        assert found["unused"].seats == CourseSeats(YEAR, "unused", 9, 0)
        assert found["unused"].waiting == 0

    def test_end_with_stale_status_conflicts(self, store: EnrollmentStore) -> None:
        holder = store.place(new_request(1), COURSE.capacity).enrollment
        confirmed = rules.confirm(holder, agent_id="agent", at=T0)
        store.update_status(confirmed, EnrollmentStatus.REQUESTED)
        cancelled = rules.cancel(holder, actor_id="user-0001", at=T0)
        with pytest.raises(EnrollmentStatusConflictError):
            store.end(cancelled, EnrollmentStatus.REQUESTED)

    def test_update_status_with_stale_status_conflicts(self, store: EnrollmentStore) -> None:
        holder = store.place(new_request(1), COURSE.capacity).enrollment
        confirmed = rules.confirm(holder, agent_id="agent", at=T0)
        with pytest.raises(EnrollmentStatusConflictError):
            store.update_status(confirmed, EnrollmentStatus.OFFERED)

    def test_set_capacity_promotes_in_queue_order(self, store: EnrollmentStore) -> None:
        for number in range(1, 6):
            store.place(new_request(number), COURSE.capacity)
        change = store.set_capacity(
            YEAR, COURSE.course_id, capacity=4, default_capacity=COURSE.capacity, at=T0
        )
        assert [e.enrollment_id for e in change.promoted] == ["contract-0003", "contract-0004"]
        assert change.seats.places_held == 4
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).capacity == 4

    def test_set_capacity_below_places_held_conflicts(self, store: EnrollmentStore) -> None:
        store.place(new_request(1), COURSE.capacity)
        store.place(new_request(2), COURSE.capacity)
        with pytest.raises(CapacityBelowPlacesHeldError):
            store.set_capacity(
                YEAR, COURSE.course_id, capacity=1, default_capacity=COURSE.capacity, at=T0
            )

    def test_set_capacity_before_any_request(self, store: EnrollmentStore) -> None:
        change = store.set_capacity(
            YEAR, COURSE.course_id, capacity=7, default_capacity=COURSE.capacity, at=T0
        )
        assert change.promoted == ()
        assert store.place(new_request(1), COURSE.capacity).enrollment.status is (
            EnrollmentStatus.REQUESTED
        )
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).capacity == 7

    def test_concurrent_requests_never_exceed_capacity(self, store: EnrollmentStore) -> None:
        with ThreadPoolExecutor(max_workers=8) as pool:
            placements = list(
                pool.map(lambda n: store.place(new_request(n), COURSE.capacity), range(1, 33))
            )
        holders = [p for p in placements if p.enrollment.status is EnrollmentStatus.REQUESTED]
        queued = [p.enrollment for p in placements if p.rank is not None]
        # Ranks returned at placement depend on thread order, so compare the final ranks.
        ranks = sorted(store.waiting_rank(enrollment) for enrollment in queued)
        assert len(holders) == COURSE.capacity
        assert ranks == list(range(1, 31))
        assert store.seats(YEAR, COURSE.course_id, COURSE.capacity).places_held == 2
