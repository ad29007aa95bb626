"""Lifecycle of an urbanism dossier as a pure state machine, with its audit entries.

Each action moves a dossier from one status to another, may be performed only by some roles,
and yields an AuditEntry (who, when, what, from, to) for the caller to store with the new
status. Deadlines are computed elsewhere (``deadlines``, ``dia_suspension``): the system
performs ``expire_deadline`` once the last day has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from demarches.urbanisme.errors import TransitionForbiddenError, TransitionNotAllowedError
from demarches.urbanisme.request_type import RequestType


class DossierStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AWAITING_DOCUMENTS = "awaiting_documents"
    """Incomplete: documents were requested from the applicant or the owner."""
    UNDER_INSTRUCTION = "under_instruction"
    AWAITING_VISIT = "awaiting_visit"
    """DIA only: a visit of the property was requested."""
    DECISION_DRAFTED = "decision_drafted"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    NOTIFIED = "notified"
    TACIT = "tacit"
    """The deadline ended in silence: tacit certificate (R410-12) or waiver of preemption."""
    CLOSED = "closed"


class Role(StrEnum):
    APPLICANT = "applicant"
    """The filer: the resident or company for a CU, the notary for a DIA."""
    AGENT = "agent"
    """Agent of the urbanism service who instructs the dossier."""
    SIGNATORY = "signatory"
    """Elected official or delegate competent to sign decisions."""
    SYSTEM = "system"
    """Scheduled or event-driven step without a human actor."""


class Action(StrEnum):
    SUBMIT = "submit"
    START_INSTRUCTION = "start_instruction"
    REQUEST_DOCUMENTS = "request_documents"
    RECEIVE_DOCUMENTS = "receive_documents"
    REQUEST_VISIT = "request_visit"
    RECORD_VISIT = "record_visit"
    RECORD_VISIT_REFUSAL = "record_visit_refusal"
    """Express refusal, or the owner's silence for 8 days recorded by the system."""
    DRAFT_DECISION = "draft_decision"
    REOPEN_INSTRUCTION = "reopen_instruction"
    SUBMIT_FOR_SIGNATURE = "submit_for_signature"
    RETURN_FOR_REVISION = "return_for_revision"
    SIGN = "sign"
    NOTIFY = "notify"
    EXPIRE_DEADLINE = "expire_deadline"
    WITHDRAW = "withdraw"
    CLOSE = "close"


ALL_REQUEST_TYPES = frozenset(RequestType)
CERTIFICATS = frozenset({RequestType.CUA, RequestType.CUB})
DIA_ONLY = frozenset({RequestType.DIA})


@dataclass(frozen=True)
class Transition:
    """One allowed move: the action, the statuses it leaves, where it leads and who may do it."""

    action: Action
    sources: frozenset[DossierStatus]
    target: DossierStatus
    roles: frozenset[Role]
    request_types: frozenset[RequestType] = ALL_REQUEST_TYPES


def _transition(
    action: Action,
    sources: Iterable[DossierStatus],
    target: DossierStatus,
    roles: Iterable[Role],
    request_types: frozenset[RequestType] = ALL_REQUEST_TYPES,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), request_types)


_S = DossierStatus

# Statuses in which the instruction deadline runs for every type. A DIA deadline is suspended
# while documents or a visit are awaited (L213-2); a certificat d'urbanisme deadline is not.
_DEADLINE_RUNNING = (_S.SUBMITTED, _S.UNDER_INSTRUCTION, _S.DECISION_DRAFTED, _S.AWAITING_SIGNATURE)
_BEFORE_DECISION = (
    _S.DRAFT,
    _S.SUBMITTED,
    _S.AWAITING_DOCUMENTS,
    _S.UNDER_INSTRUCTION,
    _S.AWAITING_VISIT,
    _S.DECISION_DRAFTED,
    _S.AWAITING_SIGNATURE,
)

TRANSITIONS: tuple[Transition, ...] = (
    _transition(Action.SUBMIT, [_S.DRAFT], _S.SUBMITTED, [Role.APPLICANT]),
    _transition(
        Action.START_INSTRUCTION, [_S.SUBMITTED], _S.UNDER_INSTRUCTION, [Role.AGENT, Role.SYSTEM]
    ),
    _transition(
        Action.REQUEST_DOCUMENTS,
        [_S.SUBMITTED, _S.UNDER_INSTRUCTION],
        _S.AWAITING_DOCUMENTS,
        [Role.AGENT],
    ),
    _transition(
        Action.RECEIVE_DOCUMENTS,
        [_S.AWAITING_DOCUMENTS],
        _S.UNDER_INSTRUCTION,
        [Role.APPLICANT, Role.AGENT],
    ),
    _transition(
        Action.REQUEST_VISIT,
        [_S.SUBMITTED, _S.UNDER_INSTRUCTION],
        _S.AWAITING_VISIT,
        [Role.AGENT],
        DIA_ONLY,
    ),
    _transition(
        Action.RECORD_VISIT, [_S.AWAITING_VISIT], _S.UNDER_INSTRUCTION, [Role.AGENT], DIA_ONLY
    ),
    _transition(
        Action.RECORD_VISIT_REFUSAL,
        [_S.AWAITING_VISIT],
        _S.UNDER_INSTRUCTION,
        [Role.AGENT, Role.SYSTEM],
        DIA_ONLY,
    ),
    _transition(Action.DRAFT_DECISION, [_S.UNDER_INSTRUCTION], _S.DECISION_DRAFTED, [Role.AGENT]),
    _transition(
        Action.REOPEN_INSTRUCTION, [_S.DECISION_DRAFTED], _S.UNDER_INSTRUCTION, [Role.AGENT]
    ),
    _transition(
        Action.SUBMIT_FOR_SIGNATURE, [_S.DECISION_DRAFTED], _S.AWAITING_SIGNATURE, [Role.AGENT]
    ),
    _transition(
        Action.RETURN_FOR_REVISION, [_S.AWAITING_SIGNATURE], _S.DECISION_DRAFTED, [Role.SIGNATORY]
    ),
    _transition(Action.SIGN, [_S.AWAITING_SIGNATURE], _S.SIGNED, [Role.SIGNATORY]),
    _transition(Action.NOTIFY, [_S.SIGNED], _S.NOTIFIED, [Role.SYSTEM]),
    _transition(Action.EXPIRE_DEADLINE, _DEADLINE_RUNNING, _S.TACIT, [Role.SYSTEM]),
    _transition(
        Action.EXPIRE_DEADLINE, [_S.AWAITING_DOCUMENTS], _S.TACIT, [Role.SYSTEM], CERTIFICATS
    ),
    _transition(Action.WITHDRAW, _BEFORE_DECISION, _S.CLOSED, [Role.APPLICANT]),
    _transition(Action.CLOSE, [_S.NOTIFIED, _S.TACIT], _S.CLOSED, [Role.AGENT, Role.SYSTEM]),
)


@dataclass(frozen=True)
class AuditEntry:
    """Record of one action on a dossier: actor, instant, action, status before and after."""

    dossier_id: str
    actor_id: str
    role: Role
    at: datetime
    """Aware UTC instant."""
    action: Action
    from_status: DossierStatus
    to_status: DossierStatus
    note: str | None = None


def find_transition(
    status: DossierStatus, action: Action, request_type: RequestType
) -> Transition | None:
    """Return the transition that ``action`` takes from ``status``, or None if there is none."""
    for transition in TRANSITIONS:
        if (
            transition.action is action
            and status in transition.sources
            and request_type in transition.request_types
        ):
            return transition
    return None


def allowed_actions(status: DossierStatus, role: Role, request_type: RequestType) -> list[Action]:
    """List the actions ``role`` may perform on a dossier in ``status``, in table order."""
    actions: list[Action] = []
    for transition in TRANSITIONS:
        if (
            status in transition.sources
            and role in transition.roles
            and request_type in transition.request_types
            and transition.action not in actions
        ):
            actions.append(transition.action)
    return actions


def apply_action(
    *,
    dossier_id: str,
    status: DossierStatus,
    action: Action,
    request_type: RequestType,
    actor_id: str,
    role: Role,
    at: datetime,
    note: str | None = None,
) -> AuditEntry:
    """Check that ``role`` may perform ``action`` now and return the audit entry of the move.

    The new status is ``entry.to_status``. Raises TransitionNotAllowedError when the status
    (or the request type) does not allow the action, and TransitionForbiddenError when it does
    but the role may not perform it.
    """
    if at.tzinfo is None:
        raise ValueError(f"Expected an aware datetime, got the naive {at.isoformat()}")

    transition = find_transition(status, action, request_type)
    if transition is None:
        raise TransitionNotAllowedError(
            f"Action {action.value!r} is not allowed on a {request_type} dossier in status "
            f"{status.value!r}.",
            field="action",
            details={"status": status.value, "action": action.value},
        )
    if role not in transition.roles:
        allowed = ", ".join(sorted(r.value for r in transition.roles))
        raise TransitionForbiddenError(
            f"Role {role.value!r} may not perform {action.value!r}; allowed roles: {allowed}.",
            field="action",
            details={"role": role.value, "action": action.value},
        )

    return AuditEntry(
        dossier_id=dossier_id,
        actor_id=actor_id,
        role=role,
        at=at.astimezone(UTC),
        action=action,
        from_status=status,
        to_status=transition.target,
        note=note,
    )
