"""Request and response models of the urbanism HTTP API and of the workflow's payloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

from demarches.urbanisme.cerfa import (
    DeclarationIntentionAliener,
    UrbanismeRequest,
    party_display_name,
)
from demarches.urbanisme.decision import DecisionDraft, DecisionKind, DossierOutcome
from demarches.urbanisme.documents import CertificatOutcome, DecisionSection
from demarches.urbanisme.dossier import AwaitedStep, Dossier
from demarches.urbanisme.pieces import CATALOGUE, Piece, PieceStatus, piece_label
from demarches.urbanisme.ports import UploadTarget
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.timeline import TimelineEntry
from demarches.urbanisme.workflow import DossierStatus

DOSSIER_ID_PATTERN = r"^urb-[0-9a-f]{24}$"

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Requests of the applicant


class DraftCreate(_Model):
    request: UrbanismeRequest = Field(
        description="The cerfa request, complete or not: CUa, CUb (cerfa 13410) or DIA "
        "(cerfa 10072), told apart by its type."
    )


class DraftUpdate(_Model):
    request: UrbanismeRequest
    version: int | None = Field(
        None, ge=1, description="Version read before the change; a newer stored one gets 409."
    )


class UploadCreate(_Model):
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255)] = Field(
        description="Name of the file on the applicant's computer; stored made safe."
    )


class ComplementOutcomeIn(_Model):
    outcome: Literal["documents_received", "visit_held", "visit_refused"]
    on: date | None = Field(
        None,
        description="Day of receipt, of the visit or of the refusal (Europe/Paris); today "
        "when omitted. Applicants may only report the documents, today.",
    )


# Requests of agents and signatories


class SectionIn(_Model):
    title: ShortText
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=30)


class DecisionIn(_Model):
    kind: DecisionKind
    sections: list[SectionIn] = Field(default_factory=list, max_length=20)
    outcome: CertificatOutcome | None = Field(
        None, description="CUb only: whether the land can be used for the operation."
    )
    offered_price_cents: int | None = Field(None, gt=0, le=10**15)
    reasons: list[Paragraph] = Field(default_factory=list, max_length=20)

    def to_draft(self, drafted_by: str, drafted_at: datetime) -> DecisionDraft:
        return DecisionDraft(
            kind=self.kind,
            drafted_by=drafted_by,
            drafted_at=drafted_at,
            sections=tuple(
                DecisionSection(title=s.title, paragraphs=tuple(s.paragraphs))
                for s in self.sections
            ),
            certificat_outcome=self.outcome,
            offered_price_cents=self.offered_price_cents,
            reasons=tuple(self.reasons),
        )


class RequestDocumentsChoice(_Model):
    action: Literal["request_documents"]
    message: Paragraph
    documents: list[ShortText] = Field(min_length=1, max_length=10)


class RequestVisitChoice(_Model):
    action: Literal["request_visit"]
    message: Paragraph


class DraftDecisionChoice(_Model):
    action: Literal["draft_decision"]
    decision: DecisionIn


InstructionChoice = Annotated[
    RequestDocumentsChoice | RequestVisitChoice | DraftDecisionChoice,
    Field(discriminator="action"),
]


class InstructionIn(RootModel[InstructionChoice]):
    """The agent's choice: request documents, request a visit (DIA), or draft the decision."""


class SignatureIn(_Model):
    action: Literal["sign", "return_for_revision"]
    note: Paragraph | None = Field(None, description="Required to return a draft for revision.")


# Payloads of the instruction workflow (Step Functions)


class StepInput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    dossier_id: str = Field(pattern=DOSSIER_ID_PATTERN)


class AwaitInput(StepInput):
    step: AwaitedStep
    task_token: str = Field(min_length=1)


class InstructionResumption(_Model):
    """Output of the instruction step: the agent's choice and who made it."""

    choice: InstructionChoice
    actor_id: str


class InstructionStepInput(StepInput):
    instruction: InstructionResumption


class ComplementResumption(_Model):
    """Output of the documents or visit step: what ended it, on which day, and who said so."""

    outcome: Literal["documents_received", "visit_held", "visit_refused"]
    on: date
    actor_id: str
    role: Literal["applicant", "agent", "system"]


class SignatureResumption(_Model):
    action: Literal["sign", "return_for_revision"]
    actor_id: str
    note: str | None = None


class ResumeStepInput(StepInput):
    resumption: ComplementResumption | SignatureResumption


class SignStepInput(StepInput):
    signature: SignatureResumption


class FailureInput(StepInput):
    error: dict[str, Any] = Field(default_factory=dict)
    """The state machine's error object: ``Error`` and ``Cause``."""
    after_step: str = "unknown"
    """The last state that completed before the error."""


# Responses


class PieceOut(_Model):
    code: str
    label: str
    status: PieceStatus
    file_name: str
    requested_at: datetime
    checked_at: datetime | None = None
    reason: str | None = None
    message: str | None = None
    size_bytes: int | None = None
    page_count: int | None = None

    @classmethod
    def of(cls, dossier: Dossier, piece: Piece) -> PieceOut:
        requested = dossier.complement.documents if dossier.complement else ()
        return cls(
            code=piece.code,
            label=piece_label(dossier.request_type, piece.code, requested),
            status=piece.status,
            file_name=piece.file_name,
            requested_at=piece.requested_at,
            checked_at=piece.checked_at,
            reason=piece.reason,
            message=piece.message,
            size_bytes=piece.size_bytes,
            page_count=piece.page_count,
        )


class PieceSpecOut(_Model):
    code: str
    label: str
    required: bool


class ComplementOut(_Model):
    kind: str
    requested_at: datetime
    message: str
    documents: list[PieceSpecOut]
    resumed_on: date | None = None


class DocumentOut(_Model):
    kind: str
    issued_at: datetime


class FailureOut(_Model):
    after_step: str
    error: str
    at: datetime


class DossierOut(_Model):
    dossier_id: str
    request_type: RequestType
    status: DossierStatus
    version: int
    registration_number: str | None = None
    created_at: datetime | None = None
    received_at: datetime | None = None
    last_day: date | None = Field(
        None, description="Last day of instruction; null before receipt or while suspended."
    )
    outcome: DossierOutcome | None = None
    awaiting: AwaitedStep | None = None
    request: dict[str, Any]
    catalogue: list[PieceSpecOut]
    pieces: list[PieceOut]
    missing_pieces: list[str]
    documents: list[DocumentOut]
    complement: ComplementOut | None = None
    failure: FailureOut | None = None

    @classmethod
    def of(cls, dossier: Dossier, *, for_staff: bool = False) -> DossierOut:
        documents = [
            DocumentOut(kind=d.kind.value, issued_at=d.issued_at)
            for d in dossier.documents
            if for_staff or d.kind.value != "projet_decision"
        ]
        return cls(
            dossier_id=dossier.dossier_id,
            request_type=dossier.request_type,
            status=dossier.status,
            version=dossier.version,
            registration_number=_text(dossier.registration_number),
            created_at=dossier.created_at,
            received_at=dossier.received_at,
            last_day=dossier.last_day,
            outcome=dossier.outcome,
            awaiting=dossier.awaiting,
            request=dossier.request.model_dump(mode="json", exclude_none=True),
            catalogue=[
                PieceSpecOut(code=spec.code, label=spec.label_fr, required=spec.required)
                for spec in CATALOGUE[dossier.request_type]
            ],
            pieces=[PieceOut.of(dossier, piece) for piece in dossier.pieces],
            missing_pieces=list(dossier.missing_pieces),
            documents=documents,
            complement=_complement_out(dossier),
            failure=_failure_out(dossier) if for_staff else None,
        )


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)


def _complement_out(dossier: Dossier) -> ComplementOut | None:
    complement = dossier.complement
    if complement is None:
        return None
    return ComplementOut(
        kind=complement.cause.value,
        requested_at=complement.requested_at,
        message=complement.message,
        documents=[
            PieceSpecOut(code=f"complement_{index}", label=label, required=True)
            for index, label in enumerate(complement.documents, start=1)
        ],
        resumed_on=complement.resumed_on,
    )


def _failure_out(dossier: Dossier) -> FailureOut | None:
    failure = dossier.failure
    if failure is None:
        return None
    return FailureOut(after_step=failure.after_step, error=failure.error, at=failure.at)


class DossierSummary(_Model):
    dossier_id: str
    request_type: RequestType
    status: DossierStatus
    registration_number: str | None = None
    applicant_name: str | None = None
    code_insee: str | None = None
    created_at: datetime | None = None
    received_at: datetime | None = None
    last_day: date | None = None
    awaiting: AwaitedStep | None = None
    failed: bool = False

    @classmethod
    def of(cls, dossier: Dossier) -> DossierSummary:
        return cls(
            dossier_id=dossier.dossier_id,
            request_type=dossier.request_type,
            status=dossier.status,
            registration_number=_text(dossier.registration_number),
            applicant_name=_applicant_name(dossier),
            code_insee=dossier.code_insee,
            created_at=dossier.created_at,
            received_at=dossier.received_at,
            last_day=dossier.last_day,
            awaiting=dossier.awaiting,
            failed=dossier.failure is not None,
        )


def _applicant_name(dossier: Dossier) -> str | None:
    request = dossier.request
    party = request.owner if isinstance(request, DeclarationIntentionAliener) else request.applicant
    if party is None:
        return None
    return party_display_name(party) or None


class DossierList(_Model):
    dossiers: list[DossierSummary]


class UploadTargetOut(_Model):
    url: str
    fields: dict[str, str] = Field(
        description="Form fields to send, in this order, before the file field named 'file'."
    )
    key: str
    expires_in_seconds: int
    max_bytes: int
    piece: PieceOut

    @classmethod
    def of(
        cls, dossier: Dossier, target: UploadTarget, piece: Piece, max_bytes: int
    ) -> UploadTargetOut:
        return cls(
            url=target.url,
            fields=target.fields,
            key=target.key,
            expires_in_seconds=target.expires_in_seconds,
            max_bytes=max_bytes,
            piece=PieceOut.of(dossier, piece),
        )


class AccuseEnregistrementOut(_Model):
    """The accusé d'enregistrement électronique, returned as soon as the request is filed."""

    dossier_id: str
    registration_number: str
    received_at: datetime
    accuse_reception_due: date
    last_day: date | None
    document_url: str


class TimelineEntryOut(_Model):
    at: datetime
    label: str
    role: str
    status: DossierStatus | None = None
    actor_id: str | None = None
    detail: str | None = None

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineEntryOut:
        return cls(
            at=entry.at,
            label=entry.label,
            role=entry.role.value,
            status=entry.status,
            actor_id=entry.actor_id,
            detail=entry.detail,
        )


class TimelineOut(_Model):
    dossier_id: str
    registration_number: str | None
    status: DossierStatus
    entries: list[TimelineEntryOut]


class DocumentLinkOut(_Model):
    kind: str
    issued_at: datetime
    url: str


class DocumentList(_Model):
    documents: list[DocumentLinkOut]
