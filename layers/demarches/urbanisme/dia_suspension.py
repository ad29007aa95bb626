"""DIA deadline with its one suspension, as an immutable state and pure functions (L213-2).

The holder of the preemption right has 2 months from receipt of the DIA to decide (R213-7).
Within that time it may send the owner one single request for documents, or a request to
visit the property. The deadline is suspended from the day the owner receives that request.
It resumes on the day the holder receives the documents, the day of the visit, or the day of
the owner's refusal of the visit. If less than one month then remains, the holder gets one
month from the resumption. Silence at the end of the deadline is a waiver of preemption.

Visits (D213-13-1 to D213-13-4): the owner has 8 days from receipt of the visit request to
accept it, and silence is a refusal. An accepted visit takes place within 15 days from the
receipt of the acceptance.

Days count as in ``deadlines``: a suspension running from day S to day R stops the deadline
for R - S days, so a request settled on the day it arrived costs the holder no time.

NOTE: L213-2 lets the holder send both a documents request and a visit request. This model
suspends once: the first request suspends, and any later request is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from demarches.urbanisme.deadlines import add_months, end_of_paris_day, paris_date
from demarches.urbanisme.errors import (
    DiaNotSuspendedError,
    DiaResumeCauseInvalidError,
    DiaSuspensionAlreadyUsedError,
    EventDateInvalidError,
    InstructionDeadlinePassedError,
)

DIA_INSTRUCTION_MONTHS = 2
"""The holder decides within 2 months of receiving the DIA (R213-7)."""

MINIMUM_MONTHS_AFTER_RESUMPTION = 1
"""After a resumption the holder always has at least one month (L213-2)."""

VISIT_ANSWER_DAYS = 8
"""Days the owner has to accept a visit request; silence is a refusal."""

VISIT_DELAY_DAYS = 15
"""Days from receipt of the acceptance within which the visit takes place."""


class SuspensionCause(StrEnum):
    """The request that suspends the DIA deadline."""

    DOCUMENTS = "documents"
    """Single request for the documents listed by R213-7 (demande unique de pièces)."""
    VISIT = "visit"
    """Request to visit the property (demande de visite)."""


class ResumeCause(StrEnum):
    """The event that ends the suspension."""

    DOCUMENTS_RECEIVED = "documents_received"
    VISIT_HELD = "visit_held"
    VISIT_REFUSED = "visit_refused"
    """Express refusal, or silence of the owner for 8 days after the visit request."""


_RESUME_CAUSES: dict[SuspensionCause, frozenset[ResumeCause]] = {
    SuspensionCause.DOCUMENTS: frozenset({ResumeCause.DOCUMENTS_RECEIVED}),
    SuspensionCause.VISIT: frozenset({ResumeCause.VISIT_HELD, ResumeCause.VISIT_REFUSED}),
}


@dataclass(frozen=True)
class Suspension:
    """One suspension of a DIA deadline: from the owner's receipt of the request to resumption."""

    cause: SuspensionCause
    suspended_on: date
    resumed_on: date | None = None
    resume_cause: ResumeCause | None = None


@dataclass(frozen=True)
class DiaDeadlineState:
    """Deadline of one DIA: the initial last day and the suspension, if one was requested."""

    received_on: date
    initial_last_day: date
    suspension: Suspension | None = None

    @property
    def is_suspended(self) -> bool:
        return self.suspension is not None and self.suspension.resumed_on is None


def start_dia_deadline(received_at: datetime) -> DiaDeadlineState:
    """Start the 2-month deadline of a DIA from the instant the commune received it (R213-7)."""
    received_on = paris_date(received_at)
    return DiaDeadlineState(
        received_on=received_on,
        initial_last_day=add_months(received_on, DIA_INSTRUCTION_MONTHS),
    )


def suspend(
    state: DiaDeadlineState, cause: SuspensionCause, request_received_on: date
) -> DiaDeadlineState:
    """Suspend the deadline from the day the owner received the request (L213-2).

    Raises DiaSuspensionAlreadyUsedError when the deadline was already suspended once,
    InstructionDeadlinePassedError when the request reached the owner after the last day, and
    EventDateInvalidError when it is dated before the DIA was received.
    """
    if state.suspension is not None:
        raise DiaSuspensionAlreadyUsedError(
            "The DIA deadline was already suspended on "
            f"{state.suspension.suspended_on.isoformat()} by a {state.suspension.cause.value} "
            "request. L213-2 allows one single request, so this one does not suspend it again.",
            field="cause",
            details={"suspended_on": state.suspension.suspended_on.isoformat()},
        )
    if request_received_on < state.received_on:
        raise EventDateInvalidError(
            f"The request was received on {request_received_on.isoformat()}, before the DIA "
            f"itself ({state.received_on.isoformat()}). Check the date of receipt.",
            field="request_received_on",
        )
    if request_received_on > state.initial_last_day:
        raise InstructionDeadlinePassedError(
            f"The request reached the owner on {request_received_on.isoformat()}, after the last "
            f"day of the DIA deadline ({state.initial_last_day.isoformat()}): silence already "
            "meant a waiver of preemption (R213-7).",
            field="request_received_on",
            details={"last_day": state.initial_last_day.isoformat()},
        )

    return replace(state, suspension=Suspension(cause=cause, suspended_on=request_received_on))


def resume(state: DiaDeadlineState, cause: ResumeCause, on: date) -> DiaDeadlineState:
    """Resume the deadline on the day of the documents' receipt, the visit or its refusal.

    Raises DiaNotSuspendedError when the deadline is not suspended, DiaResumeCauseInvalidError
    when the event does not match the pending request (a visit for a documents request), and
    EventDateInvalidError when ``on`` is before the suspension.
    """
    suspension = state.suspension
    if suspension is None or suspension.resumed_on is not None:
        raise DiaNotSuspendedError(
            "The DIA deadline is not suspended, so it cannot resume. "
            "Record a documents or visit request first.",
            field="cause",
        )
    if cause not in _RESUME_CAUSES[suspension.cause]:
        expected = ", ".join(sorted(c.value for c in _RESUME_CAUSES[suspension.cause]))
        raise DiaResumeCauseInvalidError(
            f"A {suspension.cause.value} request cannot end with {cause.value!r}; "
            f"expected {expected}.",
            field="cause",
        )
    if on < suspension.suspended_on:
        raise EventDateInvalidError(
            f"The deadline cannot resume on {on.isoformat()}, before its suspension on "
            f"{suspension.suspended_on.isoformat()}.",
            field="on",
        )

    resumed = replace(suspension, resumed_on=on, resume_cause=cause)
    return replace(state, suspension=resumed)


def deadline(state: DiaDeadlineState) -> date | None:
    """Return the last day of the DIA deadline, or None while it is suspended.

    After a resumption the remaining days run again from the resumption day, with a floor of
    one month from that day (L213-2).
    """
    suspension = state.suspension
    if suspension is None:
        return state.initial_last_day
    if suspension.resumed_on is None:
        return None

    remaining = state.initial_last_day - suspension.suspended_on
    resumed_last_day = suspension.resumed_on + remaining
    floor = add_months(suspension.resumed_on, MINIMUM_MONTHS_AFTER_RESUMPTION)
    return max(resumed_last_day, floor)


def silence_decision_at(state: DiaDeadlineState) -> datetime | None:
    """Return the instant the waiver by silence arises, or None while the deadline is suspended."""
    last_day = deadline(state)
    if last_day is None:
        return None
    return end_of_paris_day(last_day)


def visit_answer_last_day(visit_request_received_on: date) -> date:
    """Return the last day for the owner to accept a visit: 8 days after receiving the request."""
    return visit_request_received_on + timedelta(days=VISIT_ANSWER_DAYS)


def visit_tacit_refusal_on(visit_request_received_on: date) -> date:
    """Return the day the owner's silence becomes a refusal, the day after the 8-day period.

    The deadline resumes on that day when the owner did not reply.
    """
    return visit_answer_last_day(visit_request_received_on) + timedelta(days=1)


def visit_last_day(acceptance_received_on: date) -> date:
    """Return the last day for an accepted visit: 15 days after receipt of the acceptance."""
    return acceptance_received_on + timedelta(days=VISIT_DELAY_DAYS)
