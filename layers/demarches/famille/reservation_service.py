"""Use cases of reservations: the family books and cancels sessions of its registered
children, the agents read who is expected and record attendance."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from demarches.clock import Clock
from demarches.famille.activities import ActivityCatalogue
from demarches.famille.calendar import SchoolCalendar
from demarches.famille.errors import ChildNotFoundError, ReservationRequestInvalidError
from demarches.famille.month_calendar import MonthCalendar
from demarches.famille.ports import (
    ChildDetails,
    ExpectedChild,
    ReservationLedger,
    SessionCount,
    StoredReservation,
)
from demarches.famille.registration import RegistrationStatus
from demarches.famille.registration_service import RegistrationService
from demarches.famille.reservations import (
    DayRequest,
    ReservationRequest,
    ReservationResult,
    book_sessions,
    cancel_sessions,
    expand_request,
)
from demarches.famille.school_year import Month, SchoolYear

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AttendanceResult:
    """Children whose attendance was recorded, and those not booked on the session."""

    recorded: tuple[str, ...]
    not_booked: tuple[str, ...]


def _first_day(request: ReservationRequest) -> date:
    return request.day if isinstance(request, DayRequest) else request.first_day


class ReservationService:
    def __init__(
        self,
        *,
        registrations: RegistrationService,
        ledger: ReservationLedger,
        calendar: SchoolCalendar,
        catalogue: ActivityCatalogue,
        clock: Clock,
    ) -> None:
        self._registrations = registrations
        self._ledger = ledger
        self._calendar = calendar
        self._catalogue = catalogue
        self._clock = clock

    def _registered_children(
        self, household_id: str, requests: Sequence[ReservationRequest]
    ) -> tuple[dict[str, str], dict[str, ChildDetails]]:
        """Return the schools and details of the children the household's validated
        registration covers, for the one school year of ``requests``.

        A child id that is not a child of the caller's household is not found (404), whether
        it exists elsewhere or not. A child of the household without a validated registration
        gets no school, so each of its items is rejected as ``child_not_registered``.
        """
        household = self._registrations.household(household_id)
        own_children = {p.person_id for p in household.persons if p.role == "child"}
        for request in requests:
            if request.child_id not in own_children:
                raise ChildNotFoundError(
                    f"no child {request.child_id} in your household", field="child_id"
                )
        years = {SchoolYear.containing(_first_day(request)) for request in requests}
        if len(years) != 1:
            raise ReservationRequestInvalidError(
                "a request covers one school year: split it by school year", field="days"
            )

        stored = self._registrations.find(household_id, years.pop())
        if stored is None or stored.registration.status is not RegistrationStatus.VALIDATED:
            return {}, {}
        registration = stored.registration
        details = {
            child.child_id: ChildDetails(
                child.school_id, child.first_name, child.last_name, child.pai
            )
            for child in registration.children
        }
        return registration.children_schools(), details

    def book(self, household_id: str, requests: Sequence[ReservationRequest]) -> ReservationResult:
        schools, details = self._registered_children(household_id, requests)
        result = book_sessions(
            requests,
            children=schools,
            calendar=self._calendar,
            catalogue=self._catalogue,
            store=self._ledger.store_for(household_id, details),
            clock=self._clock,
        )
        logger.info(
            "sessions booked",
            extra={
                "household_id": household_id,
                "booked": len(result.done),
                "rejected": len(result.rejected),
            },
        )
        return result

    def cancel(
        self, household_id: str, requests: Sequence[ReservationRequest]
    ) -> ReservationResult:
        schools, details = self._registered_children(household_id, requests)
        items = [item for request in requests for item in expand_request(request)]
        result = cancel_sessions(
            items,
            children=schools,
            calendar=self._calendar,
            catalogue=self._catalogue,
            store=self._ledger.store_for(household_id, details),
            clock=self._clock,
        )
        logger.info(
            "sessions cancelled",
            extra={
                "household_id": household_id,
                "cancelled": len(result.done),
                "rejected": len(result.rejected),
            },
        )
        return result

    def calendar(self) -> MonthCalendar:
        """Return the use case of a child's month, built on this service's dependencies."""
        return MonthCalendar(
            registrations=self._registrations,
            ledger=self._ledger,
            calendar=self._calendar,
            catalogue=self._catalogue,
            clock=self._clock,
        )

    def month(self, household_id: str, month: Month) -> list[StoredReservation]:
        return self._ledger.household_month(household_id, month)

    def expected(self, school_id: str, day: date, activity: str) -> list[ExpectedChild]:
        self._catalogue.get(activity)
        children = self._ledger.expected(school_id, day, activity)
        return sorted(children, key=lambda c: (c.last_name, c.first_name, c.child_id))

    def session_counts(self, day: date) -> list[SessionCount]:
        counts = self._ledger.session_counts(day)
        return sorted(counts, key=lambda c: (c.school_id, self._catalogue.position(c.activity)))

    def record_attendance(
        self,
        school_id: str,
        day: date,
        activity: str,
        *,
        present: Collection[str],
        absent: Collection[str],
        excused: Collection[str],
    ) -> AttendanceResult:
        """Record who came to a session. ``excused`` absences are not invoiced.

        Only children booked on the session can be marked; the others are returned as
        ``not_booked``.
        """
        marks = {child: True for child in present}
        marks.update({child: False for child in [*absent, *excused]})
        if len(marks) != len(present) + len(absent) + len(excused):
            raise ReservationRequestInvalidError(
                "a child is listed twice: mark each child present, absent or excused once",
                field="present",
            )
        booked = {
            child.child_id: child for child in self._ledger.expected(school_id, day, activity)
        }
        recorded: list[str] = []
        for child_id, attended in marks.items():
            child = booked.get(child_id)
            if child is None:
                continue
            self._ledger.mark_attendance(
                child, day=day, activity=activity, attended=attended, excused=child_id in excused
            )
            recorded.append(child_id)
        not_booked = tuple(child_id for child_id in marks if child_id not in booked)
        logger.info(
            "attendance recorded",
            extra={
                "school_id": school_id,
                "day": day.isoformat(),
                "activity": activity,
                "recorded": len(recorded),
                "not_booked": len(not_booked),
            },
        )
        return AttendanceResult(tuple(recorded), not_booked)
