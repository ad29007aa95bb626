"""Filing use cases of the applicant: drafts, upload targets, submission and its accusé."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import replace
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import ValidationError

from demarches.errors import UnavailableError
from demarches.identity import Identity
from demarches.urbanisme.access import (
    is_staff,
    owned_dossier,
    owner_of,
    readable_dossier,
    require_filer,
)
from demarches.urbanisme.cerfa import (
    DeclarationIntentionAliener,
    NotaryOffice,
    UrbanismeRequest,
    parse_request,
    request_type_of,
)
from demarches.urbanisme.context import UrbanismeContext
from demarches.urbanisme.dia_suspension import start_dia_deadline
from demarches.urbanisme.documents import build_accuse_enregistrement
from demarches.urbanisme.dossier import DocumentKind, Dossier, IssuedDocument
from demarches.urbanisme.errors import (
    DossierChangedError,
    PieceNotUploadableError,
    RequestTypeChangedError,
    TransitionNotAllowedError,
)
from demarches.urbanisme.issuing import DocumentIssuer, download_name
from demarches.urbanisme.pdf_check import safe_file_name
from demarches.urbanisme.pieces import (
    COMPLEMENT_PREFIX,
    Piece,
    PieceStatus,
    piece_label,
    upload_key,
)
from demarches.urbanisme.ports import NotificationKind, UploadTarget
from demarches.urbanisme.registration import allocate_registration_number
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.submission import ensure_submittable
from demarches.urbanisme.timeline import DossierEvent, EventKind, TimelineEntry, build_timeline
from demarches.urbanisme.workflow import Action, DossierStatus, Role, apply_action

logger = Logger(service="demarches")

DOSSIER_ID_PREFIX = "urb-"
DOWNLOAD_EXPIRES_SECONDS = 300


class FilingService:
    def __init__(self, context: UrbanismeContext) -> None:
        self._context = context
        self._issuer = DocumentIssuer(context)

    def create_draft(
        self, identity: Identity, payload: dict[str, Any], idempotency_key: str | None
    ) -> tuple[Dossier, bool]:
        """Store a new draft; return it and whether it was created now.

        A retried request with the same ``idempotency_key`` returns the draft it created, so a
        double click does not file twice.
        """
        request = parse_request(payload, territory=self._context.territory)
        request_type = request_type_of(request)
        require_filer(identity, request_type)
        owner = owner_of(identity)
        now = self._context.clock.now()
        dossier = Dossier(
            dossier_id=_dossier_id(owner, idempotency_key),
            request_type=request_type,
            status=DossierStatus.DRAFT,
            applicant_id=identity.subject,
            request=self._prefill(identity, request),
            version=1,
            owner=owner,
            created_at=now,
        )
        event = DossierEvent(
            dossier.dossier_id, now, EventKind.DRAFT_CREATED, identity.subject, Role.APPLICANT
        )
        stored = self._context.repository.add(dossier, event, request_hash=_hash(payload))
        return (dossier, True) if stored is None else (stored, False)

    def update_draft(
        self,
        identity: Identity,
        dossier_id: str,
        payload: dict[str, Any],
        expected_version: int | None,
    ) -> Dossier:
        """Replace the request of a draft; the request type stays the one it was created with."""
        dossier = owned_dossier(self._context.repository, identity, dossier_id)
        if dossier.status is not DossierStatus.DRAFT:
            raise TransitionNotAllowedError(
                f"Dossier {dossier_id} is {dossier.status.value}: only a draft can be changed.",
                field="dossier_id",
            )
        request = parse_request(payload, territory=self._context.territory)
        if request_type_of(request) is not dossier.request_type:
            raise RequestTypeChangedError(
                f"This draft is a {dossier.request_type} request; create a new draft to file a "
                f"{request_type_of(request)} request.",
                field="request.type",
            )
        changed = replace(dossier, request=self._prefill(identity, request))
        version = dossier.version if expected_version is None else expected_version
        return self._context.repository.save_draft(changed, expected_version=version)

    def get(self, identity: Identity, dossier_id: str) -> Dossier:
        return readable_dossier(self._context.repository, identity, dossier_id)

    def list_mine(self, identity: Identity) -> list[Dossier]:
        return self._context.repository.list_for_owner(owner_of(identity))

    def timeline(self, identity: Identity, dossier_id: str) -> tuple[Dossier, list[TimelineEntry]]:
        """Return the dossier and its timeline; staff see actors, notes and failures."""
        dossier = readable_dossier(self._context.repository, identity, dossier_id)
        audit, events = self._context.repository.audit_trail(dossier_id)
        return dossier, build_timeline(audit, events, for_staff=is_staff(identity))

    def document_links(
        self, identity: Identity, dossier_id: str
    ) -> list[tuple[IssuedDocument, str]]:
        """Return the dossier's documents with time-limited download addresses.

        The applicant gets the documents sent to them; the draft decision is for staff only.
        """
        dossier = readable_dossier(self._context.repository, identity, dossier_id)
        staff = is_staff(identity)
        return [
            (document, self.download_url(dossier, document))
            for document in dossier.documents
            if staff or document.kind is not DocumentKind.PROJET_DECISION
        ]

    def download_url(self, dossier: Dossier, document: IssuedDocument) -> str:
        return self._context.documents.download_url(
            document.key,
            file_name=download_name(dossier, document.kind),
            expires_in_seconds=DOWNLOAD_EXPIRES_SECONDS,
        )

    def create_upload(
        self, identity: Identity, dossier_id: str, code: str, file_name: str
    ) -> tuple[UploadTarget, Piece]:
        """Issue the upload target of one piece; the file is checked once it lands."""
        dossier = owned_dossier(self._context.repository, identity, dossier_id)
        requested = dossier.complement.documents if dossier.complement else ()
        piece_label(dossier.request_type, code, requested)
        _ensure_uploadable(dossier, code)

        upload_id = secrets.token_hex(8)
        name = safe_file_name(file_name)
        key = upload_key(dossier_id, code, upload_id, name)
        limits = self._context.limits
        target = self._context.documents.create_upload(
            key, max_bytes=limits.max_bytes, expires_in_seconds=limits.expires_in_seconds
        )
        piece = Piece(
            code=code,
            status=PieceStatus.AWAITED,
            file_name=name,
            key=key,
            upload_id=upload_id,
            requested_at=self._context.clock.now(),
        )
        self._context.repository.set_piece(dossier_id, piece)
        return target, piece

    def submit(self, identity: Identity, dossier_id: str) -> Dossier:
        """File a draft: registration number, accusé d'enregistrement, instruction workflow.

        Submitting a dossier again returns it unchanged, with the accusé already issued.
        """
        return self.submit_once(identity, dossier_id)[0]

    def submit_once(self, identity: Identity, dossier_id: str) -> tuple[Dossier, bool]:
        """Submit like ``submit``, and tell whether this call filed the dossier.

        Concurrent submissions of one draft file it once: the others find it filed and
        return it, without the accusé while the first call is still issuing it.
        """
        dossier = owned_dossier(self._context.repository, identity, dossier_id)
        if dossier.registration_number is not None:
            return dossier, False
        try:
            submitted = self._register(identity, dossier)
        except DossierChangedError:
            current = owned_dossier(self._context.repository, identity, dossier_id)
            if current.registration_number is None:
                raise
            return current, False

        facts = self._issuer.facts(submitted)
        content = build_accuse_enregistrement(facts, self._context.service)
        document = self._issuer.issue(submitted, DocumentKind.ACCUSE_ENREGISTREMENT, content)
        try:
            self._issuer.notify(submitted, NotificationKind.ACCUSE_ENREGISTREMENT, (document,))
        except UnavailableError:
            # The workflow's first step sends it again.
            logger.warning("accuse d'enregistrement not sent", extra={"dossier_id": dossier_id})
        self._start_workflow(dossier_id)
        return submitted.with_document(document), True

    def _register(self, identity: Identity, dossier: Dossier) -> Dossier:
        ensure_submittable(dossier.request, self._context.territory)
        now = self._context.clock.now()
        code_insee = dossier.code_insee or ""
        number = allocate_registration_number(
            self._context.counter, dossier.request_type, code_insee, now
        )
        entry = apply_action(
            dossier_id=dossier.dossier_id,
            status=dossier.status,
            action=Action.SUBMIT,
            request_type=dossier.request_type,
            actor_id=identity.subject,
            role=Role.APPLICANT,
            at=now,
        )
        submitted = replace(
            dossier,
            status=entry.to_status,
            registration_number=number,
            received_at=entry.at,
            dia_deadline=start_dia_deadline(now)
            if dossier.request_type is RequestType.DIA
            else None,
            contact_email=_contact_email(dossier.request),
        )
        return self._context.repository.save(submitted, entry, expected_version=dossier.version)

    def _start_workflow(self, dossier_id: str) -> None:
        try:
            self._context.workflow.start(dossier_id)
        except UnavailableError:
            # The hourly deadline job starts the workflow of submitted dossiers left without one.
            logger.exception("instruction workflow not started", extra={"dossier_id": dossier_id})

    def _prefill(self, identity: Identity, request: UrbanismeRequest) -> UrbanismeRequest:
        """Fill the notary block of a DIA from the office's registered details, field by field.

        Values the notary typed are kept.
        """
        if not isinstance(request, DeclarationIntentionAliener) or not identity.office_id:
            return request
        office = self._context.directory.office(identity.office_id)
        if office is None:
            return request
        typed = request.notary.model_dump(exclude_none=True) if request.notary else {}
        registered = {
            "office_name": office.name,
            "notary_name": identity.name,
            "siret": office.siret,
            "email": office.email,
            "address": {"street": office.street, "postcode": office.postcode, "city": office.city},
        }
        try:
            notary = NotaryOffice.model_validate({**registered, **typed})
        except ValidationError:
            logger.warning("notary block not prefilled", extra={"office_id": identity.office_id})
            return request
        return request.model_copy(update={"notary": notary})


def _ensure_uploadable(dossier: Dossier, code: str) -> None:
    """Accept catalogue pieces on a draft, and requested or missing pieces while awaited."""
    if dossier.status is DossierStatus.DRAFT and not code.startswith(COMPLEMENT_PREFIX):
        return
    if dossier.status is DossierStatus.AWAITING_DOCUMENTS and (
        code.startswith(COMPLEMENT_PREFIX) or code in dossier.missing_pieces
    ):
        return
    raise PieceNotUploadableError(
        f"Dossier {dossier.dossier_id} is {dossier.status.value}: piece {code!r} cannot be "
        "uploaded now. Pieces are added to a draft, or when the service requests them.",
        field="piece",
        details={"status": dossier.status.value},
    )


def _dossier_id(owner: str, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return DOSSIER_ID_PREFIX + secrets.token_hex(12)
    digest = hashlib.sha256(f"{owner}\0{idempotency_key}".encode()).hexdigest()
    return DOSSIER_ID_PREFIX + digest[:24]


def _hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _contact_email(request: UrbanismeRequest) -> str | None:
    if isinstance(request, DeclarationIntentionAliener):
        return request.notary.email if request.notary else None
    return request.applicant.email if request.applicant else None
