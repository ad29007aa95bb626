"""Pieces (attached documents) of a request: the catalogue per request type and their uploads.

Each upload gets its own storage key ``uploads/<dossier_id>/<piece>/<upload_id>/<file name>``,
issued with the upload target, so the check that follows an upload knows which piece and which
target the stored object answers. A piece keeps only its last upload target: asking for a new
one replaces the previous upload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from demarches.urbanisme.cerfa import CertificatUrbanismeB, UrbanismeRequest
from demarches.urbanisme.errors import PieceUnknownError
from demarches.urbanisme.pdf_check import safe_file_name
from demarches.urbanisme.request_type import RequestType

UPLOAD_PREFIX = "uploads/"
COMPLEMENT_PREFIX = "complement_"
"""Code prefix of the documents an agent requested: ``complement_1``, ``complement_2``..."""

_UPLOAD_KEY = re.compile(
    r"^uploads/(?P<dossier_id>urb-[0-9a-f]{24})/(?P<piece>[a-z0-9_]{1,40})"
    r"/(?P<upload_id>[0-9a-f]{16})/[^/]+$"
)


@dataclass(frozen=True)
class PieceSpec:
    """One piece of the catalogue: its code, its French label and whether it is required."""

    code: str
    label_fr: str
    required: bool


# Pieces listed on the cerfa forms' checklists (bordereau des pièces jointes). CU3 is required
# only when the land carries buildings, which ``required_pieces`` reads from the request.
# NOTE: codes and labels were not compared with the current edition of cerfa 13410.
_CU1 = PieceSpec("plan_situation", "Plan de situation du terrain (CU1)", required=True)
_CU2 = PieceSpec("note_descriptive", "Note descriptive succincte de l'opération (CU2)", True)
_CU3 = PieceSpec("plan_terrain", "Plan du terrain avec les bâtiments existants (CU3)", False)
_DIA_PLAN = PieceSpec("plan_cadastral", "Plan cadastral du bien", required=False)

CATALOGUE: dict[RequestType, tuple[PieceSpec, ...]] = {
    RequestType.CUA: (_CU1,),
    RequestType.CUB: (_CU1, _CU2, _CU3),
    RequestType.DIA: (_DIA_PLAN,),
}


class PieceStatus(StrEnum):
    AWAITED = "awaited"
    """An upload target was issued; no file was checked for it yet."""
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Piece:
    """The last upload of one piece of a dossier, with the outcome of its check."""

    code: str
    status: PieceStatus
    file_name: str
    """Name shown to the applicant, already made safe by ``pdf_check.safe_file_name``."""
    key: str
    upload_id: str
    requested_at: datetime
    version_id: str | None = None
    """Storage version of the checked file: later versions under the same key are ignored."""
    checked_at: datetime | None = None
    reason: str | None = None
    """``pdf_check.PdfRejection`` value of a rejected upload."""
    message: str | None = None
    """French message for the applicant: the page count, or why the file was rejected."""
    size_bytes: int | None = None
    page_count: int | None = None


def piece_label(request_type: RequestType, code: str, requested: tuple[str, ...] = ()) -> str:
    """Return the French label of a piece of the catalogue or of the requested documents.

    ``requested`` lists the labels of the documents an agent requested, in order: the piece
    ``complement_1`` is the first of them. Raises PieceUnknownError for any other code.
    """
    for spec in CATALOGUE[request_type]:
        if spec.code == code:
            return spec.label_fr
    if code.startswith(COMPLEMENT_PREFIX):
        index = code.removeprefix(COMPLEMENT_PREFIX)
        if index.isdigit() and 1 <= int(index) <= len(requested):
            return requested[int(index) - 1]
    known = [spec.code for spec in CATALOGUE[request_type]]
    known += [complement_code(i) for i in range(1, len(requested) + 1)]
    raise PieceUnknownError(
        f"A {request_type} request has no piece {code!r}; expected one of: {', '.join(known)}.",
        field="piece",
        details={"known": known},
    )


def complement_code(index: int) -> str:
    """Return the piece code of the ``index``-th requested document, counting from 1."""
    return f"{COMPLEMENT_PREFIX}{index}"


def required_pieces(request: UrbanismeRequest, request_type: RequestType) -> list[str]:
    """List the codes of the pieces the request must carry to be complete."""
    codes = [spec.code for spec in CATALOGUE[request_type] if spec.required]
    if (
        isinstance(request, CertificatUrbanismeB)
        and request.operation is not None
        and request.operation.existing_buildings
    ):
        codes.append(_CU3.code)
    return codes


def missing_pieces(required: list[str], pieces: tuple[Piece, ...]) -> list[str]:
    """Return the required codes without an accepted upload, in the order given."""
    accepted = {piece.code for piece in pieces if piece.status is PieceStatus.ACCEPTED}
    return [code for code in required if code not in accepted]


def upload_key(dossier_id: str, code: str, upload_id: str, file_name: str) -> str:
    """Return the storage key of one upload; the file name is made safe first."""
    return f"{UPLOAD_PREFIX}{dossier_id}/{code}/{upload_id}/{safe_file_name(file_name)}"


@dataclass(frozen=True)
class UploadAddress:
    """The dossier, piece and upload target that an uploaded object's key names."""

    dossier_id: str
    piece: str
    upload_id: str


def parse_upload_key(key: str) -> UploadAddress | None:
    """Read the dossier, piece and upload id from a key, or None for any other key.

    Only the ASCII parts before the file name are read, because storage events may spell the
    file name differently (URL-encoded) from the key that was issued.
    """
    match = _UPLOAD_KEY.match(key)
    if match is None:
        return None
    return UploadAddress(match["dossier_id"], match["piece"], match["upload_id"])
