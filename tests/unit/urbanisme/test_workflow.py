from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from demarches.urbanisme.errors import TransitionForbiddenError, TransitionNotAllowedError
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.workflow import (
    TRANSITIONS,
    Action,
    AuditEntry,
    DossierStatus,
    Role,
    allowed_actions,
    apply_action,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _apply(
    status: DossierStatus,
    action: Action,
    role: Role,
    request_type: RequestType = RequestType.DIA,
) -> AuditEntry:
    return apply_action(
        dossier_id="d-1",
        status=status,
        action=action,
        request_type=request_type,
        actor_id="agent-7",
        role=role,
        at=NOW,
    )


def _run(request_type: RequestType, steps: list[tuple[Action, Role]]) -> DossierStatus:
    status = DossierStatus.DRAFT
    for action, role in steps:
        status = _apply(status, action, role, request_type).to_status
    return status


def test_dia_path_to_notified_decision() -> None:
    status = _run(
        RequestType.DIA,
        [
            (Action.SUBMIT, Role.APPLICANT),
            (Action.START_INSTRUCTION, Role.SYSTEM),
            (Action.REQUEST_VISIT, Role.AGENT),
            (Action.RECORD_VISIT_REFUSAL, Role.SYSTEM),
            (Action.DRAFT_DECISION, Role.AGENT),
            (Action.SUBMIT_FOR_SIGNATURE, Role.AGENT),
            (Action.SIGN, Role.SIGNATORY),
            (Action.NOTIFY, Role.SYSTEM),
            (Action.CLOSE, Role.SYSTEM),
        ],
    )

    assert status is DossierStatus.CLOSED


def test_cu_path_to_tacit_certificate() -> None:
    status = _run(
        RequestType.CUA,
        [
            (Action.SUBMIT, Role.APPLICANT),
            (Action.START_INSTRUCTION, Role.AGENT),
            (Action.EXPIRE_DEADLINE, Role.SYSTEM),
        ],
    )

    assert status is DossierStatus.TACIT


def test_audit_entry_records_who_when_what() -> None:
    entry = _apply(DossierStatus.AWAITING_SIGNATURE, Action.SIGN, Role.SIGNATORY)

    assert entry.dossier_id == "d-1"
    assert entry.actor_id == "agent-7"
    assert entry.role is Role.SIGNATORY
    assert entry.at == NOW
    assert entry.action is Action.SIGN
    assert entry.from_status is DossierStatus.AWAITING_SIGNATURE
    assert entry.to_status is DossierStatus.SIGNED


def test_audit_time_is_stored_in_utc() -> None:
    paris_winter = timezone(timedelta(hours=1))

    entry = apply_action(
        dossier_id="d-1",
        status=DossierStatus.DRAFT,
        action=Action.SUBMIT,
        request_type=RequestType.CUA,
        actor_id="u-1",
        role=Role.APPLICANT,
        at=datetime(2026, 3, 2, 10, 30, tzinfo=paris_winter),
    )

    assert entry.at == NOW
    assert entry.at.tzinfo is UTC


def test_naive_time_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        apply_action(
            dossier_id="d-1",
            status=DossierStatus.DRAFT,
            action=Action.SUBMIT,
            request_type=RequestType.CUA,
            actor_id="u-1",
            role=Role.APPLICANT,
            at=datetime(2026, 3, 2, 10, 30),
        )


def test_signing_a_draft_is_not_allowed() -> None:
    with pytest.raises(TransitionNotAllowedError) as caught:
        _apply(DossierStatus.DRAFT, Action.SIGN, Role.SIGNATORY)

    assert caught.value.code == "transition_not_allowed"
    assert caught.value.details == {"status": "draft", "action": "sign"}


def test_agent_may_not_sign() -> None:
    with pytest.raises(TransitionForbiddenError) as caught:
        _apply(DossierStatus.AWAITING_SIGNATURE, Action.SIGN, Role.AGENT)

    assert caught.value.code == "transition_forbidden"
    assert "signatory" in caught.value.message


def test_applicant_may_not_expire_the_deadline() -> None:
    with pytest.raises(TransitionForbiddenError):
        _apply(DossierStatus.UNDER_INSTRUCTION, Action.EXPIRE_DEADLINE, Role.APPLICANT)


def test_visit_is_for_dia_only() -> None:
    with pytest.raises(TransitionNotAllowedError):
        _apply(DossierStatus.UNDER_INSTRUCTION, Action.REQUEST_VISIT, Role.AGENT, RequestType.CUB)


def test_suspended_dia_cannot_turn_tacit() -> None:
    for status in (DossierStatus.AWAITING_DOCUMENTS, DossierStatus.AWAITING_VISIT):
        with pytest.raises(TransitionNotAllowedError):
            _apply(status, Action.EXPIRE_DEADLINE, Role.SYSTEM, RequestType.DIA)


def test_cu_awaiting_documents_can_turn_tacit() -> None:
    entry = _apply(
        DossierStatus.AWAITING_DOCUMENTS, Action.EXPIRE_DEADLINE, Role.SYSTEM, RequestType.CUB
    )

    assert entry.to_status is DossierStatus.TACIT


def test_signed_decision_cannot_be_withdrawn() -> None:
    for status in (DossierStatus.SIGNED, DossierStatus.NOTIFIED, DossierStatus.TACIT):
        with pytest.raises(TransitionNotAllowedError):
            _apply(status, Action.WITHDRAW, Role.APPLICANT)


def test_closed_dossier_allows_nothing() -> None:
    for role in Role:
        for request_type in RequestType:
            assert allowed_actions(DossierStatus.CLOSED, role, request_type) == []


def test_signatory_can_return_a_decision() -> None:
    assert allowed_actions(DossierStatus.AWAITING_SIGNATURE, Role.SIGNATORY, RequestType.DIA) == [
        Action.RETURN_FOR_REVISION,
        Action.SIGN,
    ]


def test_agent_actions_under_instruction_differ_by_type() -> None:
    dia = allowed_actions(DossierStatus.UNDER_INSTRUCTION, Role.AGENT, RequestType.DIA)
    cua = allowed_actions(DossierStatus.UNDER_INSTRUCTION, Role.AGENT, RequestType.CUA)

    assert Action.REQUEST_VISIT in dia
    assert Action.REQUEST_VISIT not in cua
    assert Action.DRAFT_DECISION in cua


def test_every_status_but_closed_has_a_way_out() -> None:
    sources = {status for transition in TRANSITIONS for status in transition.sources}

    assert sources == set(DossierStatus) - {DossierStatus.CLOSED}


def test_every_status_but_draft_is_a_target() -> None:
    targets = {transition.target for transition in TRANSITIONS}

    assert targets == set(DossierStatus) - {DossierStatus.DRAFT}


def test_transitions_are_unambiguous() -> None:
    seen: dict[tuple[Action, DossierStatus, RequestType], DossierStatus] = {}
    for transition in TRANSITIONS:
        for source in transition.sources:
            for request_type in transition.request_types:
                key = (transition.action, source, request_type)
                assert key not in seen, key
                seen[key] = transition.target
