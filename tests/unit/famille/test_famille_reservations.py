from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from demarches.clock import FixedClock
from demarches.famille.activities import ActivityCatalogue, ActivitySettings, CapacityOverride
from demarches.famille.calendar import DeadlineRule, SchoolCalendar
from demarches.famille.errors import ActivityUnknownError, ReservationRequestInvalidError
from demarches.famille.reservations import (
    DayRequest,
    RejectionReason,
    ReservationItem,
    ReservationResult,
    WeeklyPatternRequest,
    book_sessions,
    cancel_sessions,
    evaluate_items,
    expand_request,
)
from tests.unit.famille.memory_store import InMemoryReservationStore

CHILDREN = {"c1": "ecole-a", "c2": "ecole-a", "c3": "ecole-b"}
SEPT_7_NOON = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
THURSDAY = date(2026, 9, 10)


def item(child: str, day: date, activity: str) -> ReservationItem:
    return ReservationItem(child, day, activity)


def test_day_request_expands_each_activity() -> None:
    request = DayRequest("c1", THURSDAY, ("garderie_matin", "cantine"))
    assert expand_request(request) == [
        item("c1", THURSDAY, "garderie_matin"),
        item("c1", THURSDAY, "cantine"),
    ]


def test_day_request_drops_duplicates() -> None:
    request = DayRequest("c1", THURSDAY, ("cantine", "cantine"))
    assert expand_request(request) == [item("c1", THURSDAY, "cantine")]


def test_day_request_needs_an_activity() -> None:
    with pytest.raises(ReservationRequestInvalidError):
        expand_request(DayRequest("c1", THURSDAY, ()))


def test_weekly_pattern_expands_matching_weekdays() -> None:
    request = WeeklyPatternRequest(
        "c1",
        date(2026, 9, 7),
        date(2026, 9, 18),
        {"monday": ("cantine",), "thursday": ("cantine", "garderie_soir")},
    )
    assert expand_request(request) == [
        item("c1", date(2026, 9, 7), "cantine"),
        item("c1", date(2026, 9, 10), "cantine"),
        item("c1", date(2026, 9, 10), "garderie_soir"),
        item("c1", date(2026, 9, 14), "cantine"),
        item("c1", date(2026, 9, 17), "cantine"),
        item("c1", date(2026, 9, 17), "garderie_soir"),
    ]


def test_weekly_pattern_rejects_inverted_period() -> None:
    request = WeeklyPatternRequest(
        "c1", date(2026, 9, 18), date(2026, 9, 7), {"monday": ("cantine",)}
    )
    with pytest.raises(ReservationRequestInvalidError) as caught:
        expand_request(request)
    assert caught.value.field == "last_day"


def test_weekly_pattern_stays_in_school_year() -> None:
    request = WeeklyPatternRequest(
        "c1", date(2027, 6, 1), date(2027, 9, 10), {"monday": ("cantine",)}
    )
    with pytest.raises(ReservationRequestInvalidError, match="2026-2027") as caught:
        expand_request(request)
    assert caught.value.field == "last_day"


def test_weekly_pattern_may_cover_whole_year() -> None:
    request = WeeklyPatternRequest(
        "c1", date(2026, 9, 1), date(2027, 8, 31), {"monday": ("cantine",)}
    )
    assert len(expand_request(request)) == 52


def test_weekly_pattern_needs_an_activity() -> None:
    request = WeeklyPatternRequest("c1", date(2026, 9, 7), date(2026, 9, 18), {"monday": ()})
    with pytest.raises(ReservationRequestInvalidError):
        expand_request(request)


def test_pattern_over_toussaint_rejects_holidays(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue
) -> None:
    request = WeeklyPatternRequest(
        "c1",
        date(2026, 10, 12),
        date(2026, 11, 8),
        {"monday": ("cantine",), "thursday": ("cantine",)},
    )
    decision = evaluate_items(
        expand_request(request),
        action="book",
        at=datetime(2026, 10, 1, 8, 0, tzinfo=UTC),
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
    )
    assert [allowed.day for allowed in decision.allowed] == [
        date(2026, 10, 12),
        date(2026, 10, 15),
        date(2026, 11, 2),
        date(2026, 11, 5),
    ]
    assert [rejected.item.day for rejected in decision.rejected] == [
        date(2026, 10, 19),
        date(2026, 10, 22),
        date(2026, 10, 26),
        date(2026, 10, 29),
    ]
    assert {rejected.reason for rejected in decision.rejected} == {RejectionReason.NOT_SCHOOL_DAY}
    assert {rejected.non_school_reason for rejected in decision.rejected} == {"school_holiday"}


def test_meal_after_deadline_is_rejected_with_deadline(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue
) -> None:
    decision = evaluate_items(
        [item("c1", THURSDAY, "cantine"), item("c1", THURSDAY, "garderie_soir")],
        action="book",
        at=datetime(2026, 9, 8, 8, 0, 1, tzinfo=UTC),
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
    )
    assert decision.allowed == (item("c1", THURSDAY, "garderie_soir"),)
    assert decision.rejected[0].reason is RejectionReason.DEADLINE_PASSED
    assert decision.rejected[0].deadline == datetime(2026, 9, 8, 8, 0, tzinfo=UTC)


def test_unregistered_child_is_rejected(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue
) -> None:
    decision = evaluate_items(
        [item("stranger", THURSDAY, "cantine")],
        action="book",
        at=SEPT_7_NOON,
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
    )
    assert decision.rejected[0].reason is RejectionReason.CHILD_NOT_REGISTERED


def test_unknown_activity_is_rejected(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue
) -> None:
    decision = evaluate_items(
        [item("c1", THURSDAY, "piscine")],
        action="book",
        at=SEPT_7_NOON,
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
    )
    assert decision.rejected[0].reason is RejectionReason.ACTIVITY_UNKNOWN


def test_day_beyond_calendar_data_is_rejected(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue
) -> None:
    decision = evaluate_items(
        [item("c1", date(2028, 9, 4), "cantine")],
        action="book",
        at=SEPT_7_NOON,
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
    )
    assert decision.rejected[0].reason is RejectionReason.SCHOOL_CALENDAR_UNKNOWN


def test_activity_outside_its_weekdays_is_rejected(calendar: SchoolCalendar) -> None:
    friday_off = ActivitySettings(
        code="etude",
        label="Étude surveillée",
        booking_deadline=DeadlineRule(days_before=1, day_kind="calendar", at=time(18, 0)),
        weekdays=frozenset({"monday", "tuesday", "thursday"}),
        default_capacity=20,
    )
    decision = evaluate_items(
        [item("c1", date(2026, 9, 11), "etude"), item("c1", THURSDAY, "etude")],
        action="book",
        at=SEPT_7_NOON,
        children=CHILDREN,
        calendar=calendar,
        catalogue=ActivityCatalogue([friday_off]),
    )
    assert decision.allowed == (item("c1", THURSDAY, "etude"),)
    assert decision.rejected[0].reason is RejectionReason.ACTIVITY_NOT_RUNNING


def capacity_one_catalogue(catalogue: ActivityCatalogue) -> ActivityCatalogue:
    cantine = catalogue.get("cantine").model_copy(
        update={
            "capacity_overrides": (CapacityOverride(school_id="ecole-a", day=THURSDAY, capacity=1),)
        }
    )
    return ActivityCatalogue([cantine])


def test_booking_writes_allowed_items(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    result = book_sessions(
        [DayRequest("c1", THURSDAY, ("cantine", "garderie_soir"))],
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
        store=store,
        clock=FixedClock(SEPT_7_NOON),
    )
    assert result.done == (item("c1", THURSDAY, "cantine"), item("c1", THURSDAY, "garderie_soir"))
    assert result.rejected == ()
    assert store.counters[("ecole-a", THURSDAY, "cantine")] == 1


def test_full_session_is_rejected(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    result = book_sessions(
        [DayRequest("c1", THURSDAY, ("cantine",)), DayRequest("c2", THURSDAY, ("cantine",))],
        children=CHILDREN,
        calendar=calendar,
        catalogue=capacity_one_catalogue(catalogue),
        store=store,
        clock=FixedClock(SEPT_7_NOON),
    )
    assert result.done == (item("c1", THURSDAY, "cantine"),)
    assert result.rejected[0].item == item("c2", THURSDAY, "cantine")
    assert result.rejected[0].reason is RejectionReason.FULL


def test_capacity_is_per_school(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    result = book_sessions(
        [DayRequest("c1", THURSDAY, ("cantine",)), DayRequest("c3", THURSDAY, ("cantine",))],
        children=CHILDREN,
        calendar=calendar,
        catalogue=capacity_one_catalogue(catalogue),
        store=store,
        clock=FixedClock(SEPT_7_NOON),
    )
    assert len(result.done) == 2


def test_second_booking_reports_already_booked(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    requests = [DayRequest("c1", THURSDAY, ("cantine",))]
    clock = FixedClock(SEPT_7_NOON)
    book_sessions(
        requests,
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
        store=store,
        clock=clock,
    )
    again = book_sessions(
        requests,
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
        store=store,
        clock=clock,
    )
    assert again.done == ()
    assert again.rejected[0].reason is RejectionReason.ALREADY_BOOKED
    assert store.counters[("ecole-a", THURSDAY, "cantine")] == 1


def test_cancellation_frees_the_place(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    small = capacity_one_catalogue(catalogue)
    clock = FixedClock(SEPT_7_NOON)

    def book(child: str) -> ReservationResult:
        return book_sessions(
            [DayRequest(child, THURSDAY, ("cantine",))],
            children=CHILDREN,
            calendar=calendar,
            catalogue=small,
            store=store,
            clock=clock,
        )

    book("c1")
    cancelled = cancel_sessions(
        [item("c1", THURSDAY, "cantine")],
        children=CHILDREN,
        calendar=calendar,
        catalogue=small,
        store=store,
        clock=clock,
    )
    rebooked = book("c2")
    assert cancelled.done == (item("c1", THURSDAY, "cantine"),)
    assert rebooked.done == (item("c2", THURSDAY, "cantine"),)


def test_cancellation_after_deadline_is_rejected(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    book_sessions(
        [DayRequest("c1", THURSDAY, ("cantine",))],
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
        store=store,
        clock=FixedClock(SEPT_7_NOON),
    )
    late = cancel_sessions(
        [item("c1", THURSDAY, "cantine")],
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
        store=store,
        clock=FixedClock(datetime(2026, 9, 8, 8, 0, tzinfo=UTC)),
    )
    assert late.done == ()
    assert late.rejected[0].reason is RejectionReason.DEADLINE_PASSED
    assert item("c1", THURSDAY, "cantine") in store.booked


def test_cancelling_unbooked_item_reports_not_booked(
    calendar: SchoolCalendar, catalogue: ActivityCatalogue, store: InMemoryReservationStore
) -> None:
    result = cancel_sessions(
        [item("c1", THURSDAY, "cantine")],
        children=CHILDREN,
        calendar=calendar,
        catalogue=catalogue,
        store=store,
        clock=FixedClock(SEPT_7_NOON),
    )
    assert result.rejected[0].reason is RejectionReason.NOT_BOOKED


def test_separate_cancellation_deadline_applies(calendar: SchoolCalendar) -> None:
    activity = ActivitySettings(
        code="cantine",
        label="Cantine",
        booking_deadline=DeadlineRule(days_before=2, day_kind="working", at=time(10, 0)),
        cancellation_deadline=DeadlineRule(days_before=1, day_kind="working", at=time(9, 0)),
        default_capacity=100,
    )
    decision = evaluate_items(
        [item("c1", THURSDAY, "cantine")],
        action="cancel",
        at=datetime(2026, 9, 9, 6, 59, 59, tzinfo=UTC),
        children=CHILDREN,
        calendar=calendar,
        catalogue=ActivityCatalogue([activity]),
    )
    assert decision.allowed == (item("c1", THURSDAY, "cantine"),)


def test_capacity_precedence() -> None:
    activity = ActivitySettings(
        code="cantine",
        label="Cantine",
        booking_deadline=DeadlineRule(days_before=2, day_kind="working", at=time(10, 0)),
        default_capacity=100,
        capacity_by_school={"ecole-a": 80},
        capacity_by_school_weekday={"ecole-a": {"friday": 60}},
        capacity_overrides=(
            CapacityOverride(school_id="ecole-a", day=date(2026, 9, 11), capacity=10),
        ),
    )
    assert activity.capacity("ecole-b", THURSDAY) == 100
    assert activity.capacity("ecole-a", THURSDAY) == 80
    assert activity.capacity("ecole-a", date(2026, 9, 18)) == 60
    assert activity.capacity("ecole-a", date(2026, 9, 11)) == 10


def test_catalogue_rejects_unknown_code(catalogue: ActivityCatalogue) -> None:
    with pytest.raises(ActivityUnknownError) as caught:
        catalogue.get("piscine")
    assert "garderie_matin" in caught.value.message


def test_catalogue_keeps_display_order(catalogue: ActivityCatalogue) -> None:
    assert catalogue.codes == ("garderie_matin", "cantine", "garderie_soir")
