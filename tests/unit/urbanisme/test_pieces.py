from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demarches.urbanisme.cerfa import parse_request
from demarches.urbanisme.errors import PieceUnknownError
from demarches.urbanisme.pieces import (
    Piece,
    PieceStatus,
    missing_pieces,
    parse_upload_key,
    piece_label,
    required_pieces,
    upload_key,
)
from demarches.urbanisme.request_type import RequestType

from .payloads import cua_payload, cub_payload

DOSSIER = "urb-0123456789abcdef01234567"
UPLOAD = "0123456789abcdef"


def piece(code: str, status: PieceStatus) -> Piece:
    return Piece(
        code=code,
        status=status,
        file_name=f"{code}.pdf",
        key=upload_key(DOSSIER, code, UPLOAD, f"{code}.pdf"),
        upload_id=UPLOAD,
        requested_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


def test_upload_key_round_trip():
    key = upload_key(DOSSIER, "plan_situation", UPLOAD, "Plan été.pdf")

    address = parse_upload_key(key)

    assert key == f"uploads/{DOSSIER}/plan_situation/{UPLOAD}/Plan été.pdf"
    assert address is not None
    assert (address.dossier_id, address.piece, address.upload_id) == (
        DOSSIER,
        "plan_situation",
        UPLOAD,
    )


def test_upload_key_strips_directories_from_file_name():
    key = upload_key(DOSSIER, "plan_situation", UPLOAD, "../../etc/passwd")

    assert key.endswith(f"/{UPLOAD}/passwd")
    assert ".." not in key


def test_upload_key_reads_url_encoded_file_name():
    address = parse_upload_key(
        f"uploads/{DOSSIER}/plan_situation/{UPLOAD}/Plan%20%C3%A9t%C3%A9.pdf"
    )

    assert address is not None
    assert address.piece == "plan_situation"


@pytest.mark.parametrize(
    "key",
    [
        "uploads/other/plan/0123456789abcdef/x.pdf",
        f"dossiers/{DOSSIER}/decision.pdf",
        f"uploads/{DOSSIER}/plan_situation/notanuploadid00/x.pdf",
        f"uploads/{DOSSIER}/plan_situation/{UPLOAD}/a/b.pdf",
    ],
)
def test_other_keys_are_not_uploads(key):
    assert parse_upload_key(key) is None


def test_cub_requires_plan_and_note():
    request = parse_request(cub_payload())

    assert required_pieces(request, RequestType.CUB) == ["plan_situation", "note_descriptive"]


def test_cub_with_buildings_requires_land_plan():
    payload = cub_payload()
    payload["operation"]["existing_buildings"] = True

    required = required_pieces(parse_request(payload), RequestType.CUB)

    assert required == ["plan_situation", "note_descriptive", "plan_terrain"]


def test_missing_pieces_ignore_rejected_and_awaited_uploads():
    pieces = (
        piece("plan_situation", PieceStatus.REJECTED),
        piece("note_descriptive", PieceStatus.ACCEPTED),
    )
    required = required_pieces(parse_request(cub_payload()), RequestType.CUB)

    assert missing_pieces(required, pieces) == ["plan_situation"]


def test_requested_document_label_comes_from_the_request():
    label = piece_label(RequestType.DIA, "complement_2", ("Bail", "Diagnostic amiante"))

    assert label == "Diagnostic amiante"


@pytest.mark.parametrize("code", ["note_descriptive", "complement_1", "complement_0", "../x"])
def test_unknown_piece_is_rejected(code):
    with pytest.raises(PieceUnknownError) as error:
        piece_label(RequestType.CUA, code)

    assert error.value.field == "piece"


def test_cua_catalogue_has_one_required_piece():
    assert required_pieces(parse_request(cua_payload()), RequestType.CUA) == ["plan_situation"]
