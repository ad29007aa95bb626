"""Check of an uploaded file once storage reports it, whatever the upload policy promised.

Storage may not enforce the size and content type of the upload target, so the file is read
again and checked with ``pdf_check.check_pdf``. The piece is then marked accepted or rejected,
with the reason shown to the applicant. A rejected file version is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from aws_lambda_powertools import Logger

from demarches.errors import NotFoundError
from demarches.urbanisme.context import UrbanismeContext
from demarches.urbanisme.dossier import Dossier
from demarches.urbanisme.issuing import DocumentIssuer
from demarches.urbanisme.pdf_check import PdfCheckResult, check_pdf
from demarches.urbanisme.pieces import Piece, PieceStatus, parse_upload_key, piece_label
from demarches.urbanisme.ports import NotificationKind
from demarches.urbanisme.timeline import DossierEvent, EventKind
from demarches.urbanisme.workflow import Role

logger = Logger(service="demarches")


class PdfChecker(Protocol):
    """``pdf_check.check_pdf``, or a runner of it with resource limits."""

    def __call__(self, data: bytes, *, max_bytes: int, max_pages: int) -> PdfCheckResult: ...


@dataclass(frozen=True)
class StoredObject:
    """An object that storage reports as created."""

    bucket: str
    key: str
    version_id: str | None
    size: int | None


class UploadCheckService:
    def __init__(
        self, context: UrbanismeContext, *, bucket: str, checker: PdfChecker = check_pdf
    ) -> None:
        self._context = context
        self._bucket = bucket
        self._checker = checker
        self._issuer = DocumentIssuer(context)

    def check(self, stored: StoredObject) -> PieceStatus | None:
        """Check one uploaded object and record the outcome on its piece.

        Return the piece's new status, or None when the object is not an awaited upload: a
        key of another bucket or démarche, an upload replaced by a newer target, or an event
        delivered again for a piece already checked.
        """
        piece, dossier = self._awaited_piece(stored)
        if piece is None or dossier is None:
            return None
        limits = self._context.limits
        try:
            data = self._context.documents.read_upload(
                piece.key, stored.version_id or "", max_bytes=limits.max_bytes
            )
        except NotFoundError:
            logger.warning("upload vanished before its check", extra={"key": stored.key})
            return None
        result = self._checker(data, max_bytes=limits.max_bytes, max_pages=limits.max_pages)

        checked = self._checked_piece(piece, stored, result)
        if not self._context.repository.record_piece_check(
            dossier.dossier_id, checked, self._event(dossier, checked)
        ):
            logger.info("upload already checked", extra={"dossier_id": dossier.dossier_id})
            return None
        logger.info(
            "upload checked",
            extra={"dossier_id": dossier.dossier_id, "piece": piece.code, "reason": result.reason},
        )
        if checked.status is PieceStatus.REJECTED:
            self._discard(dossier, checked)
        return checked.status

    def _awaited_piece(self, stored: StoredObject) -> tuple[Piece | None, Dossier | None]:
        address = parse_upload_key(stored.key)
        if stored.bucket != self._bucket or address is None:
            return None, None
        try:
            dossier = self._context.repository.get(address.dossier_id)
        except NotFoundError:
            logger.warning("upload for an unknown dossier", extra={"key": stored.key})
            return None, None
        piece = dossier.piece(address.piece)
        if (
            piece is None
            or piece.upload_id != address.upload_id
            or piece.status is not PieceStatus.AWAITED
        ):
            logger.info("upload not awaited", extra={"dossier_id": dossier.dossier_id})
            return None, None
        return piece, dossier

    def _checked_piece(self, piece: Piece, stored: StoredObject, result: PdfCheckResult) -> Piece:
        return replace(
            piece,
            status=PieceStatus.ACCEPTED if result.accepted else PieceStatus.REJECTED,
            version_id=stored.version_id,
            checked_at=self._context.clock.now(),
            reason=result.reason.value if result.reason else None,
            message=result.message,
            size_bytes=stored.size if stored.size is not None else result.size_bytes,
            page_count=result.page_count,
        )

    def _event(self, dossier: Dossier, piece: Piece) -> DossierEvent:
        requested = dossier.complement.documents if dossier.complement else ()
        detail = {
            "piece": piece.code,
            "label": piece_label(dossier.request_type, piece.code, requested),
            "message": piece.message or "",
            "upload_id": piece.upload_id,
            "version_id": piece.version_id or "",
        }
        if piece.reason:
            detail["reason"] = piece.reason
        accepted = piece.status is PieceStatus.ACCEPTED
        return DossierEvent(
            dossier_id=dossier.dossier_id,
            at=piece.checked_at or self._context.clock.now(),
            kind=EventKind.PIECE_ACCEPTED if accepted else EventKind.PIECE_REJECTED,
            actor_id="system",
            role=Role.SYSTEM,
            detail=detail,
        )

    def _discard(self, dossier: Dossier, piece: Piece) -> None:
        if piece.version_id:
            self._context.documents.delete_version(piece.key, piece.version_id)
        if dossier.contact_email is None:
            return  # a draft's applicant reads the reason on the page they upload from
        self._issuer.notify(
            dossier,
            NotificationKind.UPLOAD_REJECTED,
            parameters={"file_name": piece.file_name, "message": piece.message or ""},
        )
