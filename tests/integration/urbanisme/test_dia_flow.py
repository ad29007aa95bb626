"""A DIA from the notary's draft to the signed decision, through the real state machine."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import boto3
import pytest

from demarches import bootstrap
from demarches.urbanisme.signature import verify
from tests.integration.urbanisme.conftest import (
    create_draft,
    dia_request,
    document_url,
    download,
    emails_to,
    pdf_bytes,
    unique_email,
    upload,
    wait_for,
    wait_for_execution,
)

pytestmark = pytest.mark.xdist_group("urbanisme")

REGISTRATION = re.compile(r"^DIA-055545-\d{4}-\d{6}$")


def test_dia_from_draft_to_signed_decision(stack, notary, agent, signatory):
    notary_email = unique_email("etude")
    first = create_draft(notary, dia_request(notary_email), key="dia-double-click")
    again = create_draft(notary, dia_request(notary_email), key="dia-double-click")

    assert first.status_code == 201
    assert again.status_code == 200
    dossier_id = first.json()["dossier_id"]
    assert again.json()["dossier_id"] == dossier_id
    assert (
        len(
            [
                d
                for d in notary.get("/urbanisme/dossiers").json()["dossiers"]
                if d["dossier_id"] == dossier_id
            ]
        )
        == 1
    )

    piece = upload(notary, dossier_id, "plan_cadastral", "Plan cadastral.pdf", pdf_bytes(2))
    assert piece["status"] == "accepted"
    assert piece["page_count"] == 2

    submitted = notary.post(f"/urbanisme/dossiers/{dossier_id}/submit")
    assert submitted.status_code == 201, submitted.text
    accuse = submitted.json()
    assert REGISTRATION.match(accuse["registration_number"])
    assert download(accuse["document_url"]).startswith(b"%PDF-")
    resubmitted = notary.post(f"/urbanisme/dossiers/{dossier_id}/submit")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["registration_number"] == accuse["registration_number"]

    waiting = wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")
    received = date.fromisoformat(accuse["received_at"][:10])
    assert waiting["last_day"] is not None
    subjects = [mail.subject for mail in emails_to(notary_email)]
    assert subjects[0].startswith("Accusé d'enregistrement")
    assert any(subject.startswith("Accusé de réception") for subject in subjects)

    visit = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "request_visit", "message": "Visite souhaitée en matinée."},
    )
    assert visit.status_code == 202, visit.text
    suspended = wait_for(agent, dossier_id, status="awaiting_visit", awaiting="visit")
    assert suspended["last_day"] is None
    assert any("visite" in mail.subject.lower() for mail in emails_to(notary_email))

    second_request = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "request_documents", "message": "Bail", "documents": ["Bail"]},
    )
    assert second_request.status_code == 409

    held = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/complement", json={"outcome": "visit_held"}
    )
    assert held.status_code == 202, held.text
    resumed = wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")
    assert date.fromisoformat(resumed["last_day"]) >= received

    drafted = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "draft_decision", "decision": {"kind": "renonciation"}},
    )
    assert drafted.status_code == 202, drafted.text
    wait_for(signatory, dossier_id, status="awaiting_signature", awaiting="signature")
    queue = signatory.get("/urbanisme/queue").json()["dossiers"]
    assert dossier_id in [d["dossier_id"] for d in queue]

    signed = signatory.post(f"/urbanisme/dossiers/{dossier_id}/signature", json={"action": "sign"})
    assert signed.status_code == 202, signed.text
    closed = wait_for(notary, dossier_id, status="closed")
    assert closed["outcome"] == "renonciation"
    assert wait_for_execution(stack, dossier_id) == "SUCCEEDED"

    decision = download(document_url(notary, dossier_id, "decision"))
    root = bootstrap.urbanisme_local_ca().root_certificate
    result = verify(decision, root)
    assert result.acceptable
    assert result.signer_name == "Samuel Hazard"
    assert result.signer_capacity.startswith("Maire de Verdun")

    notified = [m for m in emails_to(notary_email) if m.subject.startswith("Décision")]
    assert len(notified) == 1
    assert list(notified[0].attachments.values()) == [decision]

    timeline = notary.get(f"/urbanisme/dossiers/{dossier_id}/timeline").json()["entries"]
    statuses = [entry["status"] for entry in timeline if entry["status"]]
    assert statuses == [
        "submitted",
        "under_instruction",
        "awaiting_visit",
        "under_instruction",
        "signed",
        "notified",
        "closed",
    ]
    assert all(entry["actor_id"] is None for entry in timeline)


def test_signed_decision_tampering_is_detected(stack, notary, agent, signatory):
    dossier_id = _signed_dia(stack, notary, agent, signatory)
    decision = download(document_url(notary, dossier_id, "decision"))
    root = bootstrap.urbanisme_local_ca().root_certificate

    position = (
        decision.index(b"Samuel Hazard") if b"Samuel Hazard" in decision else len(decision) // 3
    )
    tampered = bytearray(decision)
    tampered[position] ^= 0x01

    assert verify(decision, root).intact
    assert not verify(bytes(tampered), root).intact
    assert not verify(bytes(tampered), root).acceptable


def test_archived_decision_cannot_be_deleted(stack, notary, agent, signatory):
    dossier_id = _signed_dia(stack, notary, agent, signatory)
    registration = notary.get(f"/urbanisme/dossiers/{dossier_id}").json()["registration_number"]
    s3 = boto3.client("s3", endpoint_url=stack.emulator.endpoint_url)
    bucket = bootstrap.settings().urbanisme_archive_bucket
    key = f"decisions/{registration}/decision.pdf"

    head = s3.head_object(Bucket=bucket, Key=key)

    assert head["ObjectLockMode"] == "GOVERNANCE"
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.delete_object(Bucket=bucket, Key=key, VersionId=head["VersionId"])
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    archived = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert archived == download(document_url(notary, dossier_id, "decision"))


_SIGNED: dict[str, str] = {}


def _signed_dia(stack: Any, notary: Any, agent: Any, signatory: Any) -> str:
    """Return a DIA closed with a signed waiver, filed once per test process."""
    if "dossier_id" in _SIGNED:
        return _SIGNED["dossier_id"]
    response = create_draft(notary, dia_request(unique_email("etude")))
    dossier_id = response.json()["dossier_id"]
    assert notary.post(f"/urbanisme/dossiers/{dossier_id}/submit").status_code == 201
    wait_for(agent, dossier_id, awaiting="instruction")
    agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "draft_decision", "decision": {"kind": "renonciation"}},
    )
    wait_for(signatory, dossier_id, awaiting="signature")
    signatory.post(f"/urbanisme/dossiers/{dossier_id}/signature", json={"action": "sign"})
    wait_for(notary, dossier_id, status="closed")
    _SIGNED["dossier_id"] = dossier_id
    return dossier_id


def test_parallel_submissions_file_once(stack, notary):
    from concurrent.futures import ThreadPoolExecutor

    draft = create_draft(notary, dia_request(unique_email("etude")), key=None)
    dossier_id = draft.json()["dossier_id"]
    upload(notary, dossier_id, "plan_cadastral", "Plan cadastral.pdf", pdf_bytes(1))

    def submit(_: int) -> Any:
        return notary.post(f"/urbanisme/dossiers/{dossier_id}/submit")

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(submit, range(6)))

    statuses = sorted(r.status_code for r in responses)
    numbers = {r.json()["registration_number"] for r in responses}
    assert statuses == [200, 200, 200, 200, 200, 201]
    assert len(numbers) == 1
