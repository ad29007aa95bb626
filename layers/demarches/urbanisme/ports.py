"""Ports of the urbanism démarche: what its use cases need from storage and delivery.

Adapters (DynamoDB, S3, Step Functions, e-mail) implement these protocols outside the domain;
unit tests use in-memory fakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from demarches.urbanisme.request_type import RequestType

if TYPE_CHECKING:
    from demarches.urbanisme.accounts import NotaryOfficeAccount, SignatoryAccount
    from demarches.urbanisme.dossier import (
        AwaitedStep,
        DocumentKind,
        Dossier,
        IssuedDocument,
        WorkflowFailure,
    )
    from demarches.urbanisme.pieces import Piece
    from demarches.urbanisme.timeline import DossierEvent
    from demarches.urbanisme.workflow import AuditEntry


class RegistrationCounter(Protocol):
    """Source of registration sequence numbers, one sequence per request type and year."""

    def next(self, request_type: RequestType, year: int) -> int:
        """Return the next number of the sequence, starting at 1.

        Must be atomic: two concurrent calls never return the same number (for example a
        DynamoDB ``UpdateItem`` with ``ADD``).
        """
        ...


class DossierRepository(Protocol):
    """Storage of dossiers and of their audit trail (status changes and other events)."""

    def get(self, dossier_id: str) -> Dossier:
        """Return the dossier; raise DossierNotFoundError when it does not exist."""
        ...

    def add(self, dossier: Dossier, event: DossierEvent, *, request_hash: str) -> Dossier | None:
        """Store a new draft and its creation event, unless the id is taken.

        Return None when stored. When the id is taken by the same request (same
        ``request_hash``), return the stored dossier; raise IdempotencyKeyReusedError when it
        was created from another request.
        """
        ...

    def save(self, dossier: Dossier, audit_entry: AuditEntry, *, expected_version: int) -> Dossier:
        """Store a changed dossier and its audit entry together, or neither.

        The stored version is ``expected_version + 1``; the returned dossier carries it. Raise
        DossierChangedError when the stored version is no longer ``expected_version``.
        """
        ...

    def save_draft(self, dossier: Dossier, *, expected_version: int) -> Dossier:
        """Store a changed draft request without an audit entry, like ``save`` otherwise."""
        ...

    def set_piece(self, dossier_id: str, piece: Piece) -> None:
        """Store a piece's new upload target, replacing the piece's previous upload."""
        ...

    def record_piece_check(self, dossier_id: str, piece: Piece, event: DossierEvent) -> bool:
        """Store the checked piece and its event if the piece still awaits this upload.

        Return False, changing nothing, when the piece has another upload target now or was
        already checked: a repeated storage event is a no-op.
        """
        ...

    def record_document(
        self, dossier_id: str, document: IssuedDocument, *, replace: bool = False
    ) -> IssuedDocument:
        """Store an issued document with its event, and return the document as stored.

        Without ``replace``, a document already stored for the kind stays and is returned, so
        that a step run twice keeps the first one. The event is recorded once per kind.
        """
        ...

    def claim_notification(self, dossier_id: str, kind: DocumentKind) -> bool:
        """Mark a stored document as sent, unless it already is; return whether it was claimed.

        Only the caller that claims it sends it, so two concurrent runs send it once.
        """
        ...

    def release_notification(self, dossier_id: str, kind: DocumentKind) -> None:
        """Mark a claimed document as not sent, after its sending failed."""
        ...

    def set_awaiting(self, dossier_id: str, step: AwaitedStep, task_token: str) -> None:
        """Store the task token the workflow waits on for ``step``.

        Raise DossierClosedError when the dossier already has its outcome.
        """
        ...

    def claim_awaiting(self, dossier_id: str, step: AwaitedStep) -> str:
        """Remove and return the task token of ``step``, once.

        Raise DossierNotAwaitingError when the workflow does not wait on ``step`` or another
        request claimed the token first.
        """
        ...

    def restore_awaiting(self, dossier_id: str, step: AwaitedStep, task_token: str) -> None:
        """Put back a claimed token whose resumption failed, so that it can be tried again."""
        ...

    def record_failure(self, dossier_id: str, failure: WorkflowFailure) -> None:
        """Store the workflow's failure on the dossier and append it to the audit trail."""
        ...

    def audit_trail(self, dossier_id: str) -> tuple[list[AuditEntry], list[DossierEvent]]:
        """Return the status changes and the other events of a dossier, oldest first."""
        ...

    def list_for_owner(self, owner: str) -> list[Dossier]:
        """Return the dossiers one account or office may read, newest first."""
        ...

    def list_queue(self) -> list[Dossier]:
        """Return the submitted dossiers not closed yet, earliest silence decision first.

        Suspended DIAs, without a deadline, come last.
        """
        ...


@dataclass(frozen=True)
class UploadTarget:
    """Presigned POST target through which a browser uploads one file straight to storage."""

    url: str
    fields: dict[str, str]
    key: str
    expires_in_seconds: int


class DocumentStore(Protocol):
    """Storage of uploaded documents and generated PDFs, addressed by key."""

    def create_upload(self, key: str, *, max_bytes: int, expires_in_seconds: int) -> UploadTarget:
        """Return a time-limited upload target for one PDF of at most ``max_bytes``.

        Storage may not enforce the size or the content type: every upload is checked again
        with ``pdf_check`` before it is attached to a dossier.
        """
        ...

    def read_upload(self, key: str, version_id: str, *, max_bytes: int) -> bytes:
        """Return at most ``max_bytes + 1`` bytes of one version of an uploaded file.

        Reading one byte more than the limit identifies an oversize file without holding it
        in memory. Raise NotFoundError when the version does not exist.
        """
        ...

    def get(self, key: str) -> bytes:
        """Return the stored bytes; raise NotFoundError when the key does not exist."""
        ...

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store generated bytes, as a new version of any previous object at the key."""
        ...

    def archive(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store a signed document once and never change it; raise ConflictError if present."""
        ...

    def read_archive(self, key: str) -> bytes:
        """Return an archived document; raise NotFoundError when the key does not exist."""
        ...

    def delete_version(self, key: str, version_id: str) -> None:
        """Remove one version of a rejected upload; a missing version is not an error."""
        ...

    def download_url(self, key: str, *, file_name: str, expires_in_seconds: int) -> str:
        """Return a time-limited address from which the document downloads as ``file_name``."""
        ...


class NotificationKind(StrEnum):
    ACCUSE_ENREGISTREMENT = "accuse_enregistrement"
    ACCUSE_RECEPTION = "accuse_reception"
    DOCUMENTS_REQUESTED = "documents_requested"
    VISIT_REQUESTED = "visit_requested"
    UPLOAD_REJECTED = "upload_rejected"
    DECISION_NOTIFIED = "decision_notified"
    TACIT_DECISION = "tacit_decision"


@dataclass(frozen=True)
class Notification:
    """A message to the filer about one dossier; the documents travel as stored keys."""

    dossier_id: str
    kind: NotificationKind
    recipient_email: str
    registration_number: str
    document_keys: tuple[str, ...] = ()
    parameters: dict[str, str] = field(default_factory=dict)
    """Values the message template shows, such as a rejection reason or a deadline."""


class Notifier(Protocol):
    """Delivery of notifications to the filer (e-mail)."""

    def notify(self, notification: Notification) -> None:
        """Send one notification; raise UnavailableError when the delivery service fails."""
        ...


class InstructionWorkflow(Protocol):
    """The instruction workflow of submitted dossiers (a Step Functions state machine)."""

    def start(self, dossier_id: str) -> None:
        """Start the workflow of a dossier; starting it again for the same dossier is a no-op."""
        ...

    def resume(self, task_token: str, output: dict[str, Any]) -> None:
        """Resume the step waiting on ``task_token`` with ``output``.

        Raise WorkflowStepGoneError when no step waits on the token any more.
        """
        ...

    def cancel(self, task_token: str, *, error: str, cause: str) -> None:
        """Fail the step waiting on ``task_token`` with ``error``, which the workflow catches.

        A token no step waits on any more is not an error.
        """
        ...


class AccountDirectory(Protocol):
    """Notary offices and signatories, registered by the service outside the identity token."""

    def office(self, office_id: str) -> NotaryOfficeAccount | None: ...

    def signatory(self, subject: str) -> SignatoryAccount | None: ...

    def silence_signatory(self) -> SignatoryAccount | None:
        """Return the signatory whose name the attestations of tacit decisions carry."""
        ...

    def save_office(self, office: NotaryOfficeAccount) -> None: ...

    def save_signatory(self, signatory: SignatoryAccount) -> None: ...
