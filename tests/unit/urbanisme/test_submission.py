from __future__ import annotations

from typing import Any

import pytest

from demarches.territory import Territory
from demarches.urbanisme.cerfa import CertificatUrbanismeA, parse_request
from demarches.urbanisme.errors import SubmissionInvalidError
from demarches.urbanisme.issues import FieldIssue
from demarches.urbanisme.submission import (
    check_territory,
    ensure_submittable,
    validate_for_submission,
)

from .payloads import THIERVILLE, cua_payload, cub_payload, dia_payload


def _issues(data: dict[str, Any], territory: Territory) -> list[FieldIssue]:
    return validate_for_submission(parse_request(data), territory)


def _paths(issues: list[FieldIssue]) -> list[str]:
    return [issue.path for issue in issues]


@pytest.mark.parametrize("payload", [cua_payload, cub_payload, dia_payload])
def test_complete_request_has_no_issue(payload: Any, territory: Territory) -> None:
    assert _issues(payload(), territory) == []


def test_empty_cua_lists_every_missing_part(territory: Territory) -> None:
    issues = _issues({"type": "CUa"}, territory)

    assert _paths(issues) == ["applicant", "land"]
    assert {issue.code for issue in issues} == {"missing"}


def test_empty_dia_lists_every_missing_part(territory: Territory) -> None:
    issues = _issues({"type": "DIA"}, territory)

    assert _paths(issues) == ["owner", "bien", "sale", "notary"]


def test_cub_needs_the_operation(territory: Territory) -> None:
    data = cub_payload()
    del data["operation"]

    assert _paths(_issues(data, territory)) == ["operation.description"]


def test_company_needs_siret_and_representative(territory: Territory) -> None:
    data = cub_payload()
    del data["applicant"]["siret"]
    data["applicant"]["representative"] = {"last_name": "Husson"}

    issues = _issues(data, territory)

    assert _paths(issues) == [
        "applicant.siret",
        "applicant.representative.first_name",
        "applicant.representative.capacity",
    ]


def test_person_needs_names_address_and_email(territory: Territory) -> None:
    data = cua_payload()
    data["applicant"] = {"kind": "person"}

    issues = _issues(data, territory)

    assert _paths(issues) == [
        "applicant.last_name",
        "applicant.first_name",
        "applicant.address",
        "applicant.email",
    ]


def test_dia_owner_needs_no_email(territory: Territory) -> None:
    data = dia_payload()
    del data["owner"]["email"]

    assert _issues(data, territory) == []


def test_land_needs_parcels_area_and_street(territory: Territory) -> None:
    data = cua_payload()
    data["land"] = {"code_insee": "55545"}

    issues = _issues(data, territory)

    assert _paths(issues) == ["land.parcels", "land.land_area_m2", "land.address.street"]


def test_lieu_dit_replaces_the_street(territory: Territory) -> None:
    data = cua_payload()
    data["land"]["address"] = {"locality": "Les Hauts de Charny", "postcode": "55100"}

    assert _issues(data, territory) == []


def test_built_property_needs_floor_area(territory: Territory) -> None:
    data = dia_payload()
    del data["bien"]["floor_area_m2"]

    assert _paths(_issues(data, territory)) == ["bien.floor_area_m2"]


def test_built_must_be_answered(territory: Territory) -> None:
    data = dia_payload()
    del data["bien"]["built"]
    del data["bien"]["floor_area_m2"]

    assert _paths(_issues(data, territory)) == ["bien.built"]


def test_payment_on_terms_needs_details(territory: Territory) -> None:
    data = dia_payload()
    data["sale"]["payment_mode"] = "rente_viagere"

    assert _paths(_issues(data, territory)) == ["sale.payment_details"]


def test_notary_needs_office_siret_and_email(territory: Territory) -> None:
    data = dia_payload()
    data["notary"] = {"notary_name": "Maître Hélène Durand"}

    issues = _issues(data, territory)

    assert _paths(issues) == [
        "notary.office_name",
        "notary.siret",
        "notary.email",
        "notary.address",
    ]


def test_missing_and_territory_issues_come_together(territory: Territory) -> None:
    data = dia_payload()
    del data["sale"]["price_cents"]
    data["bien"]["parcels"] = [f"{THIERVILLE}000AB0001"]
    data["bien"]["code_insee"] = THIERVILLE
    data["bien"]["address"]["postcode"] = "55100"

    issues = _issues(data, territory)

    assert _paths(issues) == ["sale.price_cents", "bien.address.postcode"]


def test_commune_outside_territory_is_an_issue(territory: Territory) -> None:
    data = cua_payload()
    data["land"]["code_insee"] = "75056"
    data["land"]["parcels"] = ["75056000AB0001"]
    data["land"]["address"]["postcode"] = "75001"

    issues = check_territory(parse_request(data), territory)

    assert _paths(issues) == ["land.code_insee"]
    assert issues[0].code == "commune_outside_territory"


def test_parcel_commune_mismatch_is_an_issue_per_parcel(territory: Territory) -> None:
    # Built field by field: the model checks this too when both are set in one payload.
    request = parse_request(cua_payload())
    assert isinstance(request, CertificatUrbanismeA)
    assert request.land is not None
    land = request.land.model_copy(
        update={"parcels": ["55545000AB0001", f"{THIERVILLE}000AB0001", "55043000AB0001"]}
    )
    request = request.model_copy(update={"land": land})

    issues = check_territory(request, territory)

    assert _paths(issues) == ["land.parcels.1", "land.parcels.2"]
    assert {issue.code for issue in issues} == {"parcel_commune_mismatch"}


def test_postcode_must_belong_to_the_commune(territory: Territory) -> None:
    data = cua_payload()
    data["land"]["address"]["postcode"] = "55840"

    issues = check_territory(parse_request(data), territory)

    assert _paths(issues) == ["land.address.postcode"]


def test_ensure_submittable_raises_with_every_issue(territory: Territory) -> None:
    with pytest.raises(SubmissionInvalidError) as caught:
        ensure_submittable(parse_request({"type": "CUb"}), territory)

    assert caught.value.code == "submission_invalid"
    assert [issue["path"] for issue in caught.value.details["issues"]] == [
        "applicant",
        "land",
        "operation.description",
    ]


def test_ensure_submittable_accepts_a_complete_request(territory: Territory) -> None:
    ensure_submittable(parse_request(dia_payload()), territory)
