"""A CUb from the resident's draft to the signed certificate, with a request for documents
and a draft returned for revision, through the real state machine."""

from __future__ import annotations

import pytest

from demarches import bootstrap
from demarches.urbanisme.signature import verify
from tests.integration.urbanisme.conftest import (
    cub_request,
    document_url,
    download,
    emails_to,
    new_dossier,
    pdf_bytes,
    unique_email,
    upload,
    wait_for,
    wait_for_execution,
)

pytestmark = pytest.mark.xdist_group("urbanisme")

CERTIFICATE = {
    "kind": "certificat",
    "outcome": "realisable",
    "sections": [
        {
            "title": "Dispositions d'urbanisme applicables",
            "paragraphs": ["Le terrain est situé en zone UB du plan local d'urbanisme."],
        }
    ],
}


def test_cub_from_draft_to_signed_certificate(stack, resident, agent, signatory):
    applicant_email = unique_email("sci")
    dossier_id = new_dossier(resident, cub_request(applicant_email))
    changed = cub_request(applicant_email)
    changed["land"]["land_area_m2"] = 1300
    updated = resident.request(
        "PUT", f"/urbanisme/dossiers/{dossier_id}", json={"request": changed, "version": 1}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["request"]["land"]["land_area_m2"] == 1300
    stale = resident.request(
        "PUT", f"/urbanisme/dossiers/{dossier_id}", json={"request": changed, "version": 1}
    )
    assert stale.status_code == 409

    assert upload(resident, dossier_id, "plan_situation", "CU1.pdf", pdf_bytes())["status"] == (
        "accepted"
    )
    note = upload(resident, dossier_id, "note_descriptive", "CU2.pdf", pdf_bytes(3))
    assert note["status"] == "accepted"

    submitted = resident.post(f"/urbanisme/dossiers/{dossier_id}/submit")
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["registration_number"].startswith("CUb-055545-")
    started = wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")
    assert started["missing_pieces"] == []
    queue = agent.get("/urbanisme/queue").json()["dossiers"]
    assert dossier_id in [d["dossier_id"] for d in queue]

    requested = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={
            "action": "request_documents",
            "message": "Merci de joindre le titre de propriété.",
            "documents": ["Titre de propriété"],
        },
    )
    assert requested.status_code == 202, requested.text
    awaiting = wait_for(resident, dossier_id, status="awaiting_documents", awaiting="documents")
    assert awaiting["complement"]["documents"][0]["code"] == "complement_1"
    assert awaiting["last_day"] is not None  # a certificate's deadline is not suspended
    mail = next(m for m in emails_to(applicant_email) if "complémentaires" in m.subject)
    assert "Titre de propriété" in mail.text

    early = resident.post(
        f"/urbanisme/dossiers/{dossier_id}/complement", json={"outcome": "documents_received"}
    )
    assert early.status_code == 409
    assert early.json()["code"] == "complement_incomplete"
    title = upload(resident, dossier_id, "complement_1", "Titre.pdf", pdf_bytes())
    assert title["status"] == "accepted"
    assert title["label"] == "Titre de propriété"
    supplied = resident.post(
        f"/urbanisme/dossiers/{dossier_id}/complement", json={"outcome": "documents_received"}
    )
    assert supplied.status_code == 202, supplied.text
    wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")

    negative_without_reasons = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={
            "action": "draft_decision",
            "decision": {"kind": "certificat", "outcome": "non_realisable"},
        },
    )
    assert negative_without_reasons.status_code == 422
    assert negative_without_reasons.json()["field"] == "decision.sections"

    first_draft = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "draft_decision", "decision": CERTIFICATE},
    )
    assert first_draft.status_code == 202, first_draft.text
    wait_for(signatory, dossier_id, status="awaiting_signature", awaiting="signature")
    draft_pdf = download(document_url(agent, dossier_id, "projet_decision"))
    assert draft_pdf.startswith(b"%PDF-")
    applicant_documents = resident.get(f"/urbanisme/dossiers/{dossier_id}/documents").json()
    assert "projet_decision" not in [d["kind"] for d in applicant_documents["documents"]]

    returned = signatory.post(
        f"/urbanisme/dossiers/{dossier_id}/signature",
        json={"action": "return_for_revision", "note": "Préciser les taxes applicables."},
    )
    assert returned.status_code == 202, returned.text
    wait_for(agent, dossier_id, status="decision_drafted", awaiting="instruction")

    revised = dict(CERTIFICATE)
    revised["sections"] = [
        *CERTIFICATE["sections"],
        {"title": "Taxes", "paragraphs": ["Taxe d'aménagement : part communale de 5 %."]},
    ]
    second_draft = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "draft_decision", "decision": revised},
    )
    assert second_draft.status_code == 202, second_draft.text
    wait_for(signatory, dossier_id, status="awaiting_signature", awaiting="signature")
    double_click = [
        signatory.post(f"/urbanisme/dossiers/{dossier_id}/signature", json={"action": "sign"})
        for _ in range(2)
    ]
    assert [r.status_code for r in double_click] == [202, 409]

    closed = wait_for(resident, dossier_id, status="closed")
    assert closed["outcome"] == "certificat"
    assert wait_for_execution(stack, dossier_id) == "SUCCEEDED"
    certificate = download(document_url(resident, dossier_id, "decision"))
    result = verify(certificate, bootstrap.urbanisme_local_ca().root_certificate)
    assert result.acceptable
    assert result.signer_name == "Samuel Hazard"

    staff_timeline = agent.get(f"/urbanisme/dossiers/{dossier_id}/timeline").json()["entries"]
    labels = [entry["label"] for entry in staff_timeline]
    assert "Décision renvoyée pour modification" in labels
    returned_entry = next(e for e in staff_timeline if e["status"] == "decision_drafted")
    assert returned_entry["actor_id"] is not None
    applicant_timeline = resident.get(f"/urbanisme/dossiers/{dossier_id}/timeline").json()
    applicant_labels = [entry["label"] for entry in applicant_timeline["entries"]]
    assert "Décision renvoyée pour modification" not in applicant_labels
    assert "Pièce acceptée" in applicant_labels


def test_missing_pieces_are_listed_at_completeness(resident, agent):
    dossier_id = new_dossier(resident, cub_request(unique_email("sci")))

    assert resident.post(f"/urbanisme/dossiers/{dossier_id}/submit").status_code == 201

    started = wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")
    assert started["missing_pieces"] == ["plan_situation", "note_descriptive"]


def test_incomplete_draft_cannot_be_submitted(resident):
    request = cub_request(unique_email("sci"))
    del request["operation"]
    del request["land"]["parcels"]
    dossier_id = new_dossier(resident, request)

    response = resident.post(f"/urbanisme/dossiers/{dossier_id}/submit")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "submission_invalid"
    paths = [issue["path"] for issue in body["details"]["issues"]]
    assert paths == ["land.parcels", "operation.description"]
