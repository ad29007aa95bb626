from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demarches.conservatoire import enrollment as rules
from demarches.conservatoire.catalogue import Course, School
from demarches.conservatoire.config import YearConfig
from demarches.conservatoire.enrollment import (
    WAITING_LIST_ACTOR,
    CourseSeats,
    Enrollment,
    EnrollmentStatus,
    EventKind,
    WaitingListPolicy,
)
from demarches.conservatoire.errors import (
    CapacityBelowPlacesHeldError,
    CapacityInvalidError,
    EnrollmentStatusConflictError,
    RefusalReasonInvalidError,
)

T0 = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)
PRIORITY = WaitingListPolicy(reenrolling_pupils_first=True)
FIFO = WaitingListPolicy(reenrolling_pupils_first=False)


@pytest.fixture
def course(config: YearConfig) -> Course:
    return config.catalogue.course("cons-violon-c1")


def request(
    course: Course,
    number: int,
    *,
    seconds: float = 0,
    current_pupil: bool = False,
    policy: WaitingListPolicy = PRIORITY,
) -> Enrollment:
    return rules.new_enrollment(
        enrollment_id=f"ins-{number:03d}",
        course=course,
        school_year="2026-2027",
        household_id=f"foyer-{number:03d}",
        person_id=f"p-{number:03d}",
        requested_at=T0 + timedelta(seconds=seconds),
        requested_by=f"user-{number:03d}",
        current_pupil=current_pupil,
        policy=policy,
    )


def seats(capacity: int, held: int) -> CourseSeats:
    return CourseSeats("2026-2027", "cons-violon-c1", capacity, held)


def waiting(enrollment: Enrollment) -> Enrollment:
    return replace(enrollment, status=EnrollmentStatus.WAITING)


def test_new_request_is_requested_in_utc(course: Course) -> None:
    made = request(course, 1)
    assert made.status is EnrollmentStatus.REQUESTED
    assert made.requested_at.tzinfo is UTC
    assert made.school is School.CONSERVATOIRE
    assert made.status_changed_by == "user-001"


def test_new_request_rejects_naive_instant(course: Course) -> None:
    with pytest.raises(ValueError, match="aware"):
        rules.new_enrollment(
            enrollment_id="x",
            course=course,
            school_year="2026-2027",
            household_id="h",
            person_id="p",
            requested_at=datetime(2026, 6, 15, 9, 0),
            requested_by="u",
            current_pupil=False,
            policy=FIFO,
        )


def test_queue_key_orders_by_request_instant(course: Course) -> None:
    early = request(course, 2, seconds=0.000001)
    late = request(course, 1, seconds=0.000002)
    assert early.queue_key < late.queue_key


def test_queue_key_puts_current_pupils_first_when_configured(course: Course) -> None:
    newcomer = request(course, 1, seconds=0)
    pupil = request(course, 2, seconds=3600, current_pupil=True)
    assert pupil.queue_key < newcomer.queue_key


def test_queue_key_ignores_pupils_without_priority(course: Course) -> None:
    newcomer = request(course, 1, seconds=0, policy=FIFO)
    pupil = request(course, 2, seconds=3600, current_pupil=True, policy=FIFO)
    assert newcomer.queue_key < pupil.queue_key


def test_queue_key_breaks_same_instant_ties_by_id(course: Course) -> None:
    first = request(course, 1)
    second = request(course, 2)
    assert first.queue_key < second.queue_key


def test_place_request_takes_free_place(course: Course) -> None:
    outcome = rules.place_request(seats(2, 1), [], request(course, 1))
    assert outcome.seats.places_held == 2
    assert outcome.changed[0].status is EnrollmentStatus.REQUESTED
    assert [e.kind for e in outcome.events] == [EventKind.PLACE_RESERVED]


def test_place_request_waits_when_full(course: Course) -> None:
    queue = [waiting(request(course, 1)), waiting(request(course, 2, seconds=1))]
    outcome = rules.place_request(seats(2, 2), queue, request(course, 3, seconds=2))
    assert outcome.seats.places_held == 2
    assert outcome.changed[0].status is EnrollmentStatus.WAITING
    assert outcome.events[0].kind is EventKind.WAITING_LIST_JOINED
    assert outcome.events[0].rank == 3


def test_place_request_ranks_current_pupil_before_newcomers(course: Course) -> None:
    queue = [waiting(request(course, 1)), waiting(request(course, 2, seconds=1))]
    pupil = request(course, 3, seconds=2, current_pupil=True)
    outcome = rules.place_request(seats(2, 2), queue, pupil)
    assert outcome.events[0].rank == 1


def test_place_request_rejects_already_placed_request(course: Course) -> None:
    with pytest.raises(ValueError, match="new request"):
        rules.place_request(seats(2, 0), [], waiting(request(course, 1)))


def test_waiting_rank_ignores_non_waiting_enrollments(course: Course) -> None:
    holder = request(course, 1)
    queued = waiting(request(course, 2, seconds=1))
    assert rules.waiting_rank([holder, queued], queued) == 1


def test_order_waiting_list_puts_head_first(course: Course) -> None:
    late = waiting(request(course, 1, seconds=5))
    early = waiting(request(course, 2, seconds=1))
    pupil = waiting(request(course, 3, seconds=9, current_pupil=True))
    holder = request(course, 4)
    ordered = rules.order_waiting_list([late, holder, early, pupil])
    assert [e.enrollment_id for e in ordered] == ["ins-003", "ins-002", "ins-001"]


def test_end_of_holder_promotes_head_of_queue(course: Course) -> None:
    holder = request(course, 1)
    queue = [waiting(request(course, 3, seconds=2)), waiting(request(course, 2, seconds=1))]
    cancelled = rules.cancel(holder, actor_id="user-001", at=T0 + timedelta(days=1))
    outcome = rules.end_enrollment(
        seats(1, 1), queue, previous=holder, ended=cancelled, at=cancelled.status_changed_at
    )
    assert outcome.seats.places_held == 1
    assert [e.enrollment_id for e in outcome.changed] == ["ins-001", "ins-002"]
    assert outcome.changed[1].status is EnrollmentStatus.OFFERED
    assert [e.kind for e in outcome.events] == [
        EventKind.ENROLLMENT_CANCELLED,
        EventKind.PLACE_OFFERED,
    ]


def test_end_of_holder_without_queue_frees_place(course: Course) -> None:
    holder = request(course, 1)
    cancelled = rules.cancel(holder, actor_id="user-001", at=T0)
    outcome = rules.end_enrollment(seats(3, 2), [], previous=holder, ended=cancelled, at=T0)
    assert outcome.seats.places_held == 1
    assert outcome.changed == (cancelled,)


def test_end_of_waiting_enrollment_promotes_nobody(course: Course) -> None:
    first = waiting(request(course, 1))
    second = waiting(request(course, 2, seconds=1))
    refused = rules.refuse(first, agent_id="agent", reason="Âge non conforme", at=T0)
    outcome = rules.end_enrollment(
        seats(2, 2), [first, second], previous=first, ended=refused, at=T0
    )
    assert outcome.seats.places_held == 2
    assert outcome.changed == (refused,)
    assert outcome.events[0].reason == "Âge non conforme"


def test_end_enrollment_rejects_other_statuses(course: Course) -> None:
    holder = request(course, 1)
    with pytest.raises(ValueError, match="refused or cancelled"):
        rules.end_enrollment(seats(1, 1), [], previous=holder, ended=holder, at=T0)


def test_resize_promotes_several_requests_in_order(course: Course) -> None:
    queue = [waiting(request(course, n, seconds=n)) for n in (3, 1, 2)]
    outcome = rules.resize(seats(2, 2), queue, capacity=4, at=T0)
    assert outcome.seats == seats(4, 4)
    assert [e.enrollment_id for e in outcome.changed] == ["ins-001", "ins-002"]
    assert all(e.status is EnrollmentStatus.OFFERED for e in outcome.changed)
    assert [e.kind for e in outcome.events] == [EventKind.PLACE_OFFERED] * 2


def test_resize_beyond_queue_leaves_free_places(course: Course) -> None:
    outcome = rules.resize(seats(2, 2), [waiting(request(course, 1))], capacity=6, at=T0)
    assert outcome.seats.places_held == 3
    assert outcome.seats.free_places == 3


def test_resize_down_to_places_held_promotes_nobody(course: Course) -> None:
    outcome = rules.resize(seats(6, 4), [waiting(request(course, 1))], capacity=4, at=T0)
    assert outcome.seats == seats(4, 4)
    assert outcome.changed == ()


def test_resize_below_places_held_raises_conflict() -> None:
    with pytest.raises(CapacityBelowPlacesHeldError) as caught:
        rules.resize(seats(6, 4), [], capacity=3, at=T0)
    assert caught.value.code == "capacity_below_places_held"
    assert caught.value.details == {"places_held": 4}


@pytest.mark.parametrize("capacity", [-1, rules.MAX_CAPACITY + 1])
def test_resize_rejects_capacity_out_of_range(capacity: int) -> None:
    with pytest.raises(CapacityInvalidError):
        rules.resize(seats(6, 0), [], capacity=capacity, at=T0)


@pytest.mark.parametrize("status", [EnrollmentStatus.REQUESTED, EnrollmentStatus.OFFERED])
def test_confirm_accepts_place_holders(course: Course, status: EnrollmentStatus) -> None:
    held = replace(request(course, 1), status=status)
    confirmed = rules.confirm(held, agent_id="agent", at=T0 + timedelta(days=2))
    assert confirmed.status is EnrollmentStatus.CONFIRMED
    assert confirmed.status_changed_by == "agent"
    assert confirmed.status_changed_at == T0 + timedelta(days=2)


@pytest.mark.parametrize(
    "status",
    [EnrollmentStatus.WAITING, EnrollmentStatus.CANCELLED, EnrollmentStatus.REFUSED],
)
def test_confirm_rejects_other_statuses(course: Course, status: EnrollmentStatus) -> None:
    other = replace(request(course, 1), status=status)
    with pytest.raises(EnrollmentStatusConflictError) as caught:
        rules.confirm(other, agent_id="agent", at=T0)
    assert caught.value.details["status"] == status.value


def test_cancel_accepts_confirmed_enrollment(course: Course) -> None:
    confirmed = replace(request(course, 1), status=EnrollmentStatus.CONFIRMED)
    assert rules.cancel(confirmed, actor_id="u", at=T0).status is EnrollmentStatus.CANCELLED


def test_cancel_twice_raises_conflict(course: Course) -> None:
    cancelled = rules.cancel(request(course, 1), actor_id="u", at=T0)
    with pytest.raises(EnrollmentStatusConflictError):
        rules.cancel(cancelled, actor_id="u", at=T0)


def test_refuse_confirmed_enrollment_raises_conflict(course: Course) -> None:
    confirmed = replace(request(course, 1), status=EnrollmentStatus.CONFIRMED)
    with pytest.raises(EnrollmentStatusConflictError):
        rules.refuse(confirmed, agent_id="agent", reason="Dossier incomplet", at=T0)


@pytest.mark.parametrize("reason", ["", "   ", "x" * (rules.MAX_REASON_LENGTH + 1)])
def test_refuse_requires_short_reason(course: Course, reason: str) -> None:
    with pytest.raises(RefusalReasonInvalidError) as caught:
        rules.refuse(request(course, 1), agent_id="agent", reason=reason, at=T0)
    assert caught.value.field == "reason"


def test_refuse_strips_reason(course: Course) -> None:
    refused = rules.refuse(request(course, 1), agent_id="a", reason="  Complet.  ", at=T0)
    assert refused.refusal_reason == "Complet."


def test_offer_place_records_waiting_list_as_author(course: Course) -> None:
    offered = rules.offer_place(waiting(request(course, 1)), at=T0)
    assert offered.status_changed_by == WAITING_LIST_ACTOR


def test_offer_place_rejects_holder(course: Course) -> None:
    with pytest.raises(EnrollmentStatusConflictError):
        rules.offer_place(request(course, 1), at=T0)


def test_event_for_holder_has_no_rank(course: Course) -> None:
    assert rules.event_for(request(course, 1), rank=4).rank is None


def test_status_properties() -> None:
    assert EnrollmentStatus.OFFERED.holds_place
    assert not EnrollmentStatus.WAITING.holds_place
    assert EnrollmentStatus.WAITING.is_active
    assert not EnrollmentStatus.CANCELLED.is_active


def test_is_current_pupil_needs_confirmed_enrollment_in_school(course: Course) -> None:
    confirmed = replace(request(course, 1), status=EnrollmentStatus.CONFIRMED)
    cancelled = replace(confirmed, status=EnrollmentStatus.CANCELLED)
    assert rules.is_current_pupil([confirmed], School.CONSERVATOIRE)
    assert not rules.is_current_pupil([confirmed], School.ATELIER_ART)
    assert not rules.is_current_pupil([cancelled], School.CONSERVATOIRE)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("request"), st.booleans()),
        st.tuples(st.just("end"), st.integers(0, 50)),
        st.tuples(st.just("resize"), st.integers(0, 8)),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(capacity=st.integers(0, 5), steps=operations)
def test_places_never_exceed_capacity_and_never_idle(
    config: YearConfig, capacity: int, steps: list[tuple[str, int]]
) -> None:
    """Any sequence of requests, ends and resizes keeps two invariants.

    Places held never exceed capacity, and a free place never coexists with a waiting request.
    """
    course = config.catalogue.course("cons-violon-c1")
    state = seats(capacity, 0)
    stored: dict[str, Enrollment] = {}
    for number, (action, value) in enumerate(steps):
        at = T0 + timedelta(seconds=number)
        active = [e for e in stored.values() if e.status.is_active]
        if action == "request":
            made = request(course, number, seconds=number, current_pupil=bool(value))
            outcome = rules.place_request(state, active, made)
        elif action == "end" and active:
            previous = active[value % len(active)]
            ended = rules.cancel(previous, actor_id="u", at=at)
            outcome = rules.end_enrollment(state, active, previous=previous, ended=ended, at=at)
        elif action == "resize" and value >= state.places_held:
            outcome = rules.resize(state, active, capacity=value, at=at)
        else:
            continue
        state = outcome.seats
        stored.update({e.enrollment_id: e for e in outcome.changed})

        holders = sum(1 for e in stored.values() if e.status.holds_place)
        queued = sum(1 for e in stored.values() if e.status is EnrollmentStatus.WAITING)
        assert state.places_held == holders
        assert holders <= state.capacity
        assert state.free_places == 0 or queued == 0
