"""Uploads straight to S3, checked on their EventBridge event whatever the POST policy allows."""

from __future__ import annotations

import base64
import json

import boto3
import pytest

from demarches import bootstrap
from infra.local import lambda_bridge
from infra.local.provision import function_name
from infra.resources import STACK_NAME
from tests.conftest import load_event
from tests.integration.urbanisme.conftest import (
    cua_request,
    emails_to,
    encrypted_pdf,
    javascript_pdf,
    new_dossier,
    padded_pdf,
    pdf_bytes,
    png_bytes,
    post_file,
    request_upload,
    unique_email,
    upload,
    wait_for,
)

pytestmark = pytest.mark.xdist_group("urbanisme")

CHECK_UPLOAD = function_name(STACK_NAME, "urbanisme_check_upload")


@pytest.fixture
def draft(resident):
    return new_dossier(resident, cua_request(unique_email("cua")))


@pytest.mark.parametrize(
    ("name", "content", "status", "reason"),
    [
        ("valid", lambda: pdf_bytes(3), "accepted", None),
        ("encrypted", encrypted_pdf, "rejected", "encrypted"),
        ("javascript", javascript_pdf, "rejected", "javascript"),
        ("png named pdf", png_bytes, "rejected", "not_pdf"),
        ("empty", lambda: b"", "rejected", "empty"),
    ],
)
def test_upload_check_outcome(resident, draft, name, content, status, reason):
    piece = upload(resident, draft, "plan_situation", f"{name}.pdf", content())

    assert piece["status"] == status
    assert piece["reason"] == reason
    assert piece["message"]


def test_oversize_upload_is_rejected_and_deleted(stack, resident, draft):
    limit = bootstrap.settings().urbanisme_max_upload_bytes
    target = request_upload(resident, draft, "plan_situation", "gros.pdf").json()

    assert post_file(target, padded_pdf(limit + 1)).status_code in (200, 201, 204)
    assert lambda_bridge.wait_idle()

    piece = resident.get(f"/urbanisme/dossiers/{draft}").json()["pieces"][0]
    assert piece["status"] == "rejected"
    assert piece["reason"] == "too_large"
    assert "20" in piece["message"]
    s3 = boto3.client("s3", endpoint_url=stack.emulator.endpoint_url)
    bucket = bootstrap.settings().documents_bucket
    versions = s3.list_object_versions(Bucket=bucket, Prefix=target["key"]).get("Versions", [])
    assert versions == []


def test_upload_at_the_size_limit_is_accepted(resident, draft):
    limit = bootstrap.settings().urbanisme_max_upload_bytes

    piece = upload(resident, draft, "plan_situation", "limite.pdf", padded_pdf(limit))

    assert piece["status"] == "accepted"
    assert piece["size_bytes"] == limit


def test_unsafe_file_name_is_cleaned(resident, draft):
    target = request_upload(resident, draft, "plan_situation", "../../Plan de façade été.pdf")

    assert target.status_code == 201
    body = target.json()
    assert ".." not in body["key"]
    assert body["key"].startswith(f"uploads/{draft}/plan_situation/")
    assert body["key"].endswith("/Plan de façade été.pdf")
    assert body["piece"]["file_name"] == "Plan de façade été.pdf"
    assert body["fields"]["Content-Type"] == "application/pdf"
    policy = json.loads(base64.b64decode(body["fields"]["policy"]))
    limit = bootstrap.settings().urbanisme_max_upload_bytes
    assert ["content-length-range", 1, limit] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert {"key": body["key"]} in policy["conditions"]

    assert post_file(body, pdf_bytes()).status_code in (200, 201, 204)
    assert lambda_bridge.wait_idle()
    piece = resident.get(f"/urbanisme/dossiers/{draft}").json()["pieces"][0]
    assert piece["status"] == "accepted"


def test_same_event_twice_changes_nothing(resident, draft, check_events):
    upload(resident, draft, "plan_situation", "plan.pdf", pdf_bytes())
    before = resident.get(f"/urbanisme/dossiers/{draft}").json()
    timeline_before = resident.get(f"/urbanisme/dossiers/{draft}/timeline").json()["entries"]

    replay = lambda_bridge.invoke(CHECK_UPLOAD, check_events[-1])

    assert replay == {"status": None}
    assert resident.get(f"/urbanisme/dossiers/{draft}").json() == before
    timeline = resident.get(f"/urbanisme/dossiers/{draft}/timeline").json()["entries"]
    assert timeline == timeline_before
    assert [e["label"] for e in timeline].count("Pièce acceptée") == 1


def test_rejection_of_a_requested_document_is_mailed(resident, agent):
    applicant_email = unique_email("cua")
    dossier_id = new_dossier(resident, cua_request(applicant_email))
    resident.post(f"/urbanisme/dossiers/{dossier_id}/submit")
    wait_for(agent, dossier_id, awaiting="instruction")
    agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "request_documents", "message": "Plan", "documents": ["Plan de masse"]},
    )
    wait_for(resident, dossier_id, awaiting="documents")

    piece = upload(resident, dossier_id, "complement_1", "plan.pdf", javascript_pdf())

    assert piece["status"] == "rejected"
    refused = [m for m in emails_to(applicant_email) if m.subject.startswith("Document refusé")]
    assert len(refused) == 1
    assert "JavaScript" in refused[0].text


def test_event_for_no_awaited_upload_changes_nothing(stack):
    event = load_event("eventbridge", "s3-object-created")
    event["detail"]["bucket"]["name"] = bootstrap.settings().documents_bucket

    assert lambda_bridge.invoke(CHECK_UPLOAD, event) == {"status": None}


def test_piece_outside_the_catalogue_is_rejected(resident, draft):
    response = request_upload(resident, draft, "note_descriptive", "note.pdf")

    assert response.status_code == 422
    assert response.json()["code"] == "piece_unknown"


@pytest.fixture
def check_events():
    """Record the events delivered to the upload check, then restore its handler."""
    seen: list = []
    handler = lambda_bridge.registered()[CHECK_UPLOAD]

    def recording(event, context):
        seen.append(event)
        return handler(event, context)

    lambda_bridge.register(CHECK_UPLOAD, recording)
    yield seen
    lambda_bridge.register(CHECK_UPLOAD, handler)
