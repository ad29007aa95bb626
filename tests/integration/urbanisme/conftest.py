"""Fixtures of the urbanism tests on the embedded stack: accounts, payloads, PDFs, uploads,
waiting for the workflow, and the e-mails the emulator's SES kept."""

from __future__ import annotations

import email
import email.policy
import io
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pikepdf
import pytest
import requests
from fpdf import FPDF

from demarches import bootstrap
from demarches.clock import FixedClock, SystemClock
from infra.local import lambda_bridge
from tests.conftest import ApiClient
from tests.unit.urbanisme import payloads

# Tests of one process share the stack and its clock: keep them on one worker.
pytestmark = pytest.mark.xdist_group("urbanisme")

WAIT_SECONDS = 20


@pytest.fixture(scope="session")
def notary(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("notaire.durand")


@pytest.fixture(scope="session")
def other_notary(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("notaire.petit")


@pytest.fixture(scope="session")
def resident(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("camille.martin")


@pytest.fixture(scope="session")
def other_resident(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("sophie.nguyen")


@pytest.fixture(scope="session")
def agent(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("agent.urbanisme")


@pytest.fixture(scope="session")
def signatory(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("elu.signataire")


@pytest.fixture
def clock_at() -> Iterator[Callable[[datetime], None]]:
    """Move the stack's clock to an instant for one test, then give the real time back."""

    def move(instant: datetime) -> None:
        bootstrap.use_clock(FixedClock(instant))

    yield move
    bootstrap.use_clock(SystemClock())


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.fr"


def dia_request(notary_email: str) -> dict[str, Any]:
    request = payloads.dia_payload()
    request["notary"]["email"] = notary_email
    return request


def cub_request(applicant_email: str) -> dict[str, Any]:
    request = payloads.cub_payload()
    request["applicant"]["email"] = applicant_email
    return request


def cua_request(applicant_email: str) -> dict[str, Any]:
    request = payloads.cua_payload()
    request["applicant"]["email"] = applicant_email
    return request


def create_draft(client: ApiClient, request: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/urbanisme/dossiers", json={"request": request}, headers=headers)


def new_dossier(client: ApiClient, request: dict[str, Any]) -> str:
    response = create_draft(client, request)
    assert response.status_code == 201, response.text
    return str(response.json()["dossier_id"])


# PDFs and other files


def pdf_bytes(pages: int = 1, text: str = "Plan de situation du terrain") -> bytes:
    document = FPDF()
    document.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        document.add_page()
        document.cell(text=f"{text} - page {number}")
    return bytes(document.output())


def encrypted_pdf() -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        output = io.BytesIO()
        pdf.save(output, encryption=pikepdf.Encryption(user="secret", owner="owner-secret"))
        return output.getvalue()


def javascript_pdf() -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('bonjour');")
        )
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


def png_bytes() -> bytes:
    # PNG signature and the start of an IHDR chunk: enough to be recognised as a PNG.
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + b"\0" * 64
    )


def padded_pdf(size: int, pages: int = 1) -> bytes:
    """A sound PDF of exactly ``size`` bytes, grown by a stream of random bytes."""
    filler = 0
    for _ in range(4):
        data = _with_filler(pages, filler)
        if len(data) == size:
            return data
        filler += size - len(data)
    raise AssertionError(f"could not build a PDF of {size} bytes")


def _with_filler(pages: int, filler: int) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes(pages))) as pdf:
        pdf.Root.PieceInfo = pdf.make_stream(random.Random(filler).randbytes(max(filler, 0)))
        output = io.BytesIO()
        pdf.save(
            output, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable
        )
        return output.getvalue()


# Uploads


def request_upload(client: ApiClient, dossier_id: str, piece: str, file_name: str) -> Any:
    return client.post(
        f"/urbanisme/dossiers/{dossier_id}/pieces/{piece}/upload", json={"file_name": file_name}
    )


def post_file(target: dict[str, Any], data: bytes) -> requests.Response:
    """Upload straight to storage with the presigned POST, as a browser form would."""
    return requests.post(
        target["url"],
        data=target["fields"],
        files={"file": ("upload.pdf", data, "application/pdf")},
        timeout=60,
    )


def upload(client: ApiClient, dossier_id: str, piece: str, file_name: str, data: bytes) -> Any:
    """Upload one file for a piece, wait for its check and return the piece as stored."""
    response = request_upload(client, dossier_id, piece, file_name)
    assert response.status_code == 201, response.text
    stored = post_file(response.json(), data)
    assert stored.status_code in (200, 201, 204), stored.text
    assert lambda_bridge.wait_idle(timeout=WAIT_SECONDS)
    dossier = client.get(f"/urbanisme/dossiers/{dossier_id}").json()
    return next(p for p in dossier["pieces"] if p["code"] == piece)


# Waiting for the workflow


def wait_for(
    client: ApiClient,
    dossier_id: str,
    *,
    status: str | None = None,
    awaiting: str | None = None,
    timeout: float = WAIT_SECONDS,
) -> dict[str, Any]:
    """Poll the dossier until it has ``status`` and waits on ``awaiting``; fail on timeout."""
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.get(f"/urbanisme/dossiers/{dossier_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        if (status is None or body["status"] == status) and (
            awaiting is None or body.get("awaiting") == awaiting
        ):
            return body
        time.sleep(0.05)
    raise AssertionError(
        f"dossier {dossier_id} is {body.get('status')} awaiting {body.get('awaiting')}; "
        f"expected {status} awaiting {awaiting}; failure: {body.get('failure')}"
    )


def execution(stack: Any, dossier_id: str) -> dict[str, Any]:
    """Describe the dossier's execution of the instruction state machine."""
    import boto3

    client = boto3.client("stepfunctions", endpoint_url=stack.emulator.endpoint_url)
    arn = bootstrap.settings().urbanisme_state_machine_arn
    execution_arn = arn.replace(":stateMachine:", ":execution:") + f":{dossier_id}"
    description: dict[str, Any] = client.describe_execution(executionArn=execution_arn)
    return description


def wait_for_execution(stack: Any, dossier_id: str, timeout: float = WAIT_SECONDS) -> str:
    deadline = time.monotonic() + timeout
    status = "RUNNING"
    while time.monotonic() < deadline:
        status = str(execution(stack, dossier_id)["status"])
        if status != "RUNNING":
            return status
        time.sleep(0.05)
    return status


def download(url: str) -> bytes:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    return response.content


def document_url(client: ApiClient, dossier_id: str, kind: str) -> str:
    documents = client.get(f"/urbanisme/dossiers/{dossier_id}/documents").json()["documents"]
    return str(next(d["url"] for d in documents if d["kind"] == kind))


# E-mails


@dataclass(frozen=True)
class SentEmail:
    to: str
    subject: str
    text: str
    attachments: dict[str, bytes]


def emails_to(address: str) -> list[SentEmail]:
    """E-mails the emulator's SES received for ``address``, oldest first."""
    from moto.ses.models import ses_backends

    from infra.local.provision import ACCOUNT_ID, REGION

    found = []
    for message in ses_backends[ACCOUNT_ID][REGION].sent_messages:
        if address not in message.destinations:
            continue
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        text = "" if body is None else str(body.get_content())
        attachments = {
            str(part.get_filename()): bytes(part.get_content())
            for part in parsed.iter_attachments()
        }
        found.append(SentEmail(address, str(parsed["Subject"]), text, attachments))
    return found
