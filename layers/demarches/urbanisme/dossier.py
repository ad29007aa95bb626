"""The urbanism dossier: one request with its status, numbers, pieces, documents and deadline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from demarches.urbanisme.cerfa import DeclarationIntentionAliener, UrbanismeRequest
from demarches.urbanisme.deadlines import end_of_paris_day, instruction_deadline
from demarches.urbanisme.decision import DecisionDraft, DossierOutcome
from demarches.urbanisme.dia_suspension import (
    DiaDeadlineState,
    ResumeCause,
    SuspensionCause,
)
from demarches.urbanisme.dia_suspension import deadline as dia_deadline_last_day
from demarches.urbanisme.pieces import Piece
from demarches.urbanisme.registration import RegistrationNumber
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.workflow import DossierStatus


class DocumentKind(StrEnum):
    """Documents the service issues for a dossier."""

    ACCUSE_ENREGISTREMENT = "accuse_enregistrement"
    ACCUSE_RECEPTION = "accuse_reception"
    PROJET_DECISION = "projet_decision"
    """Unsigned draft for the signatory to read; never sent to the applicant."""
    DECISION = "decision"
    """The signed decision."""
    ATTESTATION_SILENCE = "attestation_silence"
    """Signed attestation of a tacit certificate or of a waiver of preemption by silence."""


@dataclass(frozen=True)
class IssuedDocument:
    """A document stored for a dossier, and whether it was sent to the applicant."""

    kind: DocumentKind
    key: str
    issued_at: datetime
    notified: bool = False


class AwaitedStep(StrEnum):
    """The step the instruction workflow waits on, with a task token stored on the dossier."""

    INSTRUCTION = "instruction"
    """The agent's choice: request documents, request a visit, or draft the decision."""
    DOCUMENTS = "documents"
    VISIT = "visit"
    SIGNATURE = "signature"


@dataclass(frozen=True)
class ComplementRequest:
    """The single request for missing documents, or for a visit of the property (DIA)."""

    cause: SuspensionCause
    requested_at: datetime
    requested_by: str
    message: str
    documents: tuple[str, ...] = ()
    """French labels of the requested documents; ``complement_1`` is the first."""
    resumed_on: date | None = None
    resume_cause: ResumeCause | None = None


@dataclass(frozen=True)
class WorkflowFailure:
    """An error of the instruction workflow that its retries did not clear."""

    after_step: str
    """The last state of the state machine that completed before the error."""
    error: str
    cause: str
    at: datetime


@dataclass(frozen=True)
class Dossier:
    """One request with its current status. ``version`` grows by one at each stored change."""

    dossier_id: str
    request_type: RequestType
    status: DossierStatus
    applicant_id: str
    """Account id of the filer: the resident or company for a CU, the notary for a DIA."""
    request: UrbanismeRequest
    version: int = 0
    registration_number: RegistrationNumber | None = None
    received_at: datetime | None = None
    """Aware UTC instant of receipt, set at submission; every deadline counts from it."""
    dia_deadline: DiaDeadlineState | None = None
    owner: str = ""
    """Who may read the dossier: ``office:<office id>`` for a notary's office, else
    ``user:<subject>``."""
    created_at: datetime | None = None
    contact_email: str | None = None
    """Where notifications go: the applicant's e-mail for a CU, the notary's for a DIA."""
    pieces: tuple[Piece, ...] = ()
    documents: tuple[IssuedDocument, ...] = ()
    complement: ComplementRequest | None = None
    decision: DecisionDraft | None = None
    missing_pieces: tuple[str, ...] = ()
    """Required pieces without an accepted upload at the completeness check."""
    outcome: DossierOutcome | None = None
    awaiting: AwaitedStep | None = None
    failure: WorkflowFailure | None = None

    def piece(self, code: str) -> Piece | None:
        return next((piece for piece in self.pieces if piece.code == code), None)

    def document(self, kind: DocumentKind) -> IssuedDocument | None:
        return next((document for document in self.documents if document.kind is kind), None)

    def with_document(self, document: IssuedDocument) -> Dossier:
        """Return the dossier with ``document`` replacing any previous one of its kind."""
        others = tuple(d for d in self.documents if d.kind is not document.kind)
        return replace(self, documents=(*others, document))

    @property
    def code_insee(self) -> str | None:
        site = (
            self.request.bien
            if isinstance(self.request, DeclarationIntentionAliener)
            else self.request.land
        )
        return site.code_insee if site is not None else None

    @property
    def last_day(self) -> date | None:
        """Last day of instruction, or None before receipt and while a DIA is suspended."""
        if self.received_at is None:
            return None
        if self.dia_deadline is not None:
            return dia_deadline_last_day(self.dia_deadline)
        return instruction_deadline(self.request_type, self.received_at).last_day

    @property
    def silence_decision_at(self) -> datetime | None:
        """Instant the silence decision arises: midnight in Paris after the last day."""
        last_day = self.last_day
        return end_of_paris_day(last_day) if last_day is not None else None
