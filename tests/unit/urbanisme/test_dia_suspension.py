from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demarches.urbanisme.dia_suspension import (
    DiaDeadlineState,
    ResumeCause,
    SuspensionCause,
    deadline,
    resume,
    silence_decision_at,
    start_dia_deadline,
    suspend,
    visit_answer_last_day,
    visit_last_day,
    visit_tacit_refusal_on,
)
from demarches.urbanisme.errors import (
    DiaNotSuspendedError,
    DiaResumeCauseInvalidError,
    DiaSuspensionAlreadyUsedError,
    EventDateInvalidError,
    InstructionDeadlinePassedError,
)


@pytest.fixture
def received_10_january() -> DiaDeadlineState:
    # Received on 10 January 2026 (Paris): the deadline ends on 10 March.
    return start_dia_deadline(datetime(2026, 1, 10, 9, tzinfo=UTC))


def test_deadline_is_two_months_without_suspension(received_10_january: DiaDeadlineState) -> None:
    assert deadline(received_10_january) == date(2026, 3, 10)


def test_start_uses_the_paris_date() -> None:
    state = start_dia_deadline(datetime(2026, 1, 9, 23, 30, tzinfo=UTC))

    assert state.received_on == date(2026, 1, 10)
    assert deadline(state) == date(2026, 3, 10)


def test_deadline_is_unknown_while_suspended(received_10_january: DiaDeadlineState) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))

    assert state.is_suspended
    assert deadline(state) is None
    assert silence_decision_at(state) is None


def test_suspend_leaves_the_original_state_unchanged(
    received_10_january: DiaDeadlineState,
) -> None:
    suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))

    assert received_10_january.suspension is None


def test_deadline_resumes_with_remaining_days(received_10_january: DiaDeadlineState) -> None:
    # 37 days remained on 1 February; they run again from 20 February.
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 2, 20))

    assert not state.is_suspended
    assert deadline(state) == date(2026, 3, 29)


def test_deadline_resumes_with_one_month_floor(received_10_january: DiaDeadlineState) -> None:
    # 9 days remained on 1 March: the holder gets one month from 20 March instead.
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 3, 1))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 3, 20))

    assert deadline(state) == date(2026, 4, 20)


def test_one_month_floor_clamps_to_month_end() -> None:
    state = start_dia_deadline(datetime(2025, 12, 1, 9, tzinfo=UTC))
    state = suspend(state, SuspensionCause.DOCUMENTS, date(2026, 1, 25))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 1, 31))

    assert deadline(state) == date(2026, 2, 28)


def test_one_month_floor_when_suspended_on_last_day(
    received_10_january: DiaDeadlineState,
) -> None:
    state = suspend(received_10_january, SuspensionCause.VISIT, date(2026, 3, 10))
    state = resume(state, ResumeCause.VISIT_HELD, date(2026, 3, 12))

    assert deadline(state) == date(2026, 4, 12)


def test_same_day_answer_costs_no_time(received_10_january: DiaDeadlineState) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 1, 20))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 1, 20))

    assert deadline(state) == date(2026, 3, 10)


def test_visit_refused_by_silence_resumes_after_eight_days(
    received_10_january: DiaDeadlineState,
) -> None:
    request_received_on = date(2026, 2, 1)
    state = suspend(received_10_january, SuspensionCause.VISIT, request_received_on)
    refused_on = visit_tacit_refusal_on(request_received_on)
    state = resume(state, ResumeCause.VISIT_REFUSED, refused_on)

    assert refused_on == date(2026, 2, 10)
    assert deadline(state) == date(2026, 3, 19)


def test_visit_held_resumes_the_deadline(received_10_january: DiaDeadlineState) -> None:
    state = suspend(received_10_january, SuspensionCause.VISIT, date(2026, 2, 1))
    state = resume(state, ResumeCause.VISIT_HELD, date(2026, 2, 18))

    assert state.suspension is not None
    assert state.suspension.resume_cause is ResumeCause.VISIT_HELD
    assert deadline(state) == date(2026, 3, 27)


def test_silence_instant_follows_the_resumed_deadline(
    received_10_january: DiaDeadlineState,
) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 3, 1))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 3, 20))

    # Last day 20 April 2026, summer time: midnight in Paris is 22:00 UTC.
    assert silence_decision_at(state) == datetime(2026, 4, 20, 22, tzinfo=UTC)


def test_second_request_while_suspended_is_rejected(
    received_10_january: DiaDeadlineState,
) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))

    with pytest.raises(DiaSuspensionAlreadyUsedError) as caught:
        suspend(state, SuspensionCause.DOCUMENTS, date(2026, 2, 5))

    assert caught.value.code == "dia_suspension_already_used"


def test_second_request_after_resumption_is_rejected(
    received_10_january: DiaDeadlineState,
) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 2, 10))

    with pytest.raises(DiaSuspensionAlreadyUsedError):
        suspend(state, SuspensionCause.VISIT, date(2026, 2, 12))


def test_request_after_the_last_day_is_rejected(
    received_10_january: DiaDeadlineState,
) -> None:
    with pytest.raises(InstructionDeadlinePassedError) as caught:
        suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 3, 11))

    assert caught.value.code == "instruction_deadline_passed"


def test_request_before_receipt_is_rejected(received_10_january: DiaDeadlineState) -> None:
    with pytest.raises(EventDateInvalidError):
        suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 1, 9))


def test_resume_without_suspension_is_rejected(received_10_january: DiaDeadlineState) -> None:
    with pytest.raises(DiaNotSuspendedError):
        resume(received_10_january, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 2, 1))


def test_resume_twice_is_rejected(received_10_january: DiaDeadlineState) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))
    state = resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 2, 10))

    with pytest.raises(DiaNotSuspendedError):
        resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 2, 11))


@pytest.mark.parametrize(
    ("cause", "event"),
    [
        (SuspensionCause.DOCUMENTS, ResumeCause.VISIT_HELD),
        (SuspensionCause.DOCUMENTS, ResumeCause.VISIT_REFUSED),
        (SuspensionCause.VISIT, ResumeCause.DOCUMENTS_RECEIVED),
    ],
)
def test_resume_with_unrelated_event_is_rejected(
    received_10_january: DiaDeadlineState, cause: SuspensionCause, event: ResumeCause
) -> None:
    state = suspend(received_10_january, cause, date(2026, 2, 1))

    with pytest.raises(DiaResumeCauseInvalidError):
        resume(state, event, date(2026, 2, 10))


def test_resume_before_suspension_is_rejected(received_10_january: DiaDeadlineState) -> None:
    state = suspend(received_10_january, SuspensionCause.DOCUMENTS, date(2026, 2, 1))

    with pytest.raises(EventDateInvalidError):
        resume(state, ResumeCause.DOCUMENTS_RECEIVED, date(2026, 1, 31))


def test_owner_has_eight_days_to_accept_a_visit() -> None:
    assert visit_answer_last_day(date(2026, 2, 1)) == date(2026, 2, 9)


def test_accepted_visit_takes_place_within_fifteen_days() -> None:
    assert visit_last_day(date(2026, 2, 5)) == date(2026, 2, 20)
