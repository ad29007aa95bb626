from __future__ import annotations

import pytest

from demarches.urbanisme.errors import ParcelIdInvalidError
from demarches.urbanisme.parcels import ParcelId, normalise_parcel_id, parse_parcel_id


def test_parse_splits_the_four_parts() -> None:
    parcel = parse_parcel_id("55545000AB0123")

    assert parcel.code_insee == "55545"
    assert parcel.prefix == "000"
    assert parcel.section == "AB"
    assert parcel.number == "0123"


def test_parse_normalises_case_and_spaces() -> None:
    parcel = parse_parcel_id(" 55545 000 ab 0123\t")

    assert str(parcel) == "55545000AB0123"


def test_parse_accepts_padded_one_letter_section() -> None:
    assert parse_parcel_id("555450000A0001").section == "0A"


def test_parse_accepts_corsican_insee_code() -> None:
    assert parse_parcel_id("2A004000AB0012").code_insee == "2A004"


def test_parse_accepts_former_commune_prefix() -> None:
    assert parse_parcel_id("55545123ZK0042").prefix == "123"


@pytest.mark.parametrize(
    ("text", "expected_fragment"),
    [
        ("55545000AB012", "expected 14 characters"),
        ("55545000AB01234", "expected 14 characters"),
        ("", "got 0"),
        ("5554X000AB0123", "INSEE code"),
        ("55545A00AB0123", "prefix"),
        ("55545000A-0123", "section"),
        ("55545000AB012X", "parcel number"),
        ("55545000AB0000", "0000 does not exist"),
    ],
)
def test_parse_rejects_with_the_faulty_part(text: str, expected_fragment: str) -> None:
    with pytest.raises(ParcelIdInvalidError) as caught:
        parse_parcel_id(text)

    assert expected_fragment in caught.value.message
    assert caught.value.code == "parcel_id_invalid"


def test_parse_rejects_non_ascii_digits() -> None:
    # Arabic-Indic digits match ``\d`` in Python regular expressions but are not cadastral.
    with pytest.raises(ParcelIdInvalidError):
        parse_parcel_id("55545000AB٠١٢٣")


def test_error_names_the_original_value() -> None:
    with pytest.raises(ParcelIdInvalidError) as caught:
        parse_parcel_id("abc")

    assert caught.value.details == {"value": "abc"}
    assert "'abc'" in caught.value.message


def test_normalise_keeps_invalid_text() -> None:
    assert normalise_parcel_id(" ab c ") == "ABC"


def test_label_reads_section_and_number() -> None:
    assert ParcelId("55545", "000", "0A", "0012").label_fr == "section A n° 12"
