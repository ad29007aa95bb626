"""Quotient familial over HTTP: automatic retrieval through the stand-ins of API Particulier
and API Impôt particulier, each failure of those services, and the paper path."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pikepdf
import pytest
import requests
from fpdf import FPDF

from demarches import bootstrap
from tests.integration.famille.conftest import YEAR, submit_registration

DUPONT = {
    "nom_naissance": "DUPONT",
    "prenoms": ["CAMILLE"],
    "sexe": "F",
    "annee_naissance": 1988,
    "mois_naissance": 3,
    "jour_naissance": 14,
    "code_pays_lieu_naissance": "99100",
    "code_insee_lieu_naissance": "55545",
}


def person(nom: str, prenom: str) -> dict[str, Any]:
    return {**DUPONT, "nom_naissance": nom, "prenoms": [prenom]}


def retrieve(family: Any, **lookup: Any) -> requests.Response:
    return family.client.post(f"/famille/quotient/{YEAR}/retrieval", json=lookup)


def stored_quotient(stack: Any, household_id: str) -> dict[str, Any] | None:
    dynamodb = boto3.client(
        "dynamodb", endpoint_url=stack.emulator.endpoint_url, region_name="eu-west-3"
    )
    item = dynamodb.get_item(
        TableName=bootstrap.settings().quotients_table,
        Key={"household_id": {"S": household_id}, "school_year": {"S": YEAR}},
    ).get("Item")
    return dict(item) if item else None


def notice_pdf(text: str = "Avis d'impôt 2026 sur les revenus 2025") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def upload(family: Any, data: bytes) -> str:
    presigned = family.client.post(f"/famille/quotient/{YEAR}/tax-notice")
    assert presigned.status_code == 201, presigned.text
    body = presigned.json()
    posted = requests.post(
        body["url"],
        data=body["fields"],
        files={"file": ("avis.pdf", data, "application/pdf")},
        timeout=10,
    )
    assert posted.status_code in (200, 201, 204), posted.text
    return str(body["key"])


@pytest.fixture
def short_read_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Give up on API Particulier after 0.3 s, so the stand-in's 2 s persona times out."""
    monkeypatch.setenv("FAMILLE_API_PARTICULIER__READ_TIMEOUT_SECONDS", "0.3")
    bootstrap.famille_settings.cache_clear()
    bootstrap.famille_quotients.cache_clear()
    yield
    monkeypatch.undo()
    bootstrap.famille_settings.cache_clear()
    bootstrap.famille_quotients.cache_clear()


def test_caf_quotient_stored_with_consent(new_family, stack):
    family = new_family()
    submit_registration(family)

    response = retrieve(family, allocataire=DUPONT)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["request"]["status"] == "obtained"
    assert body["quotient"]["quotient_familial"] == 612
    assert body["quotient"]["bracket"] == "T2"
    assert body["quotient"]["source"] == "caf"
    item = stored_quotient(stack, family.household_id)
    assert item is not None
    assert set(item) == {
        "household_id",
        "school_year",
        "quotient_familial",
        "bracket",
        "source",
        "obtained_at",
    }
    assert item["quotient_familial"] == {"N": "612"}


def test_msa_and_dgfip_sources(new_family):
    msa_family, dgfip_family = new_family(), new_family()
    submit_registration(msa_family)
    submit_registration(dgfip_family)

    msa = retrieve(msa_family, allocataire=person("LAMBERT", "THOMAS")).json()
    # Unknown to the CAF and the MSA, so the RFR formula applies: 36,705 / 12 / 2.5 = 1,223.5.
    dgfip = retrieve(
        dgfip_family, allocataire=person("INCONNU", "JEAN"), numero_fiscal="1234567890123"
    ).json()

    assert (msa["quotient"]["source"], msa["quotient"]["quotient_familial"]) == ("msa", 438)
    assert msa["quotient"]["bracket"] == "T1"
    assert (dgfip["quotient"]["source"], dgfip["quotient"]["quotient_familial"]) == ("dgfip", 1223)
    assert dgfip["quotient"]["bracket"] == "T4"


def test_retrieval_needs_recorded_consent(new_family):
    family = new_family()
    submit_registration(family, quotient_consent=False)

    response = retrieve(family, allocataire=DUPONT)

    assert response.status_code == 403
    assert response.json()["code"] == "quotient_consent_missing"


@pytest.mark.parametrize(
    ("lookup", "reason"),
    [
        ({"allocataire": person("INCONNU", "JEAN")}, "person_not_found"),
        ({"numero_fiscal": "9999999999999"}, "person_not_found"),
        ({"allocataire": person("PANNE", "MARIE")}, "service_unavailable"),
        ({"numero_fiscal": "5030000000000"}, "service_unavailable"),
    ],
)
def test_service_failure_offers_paper_path(new_family, stack, lookup, reason):
    family = new_family()
    submit_registration(family)

    response = retrieve(family, **lookup)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["request"]["status"] == "paper_required"
    assert body["request"]["reason"] == reason
    assert "avis d'imposition" in body["request"]["message"]
    assert body["quotient"] is None
    assert stored_quotient(stack, family.household_id) is None


def test_timeout_offers_paper_path(new_family, short_read_timeout):
    family = new_family()
    submit_registration(family)

    body = retrieve(family, allocataire=person("LENTEUR", "PAUL")).json()

    assert body["request"]["status"] == "paper_required"
    assert body["request"]["reason"] == "service_timed_out"


def test_paper_path_agent_enters_figure(new_family, agent, stack):
    family = new_family()
    submit_registration(family)
    retrieve(family, allocataire=person("INCONNU", "JEAN"))
    pdf = notice_pdf()

    key = upload(family, pdf)
    checked = family.client.post(f"/famille/quotient/{YEAR}/tax-notice/check", json={"key": key})
    link = agent.get(f"/famille/agent/quotients/{family.household_id}/{YEAR}/tax-notice")
    downloaded = requests.get(link.json()["url"], timeout=10)
    entered = agent.request(
        "PUT",
        f"/famille/agent/quotients/{family.household_id}/{YEAR}",
        json={"annual_income_cents": 3_670_500, "nombre_parts": "2.5"},
    )

    assert checked.status_code == 200, checked.text
    assert checked.json()["request"]["status"] == "notice_uploaded"
    assert downloaded.content == pdf
    assert entered.status_code == 200, entered.text
    assert entered.json()["quotient"] == {
        "quotient_familial": 1223,
        "bracket": "T4",
        "source": "paper",
        "obtained_at": entered.json()["quotient"]["obtained_at"],
    }
    assert family.client.get(f"/famille/quotient/{YEAR}").json()["request"]["status"] == "obtained"
    s3 = boto3.client("s3", endpoint_url=stack.emulator.endpoint_url, region_name="eu-west-3")
    versions = s3.list_object_versions(Bucket=bootstrap.settings().documents_bucket, Prefix=key)
    assert versions.get("Versions", []) == []


def encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(notice_pdf())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="o", user="u"))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not a pdf", "not_pdf"),
        (encrypted_pdf(), "encrypted"),
    ],
)
def test_tax_notice_rejected_and_deleted(new_family, stack, data, reason):
    family = new_family()
    submit_registration(family)

    key = upload(family, data)
    checked = family.client.post(f"/famille/quotient/{YEAR}/tax-notice/check", json={"key": key})

    assert checked.status_code == 200, checked.text
    assert checked.json()["request"]["status"] == "notice_rejected"
    assert checked.json()["request"]["reason"] == reason
    s3 = boto3.client("s3", endpoint_url=stack.emulator.endpoint_url, region_name="eu-west-3")
    versions = s3.list_object_versions(Bucket=bootstrap.settings().documents_bucket, Prefix=key)
    assert versions.get("Versions", []) == []


def test_tax_notice_check_needs_pending_upload(new_family):
    family = new_family()
    submit_registration(family)

    guessed = family.client.post(
        f"/famille/quotient/{YEAR}/tax-notice/check", json={"key": "famille/tax-notices/x.pdf"}
    )

    assert guessed.status_code == 404
    assert guessed.json()["code"] == "tax_notice_not_found"
