"""Reservations of periscolaire sessions: requests, their expansion into items, the checks of
calendar and deadlines, and the booking port whose conditional write enforces capacity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from demarches.clock import Clock
from demarches.famille.activities import ActivityCatalogue
from demarches.famille.calendar import SchoolCalendar, Weekday, weekday_of
from demarches.famille.errors import ReservationRequestInvalidError, SchoolCalendarUnknownError
from demarches.famille.school_year import SchoolYear

Action = Literal["book", "cancel"]


@dataclass(frozen=True, order=True)
class ReservationItem:
    """One session of one child: the unit that is booked, cancelled, attended and invoiced."""

    child_id: str
    day: date
    activity: str


@dataclass(frozen=True)
class DayRequest:
    """Sessions of one child on one day."""

    child_id: str
    day: date
    activities: tuple[str, ...]


@dataclass(frozen=True)
class WeeklyPatternRequest:
    """The same activities on the same weekdays of every week from ``first_day`` to
    ``last_day`` (both included), e.g. cantine every Monday and Thursday of a term."""

    child_id: str
    first_day: date
    last_day: date
    pattern: Mapping[Weekday, tuple[str, ...]]


ReservationRequest = DayRequest | WeeklyPatternRequest


class RejectionReason(StrEnum):
    CHILD_NOT_REGISTERED = "child_not_registered"
    ACTIVITY_UNKNOWN = "activity_unknown"
    NOT_SCHOOL_DAY = "not_school_day"
    ACTIVITY_NOT_RUNNING = "activity_not_running"
    SCHOOL_CALENDAR_UNKNOWN = "school_calendar_unknown"
    DEADLINE_PASSED = "deadline_passed"
    FULL = "full"
    ALREADY_BOOKED = "already_booked"
    NOT_BOOKED = "not_booked"


@dataclass(frozen=True)
class RejectedItem:
    """An item that was not booked or cancelled, with a stable reason code.

    ``deadline`` is set for ``deadline_passed`` and ``non_school_reason`` for
    ``not_school_day`` (one of ``NonSchoolDayReason``).
    """

    item: ReservationItem
    reason: RejectionReason
    deadline: datetime | None = None
    non_school_reason: str | None = None


@dataclass(frozen=True)
class ReservationDecision:
    """Items that passed the checks (``allowed``) and those rejected, each in request order."""

    allowed: tuple[ReservationItem, ...]
    rejected: tuple[RejectedItem, ...]


def expand_request(request: ReservationRequest) -> list[ReservationItem]:
    """Expand a request into concrete (child, day, activity) items, without duplicates.

    Every matching date is listed, holidays included: the checks that follow report the days
    without school instead of dropping them silently.
    """
    if isinstance(request, DayRequest):
        if not request.activities:
            raise ReservationRequestInvalidError("choose at least one activity", field="activities")
        items = [
            ReservationItem(request.child_id, request.day, code) for code in request.activities
        ]
        return list(dict.fromkeys(items))

    if request.last_day < request.first_day:
        raise ReservationRequestInvalidError(
            f"the period ends ({request.last_day.isoformat()}) before it starts "
            f"({request.first_day.isoformat()})",
            field="last_day",
        )
    # One school year at most: the children's schools come from that year's registration, and
    # one request cannot book years ahead.
    school_year = SchoolYear.containing(request.first_day)
    if not school_year.contains(request.last_day):
        raise ReservationRequestInvalidError(
            f"the period {request.first_day.isoformat()} to {request.last_day.isoformat()} "
            f"goes past the end of the school year {school_year} "
            f"({school_year.last_day.isoformat()}): split it by school year",
            field="last_day",
        )
    if not any(request.pattern.values()):
        raise ReservationRequestInvalidError(
            "choose at least one activity on one weekday", field="pattern"
        )
    items = []
    day = request.first_day
    while day <= request.last_day:
        for code in request.pattern.get(weekday_of(day), ()):
            items.append(ReservationItem(request.child_id, day, code))
        day += timedelta(days=1)
    return list(dict.fromkeys(items))


def _rejection(
    item: ReservationItem,
    action: Action,
    at: datetime,
    children: Mapping[str, str],
    calendar: SchoolCalendar,
    catalogue: ActivityCatalogue,
) -> RejectedItem | None:
    if item.child_id not in children:
        return RejectedItem(item, RejectionReason.CHILD_NOT_REGISTERED)
    if item.activity not in catalogue:
        return RejectedItem(item, RejectionReason.ACTIVITY_UNKNOWN)
    activity = catalogue.get(item.activity)

    try:
        non_school = calendar.non_school_reason(item.day)
    except SchoolCalendarUnknownError:
        return RejectedItem(item, RejectionReason.SCHOOL_CALENDAR_UNKNOWN)
    if non_school is not None:
        return RejectedItem(
            item, RejectionReason.NOT_SCHOOL_DAY, non_school_reason=non_school.value
        )
    if not activity.runs_on(item.day):
        return RejectedItem(item, RejectionReason.ACTIVITY_NOT_RUNNING)

    if action == "book":
        rule = activity.booking_deadline
    else:
        rule = activity.effective_cancellation_deadline
    window = calendar.check_action(item.day, rule, at)
    if not window.allowed:
        return RejectedItem(item, RejectionReason.DEADLINE_PASSED, deadline=window.deadline)
    return None


def evaluate_items(
    items: Iterable[ReservationItem],
    *,
    action: Action,
    at: datetime,
    children: Mapping[str, str],
    calendar: SchoolCalendar,
    catalogue: ActivityCatalogue,
) -> ReservationDecision:
    """Check each item against registration, catalogue, school calendar and deadline.

    ``children`` maps each child of the household's validated registration, for the school
    year of the items, to its school id.
    Capacity is not checked here: the store checks it in the same atomic write that books.
    """
    allowed: list[ReservationItem] = []
    rejected: list[RejectedItem] = []
    for item in items:
        rejection = _rejection(item, action, at, children, calendar, catalogue)
        if rejection is None:
            allowed.append(item)
        else:
            rejected.append(rejection)
    return ReservationDecision(tuple(allowed), tuple(rejected))


class BookingOutcome(StrEnum):
    BOOKED = "booked"
    FULL = "full"
    ALREADY_BOOKED = "already_booked"


class CancellationOutcome(StrEnum):
    CANCELLED = "cancelled"
    NOT_BOOKED = "not_booked"


class ReservationStore(Protocol):
    """Storage of reservations, where capacity is enforced.

    Capacity is a safety limit that must hold under any concurrency, so a check followed by a
    write is not enough: each booking is one conditional write.
    """

    def book(
        self, item: ReservationItem, *, school_id: str, capacity: int, booked_at: datetime
    ) -> BookingOutcome:
        """Book one item atomically, in one conditional write.

        The write increments the session counter of (school_id, day, activity) only while it is
        below ``capacity`` and stores the item only if it is not booked yet. Returns FULL or
        ALREADY_BOOKED instead of writing when a condition fails. A retried call for an item
        already booked returns ALREADY_BOOKED and leaves the counter unchanged.
        """
        ...

    def cancel(self, item: ReservationItem, *, cancelled_at: datetime) -> CancellationOutcome:
        """Cancel one booked item atomically and free its place in the session counter.

        Returns NOT_BOOKED when the item is not currently booked.
        """
        ...


@dataclass(frozen=True)
class ReservationResult:
    """Items written (``done``: booked or cancelled) and items rejected, with their reasons."""

    done: tuple[ReservationItem, ...]
    rejected: tuple[RejectedItem, ...]


def book_sessions(
    requests: Iterable[ReservationRequest],
    *,
    children: Mapping[str, str],
    calendar: SchoolCalendar,
    catalogue: ActivityCatalogue,
    store: ReservationStore,
    clock: Clock,
) -> ReservationResult:
    """Book the sessions a parent requested, one atomic write per allowed item.

    Items are checked at one instant taken before the first write, so a request sent before a
    deadline is judged as of its arrival even if writing its items takes longer.
    """
    now = clock.now()
    items = list(dict.fromkeys(item for request in requests for item in expand_request(request)))
    decision = evaluate_items(
        items, action="book", at=now, children=children, calendar=calendar, catalogue=catalogue
    )

    booked: list[ReservationItem] = []
    rejected = list(decision.rejected)
    for item in decision.allowed:
        school_id = children[item.child_id]
        capacity = catalogue.get(item.activity).capacity(school_id, item.day)
        outcome = store.book(item, school_id=school_id, capacity=capacity, booked_at=now)
        if outcome is BookingOutcome.BOOKED:
            booked.append(item)
        elif outcome is BookingOutcome.FULL:
            rejected.append(RejectedItem(item, RejectionReason.FULL))
        else:
            rejected.append(RejectedItem(item, RejectionReason.ALREADY_BOOKED))
    return ReservationResult(tuple(booked), tuple(rejected))


def cancel_sessions(
    items: Iterable[ReservationItem],
    *,
    children: Mapping[str, str],
    calendar: SchoolCalendar,
    catalogue: ActivityCatalogue,
    store: ReservationStore,
    clock: Clock,
) -> ReservationResult:
    """Cancel booked sessions whose cancellation deadline has not passed."""
    now = clock.now()
    decision = evaluate_items(
        dict.fromkeys(items),
        action="cancel",
        at=now,
        children=children,
        calendar=calendar,
        catalogue=catalogue,
    )

    cancelled: list[ReservationItem] = []
    rejected = list(decision.rejected)
    for item in decision.allowed:
        if store.cancel(item, cancelled_at=now) is CancellationOutcome.CANCELLED:
            cancelled.append(item)
        else:
            rejected.append(RejectedItem(item, RejectionReason.NOT_BOOKED))
    return ReservationResult(tuple(cancelled), tuple(rejected))
