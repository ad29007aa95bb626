"""Urbanism routes: drafts, pieces, submission, timeline and documents for applicants; the
queue and the instruction for agents; the signature for signatories."""

from __future__ import annotations

import re
from typing import Any

from chalice import Blueprint, Response

from demarches.errors import InvalidRequestError

from .http import JSON_HEADERS, Call, Param, endpoint, logger

urbanisme = Blueprint(__name__)

TAG = "urbanisme"
_DOSSIER_ID = re.compile(r"^urb-[0-9a-f]{24}$")
_DOSSIER = Param("dossier_id", "path", "Dossier id, urb- and 24 hexadecimal digits.", True)
_PIECE = Param("piece", "path", "Piece code, from the dossier's catalogue or requested.", True)
_IDEMPOTENCY = Param(
    "Idempotency-Key",
    "header",
    "Any unique string; a retried request with the same key returns the same draft.",
)


def _filing() -> Any:
    from demarches.bootstrap import urbanisme_filing

    return urbanisme_filing()


def _instruction() -> Any:
    from demarches.bootstrap import urbanisme_instruction

    return urbanisme_instruction()


def _dossier_id(call: Call) -> str:
    """Return the path's dossier id; an id of another shape gets the error of an unknown one."""
    from demarches.urbanisme.errors import DossierNotFoundError

    dossier_id = call.path["dossier_id"]
    if not _DOSSIER_ID.match(dossier_id):
        raise DossierNotFoundError(f"No dossier {dossier_id[:40]!r}.", field="dossier_id")
    return dossier_id


def _dossier_out(call: Call, dossier: Any) -> Any:
    from demarches.urbanisme.access import is_staff
    from demarches.urbanisme.api import DossierOut

    return DossierOut.of(dossier, for_staff=is_staff(call.identity))


def _json(body: Any, status: int, location: str | None = None) -> Response:
    headers = dict(JSON_HEADERS)
    if location:
        headers["Location"] = location
    return Response(body=body.model_dump(mode="json"), status_code=status, headers=headers)


@endpoint(
    urbanisme,
    "/urbanisme/dossiers",
    "POST",
    summary="Create a draft request: CUa, CUb or DIA (DIA: notaries' offices only)",
    tag=TAG,
    request="demarches.urbanisme.api:DraftCreate",
    response="demarches.urbanisme.api:DossierOut",
    status=201,
    params=(_IDEMPOTENCY,),
    errors=(401, 403, 422),
)
def create_draft(call: Call) -> Any:
    key = call.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 128:
        raise InvalidRequestError(
            "Idempotency-Key must be 1 to 128 characters", field="Idempotency-Key"
        )
    payload = call.body.request.model_dump(mode="json", exclude_none=True)
    dossier, created = _filing().create_draft(call.identity, payload, key)
    if created:
        logger.info("draft created", extra={"dossier_id": dossier.dossier_id, "demarche": TAG})
    location = f"/urbanisme/dossiers/{dossier.dossier_id}"
    return _json(_dossier_out(call, dossier), 201 if created else 200, location)


@endpoint(
    urbanisme,
    "/urbanisme/dossiers",
    "GET",
    summary="List your requests (your office's, for a notary), newest first",
    tag=TAG,
    response="demarches.urbanisme.api:DossierList",
    errors=(401,),
)
def list_dossiers(call: Call) -> Any:
    from demarches.urbanisme.api import DossierList, DossierSummary

    dossiers = _filing().list_mine(call.identity)
    return DossierList(dossiers=[DossierSummary.of(d) for d in dossiers])


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}",
    "GET",
    summary="Read a request with its pieces, documents and deadline",
    tag=TAG,
    response="demarches.urbanisme.api:DossierOut",
    params=(_DOSSIER,),
    errors=(401, 404),
)
def get_dossier(call: Call) -> Any:
    return _dossier_out(call, _filing().get(call.identity, _dossier_id(call)))


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}",
    "PUT",
    summary="Replace the request of a draft",
    tag=TAG,
    request="demarches.urbanisme.api:DraftUpdate",
    response="demarches.urbanisme.api:DossierOut",
    params=(_DOSSIER,),
    errors=(401, 404, 409, 422),
)
def update_draft(call: Call) -> Any:
    payload = call.body.request.model_dump(mode="json", exclude_none=True)
    dossier = _filing().update_draft(call.identity, _dossier_id(call), payload, call.body.version)
    return _dossier_out(call, dossier)


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/pieces/{piece}/upload",
    "POST",
    summary="Get a presigned POST to upload one PDF piece straight to storage",
    tag=TAG,
    request="demarches.urbanisme.api:UploadCreate",
    response="demarches.urbanisme.api:UploadTargetOut",
    status=201,
    params=(_DOSSIER, _PIECE),
    errors=(401, 404, 409, 422),
)
def create_upload(call: Call) -> Any:
    from demarches.bootstrap import settings
    from demarches.urbanisme.api import UploadTargetOut

    filing = _filing()
    dossier_id = _dossier_id(call)
    target, piece = filing.create_upload(
        call.identity, dossier_id, call.path["piece"], call.body.file_name
    )
    dossier = filing.get(call.identity, dossier_id)
    return UploadTargetOut.of(dossier, target, piece, settings().urbanisme_max_upload_bytes)


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/submit",
    "POST",
    summary="File a draft: returns the accusé d'enregistrement électronique at once",
    tag=TAG,
    response="demarches.urbanisme.api:AccuseEnregistrementOut",
    status=201,
    params=(_DOSSIER,),
    errors=(401, 404, 409, 422),
)
def submit(call: Call) -> Any:
    from demarches.urbanisme.accuses import accuse_reception_due
    from demarches.urbanisme.api import AccuseEnregistrementOut
    from demarches.urbanisme.dossier import DocumentKind

    filing = _filing()
    dossier_id = _dossier_id(call)
    dossier, created = filing.submit_once(call.identity, dossier_id)
    document = dossier.document(DocumentKind.ACCUSE_ENREGISTREMENT)
    body = AccuseEnregistrementOut(
        dossier_id=dossier.dossier_id,
        registration_number=str(dossier.registration_number),
        received_at=dossier.received_at,
        accuse_reception_due=accuse_reception_due(dossier.received_at),
        last_day=dossier.last_day,
        document_url=filing.download_url(dossier, document) if document else "",
    )
    if created:
        logger.info("request submitted", extra={"dossier_id": dossier_id, "demarche": TAG})
    return _json(body, 201 if created else 200)


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/timeline",
    "GET",
    summary="The request's timeline: every status change and checked piece, oldest first",
    tag=TAG,
    response="demarches.urbanisme.api:TimelineOut",
    params=(_DOSSIER,),
    errors=(401, 404),
)
def timeline(call: Call) -> Any:
    from demarches.urbanisme.api import TimelineEntryOut, TimelineOut

    dossier, entries = _filing().timeline(call.identity, _dossier_id(call))
    return TimelineOut(
        dossier_id=dossier.dossier_id,
        registration_number=str(dossier.registration_number)
        if dossier.registration_number
        else None,
        status=dossier.status,
        entries=[TimelineEntryOut.of(entry) for entry in entries],
    )


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/documents",
    "GET",
    summary="Download addresses of the request's documents, valid five minutes",
    tag=TAG,
    response="demarches.urbanisme.api:DocumentList",
    params=(_DOSSIER,),
    errors=(401, 404),
)
def documents(call: Call) -> Any:
    from demarches.urbanisme.api import DocumentLinkOut, DocumentList

    links = _filing().document_links(call.identity, _dossier_id(call))
    return DocumentList(
        documents=[
            DocumentLinkOut(kind=document.kind.value, issued_at=document.issued_at, url=url)
            for document, url in links
        ]
    )


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/complement",
    "POST",
    summary="Report the requested documents sent (applicant), or the visit held or refused (agent)",
    tag=TAG,
    request="demarches.urbanisme.api:ComplementOutcomeIn",
    response="demarches.urbanisme.api:DossierOut",
    status=202,
    params=(_DOSSIER,),
    errors=(401, 403, 404, 409, 410, 422, 503),
)
def report_complement(call: Call) -> Any:
    dossier = _instruction().report_complement(call.identity, _dossier_id(call), call.body)
    return _dossier_out(call, dossier)


@endpoint(
    urbanisme,
    "/urbanisme/queue",
    "GET",
    summary="Open requests of the territory, earliest deadline first (agents, signatories)",
    tag=TAG,
    response="demarches.urbanisme.api:DossierList",
    errors=(401, 403),
)
def queue(call: Call) -> Any:
    from demarches.urbanisme.api import DossierList, DossierSummary

    dossiers = _instruction().queue(call.identity)
    return DossierList(dossiers=[DossierSummary.of(d) for d in dossiers])


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/instruction",
    "POST",
    summary="Instruct a request: request documents, request a visit (DIA) or draft the "
    "decision (urbanism agents)",
    tag=TAG,
    request="demarches.urbanisme.api:InstructionIn",
    response="demarches.urbanisme.api:DossierOut",
    status=202,
    params=(_DOSSIER,),
    errors=(401, 403, 404, 409, 410, 422, 503),
)
def instruct(call: Call) -> Any:
    dossier_id = _dossier_id(call)
    dossier = _instruction().instruct(call.identity, dossier_id, call.body.root)
    logger.info(
        "instruction choice sent",
        extra={"dossier_id": dossier_id, "action": call.body.root.action, "demarche": TAG},
    )
    return _dossier_out(call, dossier)


@endpoint(
    urbanisme,
    "/urbanisme/dossiers/{dossier_id}/signature",
    "POST",
    summary="Sign the drafted decision, or return it for revision (signatories)",
    tag=TAG,
    request="demarches.urbanisme.api:SignatureIn",
    response="demarches.urbanisme.api:DossierOut",
    status=202,
    params=(_DOSSIER,),
    errors=(401, 403, 404, 409, 422, 503),
)
def sign(call: Call) -> Any:
    dossier_id = _dossier_id(call)
    dossier = _instruction().sign(call.identity, dossier_id, call.body)
    logger.info(
        "signature choice sent",
        extra={"dossier_id": dossier_id, "action": call.body.action, "demarche": TAG},
    )
    return _dossier_out(call, dossier)
