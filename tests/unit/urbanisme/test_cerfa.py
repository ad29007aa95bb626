from __future__ import annotations

from typing import Any

import pytest

from demarches.territory import Territory
from demarches.urbanisme.cerfa import (
    CertificatUrbanismeA,
    CertificatUrbanismeB,
    CompanyParty,
    DeclarationIntentionAliener,
    PersonParty,
    parse_request,
    party_display_name,
    request_type_of,
)
from demarches.urbanisme.errors import RequestInvalidError
from demarches.urbanisme.request_type import RequestType

from .payloads import (
    COMPANY_SIRET,
    THIERVILLE,
    cua_payload,
    cub_payload,
    dia_payload,
)


def _issues(data: Any, territory: Territory | None = None) -> list[dict[str, str]]:
    with pytest.raises(RequestInvalidError) as caught:
        parse_request(data, territory=territory)
    issues: list[dict[str, str]] = caught.value.details["issues"]
    return issues


def _paths(issues: list[dict[str, str]]) -> list[str]:
    return [issue["path"] for issue in issues]


def test_union_picks_the_model_from_type() -> None:
    assert isinstance(parse_request(cua_payload()), CertificatUrbanismeA)
    assert isinstance(parse_request(cub_payload()), CertificatUrbanismeB)
    assert isinstance(parse_request(dia_payload()), DeclarationIntentionAliener)


def test_request_type_follows_the_model() -> None:
    assert request_type_of(parse_request(dia_payload())) is RequestType.DIA


def test_unknown_type_is_rejected() -> None:
    issues = _issues({"type": "PC"})

    assert issues[0]["code"] == "union_tag_invalid"


def test_missing_type_is_rejected() -> None:
    issues = _issues({"applicant": None})

    assert issues[0]["code"] == "union_tag_not_found"


def test_draft_with_only_type_is_valid() -> None:
    request = parse_request({"type": "DIA"})

    assert isinstance(request, DeclarationIntentionAliener)
    assert request.owner is None


def test_parcels_are_normalised() -> None:
    request = parse_request(cua_payload())

    assert isinstance(request, CertificatUrbanismeA)
    assert request.land is not None
    assert request.land.parcels == ["55545000AB0123", "555450000A0001"]


def test_siret_is_compacted() -> None:
    request = parse_request(cub_payload())

    assert isinstance(request, CertificatUrbanismeB)
    assert isinstance(request.applicant, CompanyParty)
    assert request.applicant.siret == COMPANY_SIRET


@pytest.mark.parametrize(
    ("siret", "fragment"),
    [
        ("55210055400014", "check digit"),
        ("5521005540001", "14 digits"),
        ("5521005540001A", "digits only"),
    ],
)
def test_invalid_siret_is_rejected(siret: str, fragment: str) -> None:
    data = cub_payload()
    data["applicant"]["siret"] = siret

    issues = _issues(data)

    assert _paths(issues) == ["applicant.siret"]
    assert issues[0]["code"] == "siret_invalid"
    assert fragment in issues[0]["message"]


def test_invalid_parcel_is_located_by_index() -> None:
    data = cua_payload()
    data["land"]["parcels"] = ["55545000AB0123", "55545000AB12"]

    issues = _issues(data)

    assert _paths(issues) == ["land.parcels.1"]
    assert issues[0]["code"] == "parcel_id_invalid"


def test_parcel_of_another_commune_is_rejected() -> None:
    data = cua_payload()
    data["land"]["parcels"] = [f"{THIERVILLE}000AB0123"]

    issues = _issues(data)

    assert _paths(issues) == ["land.parcels"]
    assert issues[0]["code"] == "parcel_commune_mismatch"


def test_duplicate_parcels_are_rejected() -> None:
    data = cua_payload()
    data["land"]["parcels"] = ["55545000AB0123", "55545 000 ab 0123"]

    issues = _issues(data)

    assert issues[0]["code"] == "parcel_duplicated"


def test_commune_outside_territory_is_rejected_with_context(territory: Territory) -> None:
    data = cua_payload()
    data["land"]["code_insee"] = "75056"
    data["land"]["parcels"] = ["75056000AB0001"]

    issues = _issues(data, territory)

    assert _paths(issues) == ["land.code_insee"]
    assert issues[0]["code"] == "commune_outside_territory"


def test_commune_outside_territory_passes_without_context() -> None:
    data = cua_payload()
    data["land"]["code_insee"] = "75056"
    data["land"]["parcels"] = ["75056000AB0001"]

    assert isinstance(parse_request(data), CertificatUrbanismeA)


def test_every_malformed_field_is_reported_at_once() -> None:
    data = dia_payload()
    data["owner"]["siret"] = "123"
    data["owner"]["email"] = "not-an-address"
    data["bien"]["parcels"] = ["bad"]
    data["sale"]["price_cents"] = 0
    data["notary"]["address"]["postcode"] = "5510"

    issues = _issues(data)

    assert sorted(_paths(issues)) == [
        "bien.parcels.0",
        "notary.address.postcode",
        "owner.email",
        "owner.siret",
        "sale.price_cents",
    ]


def test_foreign_postcode_is_free_form() -> None:
    data = cua_payload()
    data["applicant"]["address"] = {
        "street": "Rue de la Loi 16",
        "postcode": "B-1000",
        "city": "Bruxelles",
        "country": "BE",
    }

    assert isinstance(parse_request(data), CertificatUrbanismeA)


def test_unknown_field_is_rejected() -> None:
    data = cua_payload()
    data["land"]["zone"] = "UA"

    issues = _issues(data)

    assert _paths(issues) == ["land.zone"]
    assert issues[0]["code"] == "extra_forbidden"


def test_floor_area_of_unbuilt_property_is_rejected() -> None:
    data = dia_payload()
    data["bien"]["built"] = False

    issues = _issues(data)

    assert _paths(issues) == ["bien"]
    assert issues[0]["code"] == "floor_area_without_building"


def test_price_must_be_whole_cents() -> None:
    data = dia_payload()
    data["sale"]["price_cents"] = 1850.5

    issues = _issues(data)

    assert _paths(issues) == ["sale.price_cents"]


def test_display_name_of_person_and_company() -> None:
    person = PersonParty(kind="person", first_name="Anaïs", last_name="Lefèvre")
    company = CompanyParty(kind="company", company_name="SCI Les Écluses")

    assert party_display_name(person) == "Anaïs Lefèvre"
    assert party_display_name(company) == "SCI Les Écluses"


def test_round_trip_through_json_keeps_the_request() -> None:
    request = parse_request(dia_payload())

    again = parse_request(request.model_dump(mode="json"))

    assert again == request


@pytest.mark.parametrize(
    "name",
    ["Lef\u202eèvre", "Lefèvre\u0000", "Maison 🏠", "A" + "\u0301" * 10],
)
def test_unprintable_names_are_rejected(name: str) -> None:
    from pydantic import TypeAdapter, ValidationError

    from demarches.urbanisme.cerfa import Text

    with pytest.raises(ValidationError):
        TypeAdapter(Text).validate_python(name)


def test_compatibility_letters_are_normalised() -> None:
    from pydantic import TypeAdapter

    from demarches.urbanisme.cerfa import Text

    assert TypeAdapter(Text).validate_python("Ｌｅｆèｖｒｅ") == "Lefèvre"
    assert TypeAdapter(Text).validate_python("𝔄𝔫𝔫𝔢") == "Anne"
