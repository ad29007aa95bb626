"""DynamoDB item layouts of the urbanism tables, and their conversion to domain objects.

Dossiers table, key ``dossier_id``:
- scalar attributes: ``request_type``, ``status``, ``version``, ``applicant_id``, ``owner``,
  ``created_at``, ``updated_at``, ``request_hash``, ``registration_number``, ``received_at``,
  ``contact_email``, ``outcome``, ``awaiting``, ``task_token``;
- ``request`` and the nested records ``dia_deadline``, ``complement``, ``decision``,
  ``failure``: JSON text;
- ``pieces`` and ``documents``: maps by piece code and by document kind, so that one piece or
  one document is written without rewriting the others;
- index keys: ``owner`` + ``created_at`` (index ``by_owner``); ``queue`` + ``deadline_key``
  (index ``by_queue``, only while the dossier is submitted and not closed).

Audit table, key ``dossier_id`` + ``entry_id``: ``V#<version>`` for a status change, which
each version writes once. ``E#...`` keys other events, so that a repeated event (the same
uploaded file version, the same issued document) writes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pydantic import TypeAdapter

from demarches.clock import iso_utc
from demarches.urbanisme.cerfa import URBANISME_REQUEST_ADAPTER
from demarches.urbanisme.decision import DecisionDraft, DossierOutcome
from demarches.urbanisme.dia_suspension import DiaDeadlineState
from demarches.urbanisme.dossier import (
    AwaitedStep,
    ComplementRequest,
    Dossier,
    IssuedDocument,
    WorkflowFailure,
)
from demarches.urbanisme.pieces import Piece
from demarches.urbanisme.registration import parse_registration_number
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.timeline import DossierEvent, EventKind
from demarches.urbanisme.workflow import AuditEntry, DossierStatus

Item = dict[str, Any]

NO_DEADLINE = "9999-12-31T23:59:59Z"
"""Deadline key of a suspended DIA, which sorts after every real deadline."""

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
_PIECE: TypeAdapter[Piece] = TypeAdapter(Piece)
_DOCUMENT: TypeAdapter[IssuedDocument] = TypeAdapter(IssuedDocument)
_DIA: TypeAdapter[DiaDeadlineState] = TypeAdapter(DiaDeadlineState)
_COMPLEMENT: TypeAdapter[ComplementRequest] = TypeAdapter(ComplementRequest)
_DECISION: TypeAdapter[DecisionDraft] = TypeAdapter(DecisionDraft)
_FAILURE: TypeAdapter[WorkflowFailure] = TypeAdapter(WorkflowFailure)
_EVENT: TypeAdapter[DossierEvent] = TypeAdapter(DossierEvent)
_AUDIT: TypeAdapter[AuditEntry] = TypeAdapter(AuditEntry)
_NOT_QUEUED = frozenset({DossierStatus.DRAFT, DossierStatus.CLOSED})


def attribute(value: Any) -> dict[str, Any]:
    """Convert a JSON-compatible Python value to a DynamoDB attribute value."""
    converted: dict[str, Any] = dict(_SERIALIZER.serialize(value))
    return converted


def plain(item: Item) -> dict[str, Any]:
    """Convert an item to Python values; numbers come back as ``decimal.Decimal``."""
    return {key: _DESERIALIZER.deserialize(cast(Any, value)) for key, value in item.items()}


def piece_attribute(piece: Piece) -> dict[str, Any]:
    return attribute(_PIECE.dump_python(piece, mode="json"))


def document_attribute(document: IssuedDocument) -> dict[str, Any]:
    return attribute(_DOCUMENT.dump_python(document, mode="json"))


def document_from_attribute(value: dict[str, Any]) -> IssuedDocument:
    return _DOCUMENT.validate_python(_DESERIALIZER.deserialize(cast(Any, value)))


def failure_attribute(failure: WorkflowFailure) -> dict[str, Any]:
    return attribute(_FAILURE.dump_json(failure).decode())


def _json(adapter: TypeAdapter[Any], value: Any) -> str | None:
    return None if value is None else adapter.dump_json(value).decode()


def stored_fields(dossier: Dossier, queue: str, now: datetime) -> dict[str, Any]:
    """Return the attributes a status change writes; None values are removed from the item.

    Pieces, documents, the awaited step and the failure are written by their own requests
    and are left out, so that a status change never overwrites them with a stale copy.
    """
    queued = dossier.status not in _NOT_QUEUED
    due = dossier.silence_decision_at
    deadline = iso_utc(due) if due is not None else NO_DEADLINE
    return {
        "status": attribute(dossier.status.value),
        "request": attribute(dossier.request.model_dump_json(exclude_none=True)),
        "updated_at": attribute(iso_utc(now)),
        "registration_number": _optional(dossier.registration_number),
        "received_at": _optional(iso_utc(dossier.received_at) if dossier.received_at else None),
        "contact_email": _optional(dossier.contact_email),
        "dia_deadline": _optional(_json(_DIA, dossier.dia_deadline)),
        "complement": _optional(_json(_COMPLEMENT, dossier.complement)),
        "decision": _optional(_json(_DECISION, dossier.decision)),
        "outcome": _optional(dossier.outcome.value if dossier.outcome else None),
        "missing_pieces": attribute(list(dossier.missing_pieces))
        if dossier.missing_pieces
        else None,
        "queue": attribute(queue) if queued else None,
        "deadline_key": attribute(f"{deadline}#{dossier.dossier_id}") if queued else None,
    }


def _optional(value: object | None) -> dict[str, Any] | None:
    return None if value is None else attribute(str(value))


def new_dossier_item(dossier: Dossier, request_hash: str, now: datetime) -> Item:
    item: Item = {
        "dossier_id": attribute(dossier.dossier_id),
        "request_type": attribute(dossier.request_type.value),
        "version": attribute(dossier.version),
        "applicant_id": attribute(dossier.applicant_id),
        "owner": attribute(dossier.owner),
        "created_at": attribute(iso_utc(dossier.created_at or now)),
        "request_hash": attribute(request_hash),
        "pieces": {"M": {}},
        "documents": {"M": {}},
    }
    fields = stored_fields(dossier, queue="", now=now)
    item.update({name: value for name, value in fields.items() if value is not None})
    return item


def dossier_from_item(item: Item) -> Dossier:
    values = plain(item)
    number = values.get("registration_number")
    received = values.get("received_at")
    return Dossier(
        dossier_id=values["dossier_id"],
        request_type=RequestType(values["request_type"]),
        status=DossierStatus(values["status"]),
        applicant_id=values["applicant_id"],
        request=URBANISME_REQUEST_ADAPTER.validate_json(values["request"]),
        version=int(values["version"]),
        registration_number=parse_registration_number(number) if number else None,
        received_at=_instant(received) if received else None,
        dia_deadline=_from_json(_DIA, values.get("dia_deadline")),
        owner=values["owner"],
        created_at=_instant(values["created_at"]),
        contact_email=values.get("contact_email"),
        pieces=tuple(
            _PIECE.validate_python(piece) for _, piece in sorted(values.get("pieces", {}).items())
        ),
        documents=tuple(
            _DOCUMENT.validate_python(document)
            for _, document in sorted(values.get("documents", {}).items())
        ),
        complement=_from_json(_COMPLEMENT, values.get("complement")),
        decision=_from_json(_DECISION, values.get("decision")),
        missing_pieces=tuple(values.get("missing_pieces", ())),
        outcome=DossierOutcome(values["outcome"]) if values.get("outcome") else None,
        awaiting=AwaitedStep(values["awaiting"]) if values.get("awaiting") else None,
        failure=_from_json(_FAILURE, values.get("failure")),
    )


def _from_json(adapter: TypeAdapter[Any], text: str | None) -> Any:
    return None if text is None else adapter.validate_json(text)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def audit_item(entry: AuditEntry, version: int) -> Item:
    return {
        "dossier_id": attribute(entry.dossier_id),
        "entry_id": attribute(f"V#{version:08d}"),
        "kind": attribute("transition"),
        "at": attribute(entry.at.isoformat()),
        "entry": attribute(_AUDIT.dump_json(entry).decode()),
    }


def event_item(event: DossierEvent, entry_id: str) -> Item:
    return {
        "dossier_id": attribute(event.dossier_id),
        "entry_id": attribute(entry_id),
        "kind": attribute("event"),
        "at": attribute(event.at.isoformat()),
        "entry": attribute(_EVENT.dump_json(event).decode()),
    }


def event_entry_id(event: DossierEvent) -> str:
    """Return the audit key of an event; the same fact always gets the same key."""
    detail = event.detail
    if event.kind in (EventKind.PIECE_ACCEPTED, EventKind.PIECE_REJECTED):
        fact = f"{detail.get('piece')}#{detail.get('upload_id')}#{detail.get('version_id')}"
        return f"E#piece#{hashlib.sha256(fact.encode()).hexdigest()[:32]}"
    if event.kind is EventKind.DOCUMENT_ISSUED:
        return f"E#document#{detail.get('document')}"
    if event.kind is EventKind.DRAFT_CREATED:
        return "E#draft_created"
    return f"E#{event.kind.value}#{event.at.isoformat()}"


def trail_from_items(items: list[Item]) -> tuple[list[AuditEntry], list[DossierEvent]]:
    audit: list[AuditEntry] = []
    events: list[DossierEvent] = []
    for item in items:
        text = item["entry"]["S"]
        if item["kind"]["S"] == "transition":
            audit.append(_AUDIT.validate_json(text))
        else:
            events.append(_EVENT.validate_json(text))
    audit.sort(key=lambda entry: entry.at)
    events.sort(key=lambda event: event.at)
    return audit, events
