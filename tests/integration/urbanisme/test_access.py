"""Who sees which dossier: the office's notaries, the resident who filed, the urbanism staff."""

from __future__ import annotations

import pytest

from tests.integration.urbanisme.conftest import (
    create_draft,
    cua_request,
    dia_request,
    new_dossier,
    request_upload,
    unique_email,
)

pytestmark = pytest.mark.xdist_group("urbanisme")


@pytest.fixture(scope="module")
def durand_dia(notary):
    return new_dossier(notary, dia_request(unique_email("etude")))


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", ""),
        ("GET", "/timeline"),
        ("GET", "/documents"),
        ("POST", "/submit"),
    ],
)
def test_other_office_gets_not_found(other_notary, durand_dia, method, suffix):
    response = other_notary.request(method, f"/urbanisme/dossiers/{durand_dia}{suffix}")

    assert response.status_code == 404
    assert response.json()["code"] == "dossier_not_found"


def test_other_office_cannot_upload(other_notary, durand_dia):
    response = request_upload(other_notary, durand_dia, "plan_cadastral", "plan.pdf")

    assert response.status_code == 404


def test_other_office_list_leaves_it_out(other_notary, durand_dia):
    listed = other_notary.get("/urbanisme/dossiers").json()["dossiers"]

    assert durand_dia not in [d["dossier_id"] for d in listed]


def test_same_office_sees_it(as_identity, notary, durand_dia):
    listed = notary.get("/urbanisme/dossiers").json()["dossiers"]

    assert durand_dia in [d["dossier_id"] for d in listed]


def test_resident_sees_only_own_requests(resident, other_resident, durand_dia):
    own = new_dossier(resident, cua_request(unique_email("cua")))

    assert resident.get(f"/urbanisme/dossiers/{durand_dia}").status_code == 404
    assert other_resident.get(f"/urbanisme/dossiers/{own}").status_code == 404
    assert resident.get(f"/urbanisme/dossiers/{own}").status_code == 200
    assert own not in [
        d["dossier_id"] for d in other_resident.get("/urbanisme/dossiers").json()["dossiers"]
    ]


def test_unknown_and_malformed_ids_answer_alike(notary):
    unknown = notary.get("/urbanisme/dossiers/urb-000000000000000000000000")
    malformed = notary.get("/urbanisme/dossiers/" + "x" * 3000)

    assert unknown.status_code == 404
    assert malformed.status_code == 404


def test_agent_reads_any_dossier_of_territory(agent, durand_dia):
    assert agent.get(f"/urbanisme/dossiers/{durand_dia}").status_code == 200


def test_queue_is_for_staff_only(notary, resident):
    assert notary.get("/urbanisme/queue").status_code == 403
    assert resident.get("/urbanisme/queue").status_code == 403


def test_queue_is_ordered_by_deadline(agent, resident, notary):
    cua = new_dossier(resident, cua_request(unique_email("cua")))
    dia = new_dossier(notary, dia_request(unique_email("etude")))
    assert notary.post(f"/urbanisme/dossiers/{dia}/submit").status_code == 201
    assert resident.post(f"/urbanisme/dossiers/{cua}/submit").status_code == 201

    queue = agent.get("/urbanisme/queue").json()["dossiers"]

    ids = [d["dossier_id"] for d in queue]
    assert ids.index(cua) < ids.index(dia)
    deadlines = [d["last_day"] for d in queue if d["last_day"]]
    assert deadlines == sorted(deadlines)


def test_resident_cannot_file_a_dia(resident):
    response = create_draft(resident, dia_request(unique_email("etude")))

    assert response.status_code == 403
    assert response.json()["code"] == "notary_office_required"


def test_dia_notary_block_is_prefilled_from_office(notary):
    request = dia_request(unique_email("etude"))
    del request["notary"]

    created = create_draft(notary, request).json()

    filed_by = created["request"]["notary"]
    assert filed_by["office_name"] == "Office notarial Durand"
    assert filed_by["siret"] == "90000001900019"
    assert filed_by["notary_name"] == "Maître Claire Durand"


def test_commune_outside_territory_is_rejected(resident):
    request = cua_request(unique_email("cua"))
    request["land"]["code_insee"] = "55029"
    request["land"]["parcels"] = ["55029000AB0001"]

    response = create_draft(resident, request)

    assert response.status_code == 422
    issues = response.json()["details"]["issues"]
    assert issues[0]["code"] == "commune_outside_territory"


def test_invalid_parcel_is_rejected(resident):
    request = cua_request(unique_email("cua"))
    request["land"]["parcels"] = ["55545000AB12"]

    response = create_draft(resident, request)

    assert response.status_code == 422
    assert response.json()["code"] in ("invalid_request", "request_invalid")


def test_reused_idempotency_key_with_other_request_is_rejected(resident):
    key = f"key-{unique_email('k')}"
    create_draft(resident, cua_request(unique_email("cua")), key=key)

    response = create_draft(resident, cua_request(unique_email("other")), key=key)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
