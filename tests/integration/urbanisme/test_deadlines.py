"""The hourly deadline job: tacit certificate, visit refused by silence, twice-run safety, and
a failed workflow step recorded on the dossier."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import boto3
import pytest

from demarches import bootstrap
from demarches.urbanisme.signature import verify
from tests.integration.urbanisme.conftest import (
    cua_request,
    dia_request,
    document_url,
    download,
    emails_to,
    execution,
    new_dossier,
    unique_email,
    wait_for,
    wait_for_execution,
)

pytestmark = pytest.mark.xdist_group("urbanisme")

SWEEP = "urbanisme_expire_deadlines"


def sweep(stack):
    return stack.scheduler.fire_by_name(SWEEP)


def test_cua_past_its_deadline_gets_tacit_certificate(stack, resident, agent, clock_at):
    applicant_email = unique_email("cua")
    dossier_id = new_dossier(resident, cua_request(applicant_email))
    submitted = resident.post(f"/urbanisme/dossiers/{dossier_id}/submit").json()
    waiting = wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")
    last_day = date.fromisoformat(waiting["last_day"])
    received = datetime.fromisoformat(submitted["received_at"].replace("Z", "+00:00"))
    assert last_day in {received.date() + timedelta(days=n) for n in range(28, 32)}

    clock_at(received + timedelta(days=20))
    sweep(stack)
    early = resident.get(f"/urbanisme/dossiers/{dossier_id}").json()
    assert early["status"] == "under_instruction"

    clock_at(datetime.combine(last_day + timedelta(days=1), time(12, 0), UTC))
    first = sweep(stack)
    closed = wait_for(resident, dossier_id, status="closed")
    assert first["expired"] >= 1
    assert closed["outcome"] == "certificat_tacite"
    assert wait_for_execution(stack, dossier_id) == "SUCCEEDED"
    assert execution(stack, dossier_id)["status"] == "SUCCEEDED"

    attestation = download(document_url(resident, dossier_id, "attestation_silence"))
    result = verify(attestation, bootstrap.urbanisme_local_ca().root_certificate)
    assert result.acceptable
    assert result.signer_name == "Samuel Hazard"
    tacit_mails = [m for m in emails_to(applicant_email) if "tacite" in m.subject]
    assert len(tacit_mails) == 1
    assert list(tacit_mails[0].attachments.values()) == [attestation]

    version = closed["version"]
    sweep(stack)
    again = resident.get(f"/urbanisme/dossiers/{dossier_id}").json()
    assert again["version"] == version
    assert len([m for m in emails_to(applicant_email) if "tacite" in m.subject]) == 1
    statuses = [
        e["status"]
        for e in resident.get(f"/urbanisme/dossiers/{dossier_id}/timeline").json()["entries"]
        if e["status"]
    ]
    assert statuses == ["submitted", "under_instruction", "tacit", "closed"]


def test_visit_unanswered_for_eight_days_resumes_dia(stack, notary, agent, clock_at):
    dossier_id = new_dossier(notary, dia_request(unique_email("etude")))
    notary.post(f"/urbanisme/dossiers/{dossier_id}/submit")
    wait_for(agent, dossier_id, awaiting="instruction")
    requested = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "request_visit", "message": "Visite du bien."},
    )
    assert requested.status_code == 202, requested.text
    suspended = wait_for(agent, dossier_id, status="awaiting_visit", awaiting="visit")
    requested_on = date.fromisoformat(suspended["complement"]["requested_at"][:10])

    clock_at(datetime.now(UTC) + timedelta(days=10))
    report = sweep(stack)

    resumed = wait_for(agent, dossier_id, status="under_instruction", awaiting="instruction")
    assert report["visits_refused"] >= 1
    assert resumed["complement"]["resumed_on"] == (requested_on + timedelta(days=9)).isoformat()
    timeline = agent.get(f"/urbanisme/dossiers/{dossier_id}/timeline").json()["entries"]
    refusal = next(e for e in timeline if e["label"] == "Visite du bien refusée")
    assert refusal["role"] == "system"


def test_failed_step_is_recorded_on_dossier(stack, resident, agent):
    # The workflow of a draft fails at its first step: a draft has no registration number to
    # print on an accusé de réception, and that error is not one the state machine retries.
    dossier_id = new_dossier(resident, cua_request(unique_email("cua")))
    client = boto3.client("stepfunctions", endpoint_url=stack.emulator.endpoint_url)

    client.start_execution(
        stateMachineArn=bootstrap.settings().urbanisme_state_machine_arn,
        name=dossier_id,
        input=json.dumps({"dossier_id": dossier_id}),
    )

    assert wait_for_execution(stack, dossier_id) == "FAILED"
    dossier = agent.get(f"/urbanisme/dossiers/{dossier_id}").json()
    assert dossier["failure"]["error"] == "ValueError"
    assert dossier["failure"]["after_step"] == "Receive"
    applicant_view = resident.get(f"/urbanisme/dossiers/{dossier_id}").json()
    assert applicant_view["failure"] is None
    timeline = agent.get(f"/urbanisme/dossiers/{dossier_id}/timeline").json()["entries"]
    assert any(entry["label"].startswith("Incident") for entry in timeline)
