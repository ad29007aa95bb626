"""DynamoDB adapter of the urbanism ``DossierRepository``; item layouts in
``dynamodb_items_urbanisme``.

A status change is one transaction: the dossier's update, conditioned on its version, and
the audit entry of that version. Pieces, documents and the awaited task token are separate
attributes written by their own conditional updates, which never bump the version: an upload
checked while the workflow moves the dossier does not make either write fail.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from demarches.clock import Clock
from demarches.errors import UnavailableError
from demarches.urbanisme.dossier import (
    AwaitedStep,
    DocumentKind,
    Dossier,
    IssuedDocument,
    WorkflowFailure,
)
from demarches.urbanisme.errors import (
    DossierChangedError,
    DossierClosedError,
    DossierNotAwaitingError,
    DossierNotFoundError,
    IdempotencyKeyReusedError,
)
from demarches.urbanisme.pieces import Piece, PieceStatus
from demarches.urbanisme.timeline import DossierEvent, EventKind
from demarches.urbanisme.workflow import AuditEntry, DossierStatus, Role

from .dynamodb_items_urbanisme import (
    Item,
    attribute,
    audit_item,
    document_attribute,
    document_from_attribute,
    dossier_from_item,
    event_entry_id,
    event_item,
    failure_attribute,
    new_dossier_item,
    piece_attribute,
    stored_fields,
    trail_from_items,
)

_CONDITION_FAILED = "ConditionalCheckFailedException"
_CANCELLED = "TransactionCanceledException"


def _code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


class DynamoDBDossierRepository:
    def __init__(
        self, client: Any, *, dossiers_table: str, audit_table: str, queue: str, clock: Clock
    ) -> None:
        self._db = client
        self._dossiers = dossiers_table
        self._audit = audit_table
        self._queue = queue
        self._clock = clock

    def get(self, dossier_id: str) -> Dossier:
        try:
            response = self._db.get_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                ConsistentRead=True,
            )
        except ClientError as exc:
            raise UnavailableError("the dossier cannot be read; try again") from exc
        item = response.get("Item")
        if item is None:
            raise DossierNotFoundError(f"No dossier {dossier_id}.", field="dossier_id")
        return dossier_from_item(item)

    def add(self, dossier: Dossier, event: DossierEvent, *, request_hash: str) -> Dossier | None:
        now = self._clock.now()
        items = [
            {
                "Put": {
                    "TableName": self._dossiers,
                    "Item": new_dossier_item(dossier, request_hash, now),
                    "ConditionExpression": "attribute_not_exists(dossier_id)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            {"Put": {"TableName": self._audit, "Item": event_item(event, event_entry_id(event))}},
        ]
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if _code(exc) != _CANCELLED:
                raise UnavailableError("the draft could not be stored; try again") from exc
            reasons: list[Any] = list(exc.response.get("CancellationReasons", []))
            stored: Item | None = reasons[0].get("Item") if reasons else None
            if stored is None:
                raise UnavailableError("the draft could not be stored; try again") from exc
            if stored["request_hash"]["S"] != request_hash:
                raise IdempotencyKeyReusedError(
                    "This Idempotency-Key already created a draft from another request; use a "
                    "new key for a new draft.",
                    field="Idempotency-Key",
                ) from exc
            return dossier_from_item(stored)
        return None

    def save(self, dossier: Dossier, audit_entry: AuditEntry, *, expected_version: int) -> Dossier:
        version = expected_version + 1
        update = self._update(dossier, expected_version)
        items = [
            {"Update": update},
            {
                "Put": {
                    "TableName": self._audit,
                    "Item": audit_item(audit_entry, version),
                    "ConditionExpression": "attribute_not_exists(entry_id)",
                }
            },
        ]
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if _code(exc) == _CANCELLED:
                raise self._changed(dossier) from exc
            raise UnavailableError("the dossier could not be stored; try again") from exc
        return replace(dossier, version=version)

    def save_draft(self, dossier: Dossier, *, expected_version: int) -> Dossier:
        update = self._update(dossier, expected_version)
        update["ConditionExpression"] += " AND #status = :draft"
        update["ExpressionAttributeNames"]["#status"] = "status"
        update["ExpressionAttributeValues"][":draft"] = attribute(DossierStatus.DRAFT.value)
        try:
            self._db.update_item(**update)
        except ClientError as exc:
            if _code(exc) == _CONDITION_FAILED:
                raise self._changed(dossier) from exc
            raise UnavailableError("the draft could not be stored; try again") from exc
        return replace(dossier, version=expected_version + 1)

    def _update(self, dossier: Dossier, expected_version: int) -> dict[str, Any]:
        fields = stored_fields(dossier, self._queue, self._clock.now())
        names = {"#version": "version"}
        values: dict[str, Any] = {
            ":expected": attribute(expected_version),
            ":next": attribute(expected_version + 1),
        }
        assignments = ["#version = :next"]
        removals = []
        for index, (name, value) in enumerate(sorted(fields.items())):
            names[f"#a{index}"] = name
            if value is None:
                removals.append(f"#a{index}")
            else:
                values[f":a{index}"] = value
                assignments.append(f"#a{index} = :a{index}")
        expression = "SET " + ", ".join(assignments)
        if removals:
            expression += " REMOVE " + ", ".join(removals)
        return {
            "TableName": self._dossiers,
            "Key": {"dossier_id": attribute(dossier.dossier_id)},
            "UpdateExpression": expression,
            "ConditionExpression": "#version = :expected",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    @staticmethod
    def _changed(dossier: Dossier) -> DossierChangedError:
        return DossierChangedError(
            f"Dossier {dossier.dossier_id} changed since it was read (version {dossier.version}); "
            "read it again and retry.",
            field="version",
        )

    def set_piece(self, dossier_id: str, piece: Piece) -> None:
        try:
            self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression="SET pieces.#code = :piece",
                ConditionExpression="attribute_exists(dossier_id)",
                ExpressionAttributeNames={"#code": piece.code},
                ExpressionAttributeValues={":piece": piece_attribute(piece)},
            )
        except ClientError as exc:
            if _code(exc) == _CONDITION_FAILED:
                raise DossierNotFoundError(f"No dossier {dossier_id}.") from exc
            raise UnavailableError("the upload target could not be stored; try again") from exc

    def record_piece_check(self, dossier_id: str, piece: Piece, event: DossierEvent) -> bool:
        items = [
            {
                "Update": {
                    "TableName": self._dossiers,
                    "Key": {"dossier_id": attribute(dossier_id)},
                    "UpdateExpression": "SET pieces.#code = :piece",
                    "ConditionExpression": (
                        "pieces.#code.upload_id = :upload AND pieces.#code.#status = :awaited"
                    ),
                    "ExpressionAttributeNames": {"#code": piece.code, "#status": "status"},
                    "ExpressionAttributeValues": {
                        ":piece": piece_attribute(piece),
                        ":upload": attribute(piece.upload_id),
                        ":awaited": attribute(PieceStatus.AWAITED.value),
                    },
                }
            },
            {
                "Put": {
                    "TableName": self._audit,
                    "Item": event_item(event, event_entry_id(event)),
                    "ConditionExpression": "attribute_not_exists(entry_id)",
                }
            },
        ]
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if _code(exc) == _CANCELLED:
                return False
            raise UnavailableError("the checked upload could not be stored") from exc
        return True

    def record_document(
        self, dossier_id: str, document: IssuedDocument, *, replace: bool = False
    ) -> IssuedDocument:
        value = ":document" if replace else "if_not_exists(documents.#kind, :document)"
        try:
            response = self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression=f"SET documents.#kind = {value}",
                ConditionExpression="attribute_exists(dossier_id)",
                ExpressionAttributeNames={"#kind": document.kind.value},
                ExpressionAttributeValues={":document": document_attribute(document)},
                # The whole item: for a nested update, moto 5.2.5 returns only the changed
                # leaves under UPDATED_NEW.
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            raise UnavailableError("the issued document could not be recorded") from exc
        stored = document_from_attribute(
            response["Attributes"]["documents"]["M"][document.kind.value]
        )
        event = DossierEvent(
            dossier_id=dossier_id,
            at=stored.issued_at,
            kind=EventKind.DOCUMENT_ISSUED,
            actor_id="system",
            role=Role.SYSTEM,
            detail={"document": document.kind.value},
        )
        self._put_event_once(event)
        return stored

    def claim_notification(self, dossier_id: str, kind: DocumentKind) -> bool:
        return self._set_notified(dossier_id, kind, notified=True)

    def release_notification(self, dossier_id: str, kind: DocumentKind) -> None:
        self._set_notified(dossier_id, kind, notified=False)

    def _set_notified(self, dossier_id: str, kind: DocumentKind, *, notified: bool) -> bool:
        try:
            self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression="SET documents.#kind.notified = :new",
                ConditionExpression="documents.#kind.notified = :old",
                ExpressionAttributeNames={"#kind": kind.value},
                ExpressionAttributeValues={
                    ":new": attribute(notified),
                    ":old": attribute(not notified),
                },
            )
        except ClientError as exc:
            if _code(exc) == _CONDITION_FAILED:
                return False
            raise UnavailableError("the notification could not be recorded") from exc
        return True

    def _put_event_once(self, event: DossierEvent) -> None:
        try:
            self._db.put_item(
                TableName=self._audit,
                Item=event_item(event, event_entry_id(event)),
                ConditionExpression="attribute_not_exists(entry_id)",
            )
        except ClientError as exc:
            if _code(exc) != _CONDITION_FAILED:
                raise UnavailableError("the audit trail could not be written") from exc

    def set_awaiting(self, dossier_id: str, step: AwaitedStep, task_token: str) -> None:
        try:
            self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression="SET awaiting = :step, task_token = :token",
                ConditionExpression=(
                    "attribute_exists(dossier_id) AND NOT #status IN (:tacit, :closed)"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":step": attribute(step.value),
                    ":token": attribute(task_token),
                    ":tacit": attribute(DossierStatus.TACIT.value),
                    ":closed": attribute(DossierStatus.CLOSED.value),
                },
            )
        except ClientError as exc:
            if _code(exc) == _CONDITION_FAILED:
                raise DossierClosedError(
                    f"Dossier {dossier_id} has its outcome: nothing left to wait for."
                ) from exc
            raise UnavailableError("the awaited step could not be stored") from exc

    def claim_awaiting(self, dossier_id: str, step: AwaitedStep) -> str:
        try:
            response = self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression="REMOVE awaiting, task_token",
                ConditionExpression="awaiting = :step AND attribute_exists(task_token)",
                ExpressionAttributeValues={":step": attribute(step.value)},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if _code(exc) == _CONDITION_FAILED:
                raise DossierNotAwaitingError(
                    f"Dossier {dossier_id} does not wait for the {step.value} step any more: "
                    "another request resumed it. Reload the dossier.",
                    field="dossier_id",
                ) from exc
            raise UnavailableError("the awaited step could not be claimed; try again") from exc
        return str(response["Attributes"]["task_token"]["S"])

    def restore_awaiting(self, dossier_id: str, step: AwaitedStep, task_token: str) -> None:
        try:
            self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression="SET awaiting = :step, task_token = :token",
                ConditionExpression="attribute_not_exists(task_token)",
                ExpressionAttributeValues={
                    ":step": attribute(step.value),
                    ":token": attribute(task_token),
                },
            )
        except ClientError as exc:
            if _code(exc) != _CONDITION_FAILED:
                raise UnavailableError("the awaited step could not be restored") from exc

    def record_failure(self, dossier_id: str, failure: WorkflowFailure) -> None:
        try:
            self._db.update_item(
                TableName=self._dossiers,
                Key={"dossier_id": attribute(dossier_id)},
                UpdateExpression="SET failure = :failure",
                ConditionExpression="attribute_exists(dossier_id)",
                ExpressionAttributeValues={":failure": failure_attribute(failure)},
            )
        except ClientError as exc:
            raise UnavailableError("the workflow failure could not be recorded") from exc
        event = DossierEvent(
            dossier_id=dossier_id,
            at=failure.at,
            kind=EventKind.WORKFLOW_FAILED,
            actor_id="system",
            role=Role.SYSTEM,
            detail={"after_step": failure.after_step, "error": failure.error},
        )
        self._put_event_once(event)

    def audit_trail(self, dossier_id: str) -> tuple[list[AuditEntry], list[DossierEvent]]:
        items: list[Item] = []
        paginator = self._db.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._audit,
            KeyConditionExpression="dossier_id = :id",
            ExpressionAttributeValues={":id": attribute(dossier_id)},
        ):
            items.extend(page["Items"])
        return trail_from_items(items)

    def list_for_owner(self, owner: str) -> list[Dossier]:
        return self._query(
            IndexName="by_owner",
            KeyConditionExpression="#owner = :owner",
            ExpressionAttributeNames={"#owner": "owner"},
            ExpressionAttributeValues={":owner": attribute(owner)},
            ScanIndexForward=False,
        )

    def list_queue(self) -> list[Dossier]:
        return self._query(
            IndexName="by_queue",
            KeyConditionExpression="#queue = :queue",
            ExpressionAttributeNames={"#queue": "queue"},
            ExpressionAttributeValues={":queue": attribute(self._queue)},
        )

    def _query(self, **query: Any) -> list[Dossier]:
        paginator = self._db.get_paginator("query")
        dossiers: list[Dossier] = []
        try:
            for page in paginator.paginate(TableName=self._dossiers, **query):
                dossiers.extend(dossier_from_item(item) for item in page["Items"])
        except ClientError as exc:
            raise UnavailableError("the dossiers cannot be listed; try again") from exc
        return dossiers
