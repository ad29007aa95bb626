"""Events of a dossier besides status changes, and the timeline the applicant follows.

Status changes are ``workflow.AuditEntry`` records. Checked uploads, issued documents and
workflow failures are ``DossierEvent`` records of the same audit trail. The timeline merges
both in time order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from demarches.urbanisme.workflow import Action, AuditEntry, DossierStatus, Role


class EventKind(StrEnum):
    DRAFT_CREATED = "draft_created"
    PIECE_ACCEPTED = "piece_accepted"
    PIECE_REJECTED = "piece_rejected"
    DOCUMENT_ISSUED = "document_issued"
    WORKFLOW_FAILED = "workflow_failed"


@dataclass(frozen=True)
class DossierEvent:
    """One fact about a dossier that does not change its status."""

    dossier_id: str
    at: datetime
    kind: EventKind
    actor_id: str
    role: Role
    detail: dict[str, str] = field(default_factory=dict)
    """Piece code and rejection reason, document kind, or failed step and error."""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    """What happened, in French."""
    role: Role
    status: DossierStatus | None = None
    """Status after a status change; None for other events."""
    actor_id: str | None = None
    """Shown to agents only."""
    detail: str | None = None


ACTION_LABELS_FR: dict[Action, str] = {
    Action.SUBMIT: "Demande déposée",
    Action.START_INSTRUCTION: "Instruction commencée",
    Action.REQUEST_DOCUMENTS: "Pièces complémentaires demandées",
    Action.RECEIVE_DOCUMENTS: "Pièces complémentaires reçues",
    Action.REQUEST_VISIT: "Visite du bien demandée",
    Action.RECORD_VISIT: "Visite du bien effectuée",
    Action.RECORD_VISIT_REFUSAL: "Visite du bien refusée",
    Action.DRAFT_DECISION: "Projet de décision rédigé",
    Action.REOPEN_INSTRUCTION: "Instruction reprise",
    Action.SUBMIT_FOR_SIGNATURE: "Décision transmise pour signature",
    Action.RETURN_FOR_REVISION: "Décision renvoyée pour modification",
    Action.SIGN: "Décision signée",
    Action.NOTIFY: "Décision notifiée",
    Action.EXPIRE_DEADLINE: "Délai d'instruction expiré : décision tacite",
    Action.WITHDRAW: "Demande retirée",
    Action.CLOSE: "Dossier clos",
}

EVENT_LABELS_FR: dict[EventKind, str] = {
    EventKind.DRAFT_CREATED: "Brouillon créé",
    EventKind.PIECE_ACCEPTED: "Pièce acceptée",
    EventKind.PIECE_REJECTED: "Pièce refusée",
    EventKind.DOCUMENT_ISSUED: "Document émis",
    EventKind.WORKFLOW_FAILED: "Incident de traitement signalé au service",
}

# Internal deliberation between the agent and the signatory: a draft decision is a preparatory
# document, which the applicant does not see before the decision itself.
_INTERNAL_ACTIONS = frozenset(
    {
        Action.DRAFT_DECISION,
        Action.REOPEN_INSTRUCTION,
        Action.SUBMIT_FOR_SIGNATURE,
        Action.RETURN_FOR_REVISION,
    }
)
_INTERNAL_DOCUMENTS = frozenset({"projet_decision"})


def build_timeline(
    audit: list[AuditEntry], events: list[DossierEvent], *, for_staff: bool
) -> list[TimelineEntry]:
    """Merge status changes and events in time order.

    The applicant's timeline (``for_staff`` false) leaves out the internal deliberation,
    draft decisions, actor ids, notes and failure details.
    """
    entries = [
        _from_audit(entry, for_staff)
        for entry in audit
        if for_staff or entry.action not in _INTERNAL_ACTIONS
    ]
    entries += [
        _from_event(event, for_staff)
        for event in events
        if for_staff or event.detail.get("document") not in _INTERNAL_DOCUMENTS
    ]
    return sorted(entries, key=lambda entry: entry.at)


def _from_audit(entry: AuditEntry, for_staff: bool) -> TimelineEntry:
    return TimelineEntry(
        at=entry.at,
        label=ACTION_LABELS_FR[entry.action],
        role=entry.role,
        status=entry.to_status,
        actor_id=entry.actor_id if for_staff else None,
        detail=entry.note if for_staff else None,
    )


DOCUMENT_LABELS_FR: dict[str, str] = {
    "accuse_enregistrement": "Accusé d'enregistrement électronique",
    "accuse_reception": "Accusé de réception",
    "projet_decision": "Projet de décision",
    "decision": "Décision signée",
    "attestation_silence": "Attestation de décision tacite",
}


def _from_event(event: DossierEvent, for_staff: bool) -> TimelineEntry:
    if event.kind in (EventKind.PIECE_ACCEPTED, EventKind.PIECE_REJECTED):
        detail = f"{event.detail.get('label', '')} : {event.detail.get('message', '')}"
    elif event.kind is EventKind.DOCUMENT_ISSUED:
        kind = event.detail.get("document", "")
        detail = DOCUMENT_LABELS_FR.get(kind, kind)
    elif event.kind is EventKind.WORKFLOW_FAILED and for_staff:
        detail = ", ".join(f"{key}: {value}" for key, value in sorted(event.detail.items()))
    else:
        detail = ""
    return TimelineEntry(
        at=event.at,
        label=EVENT_LABELS_FR[event.kind],
        role=event.role,
        actor_id=event.actor_id if for_staff else None,
        detail=detail or None,
    )
