"""The PayFiP port rules, and the whole payment flow through the local fake PayFiP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests

from demarches.famille.errors import (
    PaymentNotificationInvalidError,
    PaymentRequestInvalidError,
    PaymentServiceUnavailableError,
)
from demarches.famille.payfip import (
    PaymentRequest,
    PaymentStatus,
    payment_id_from_notification,
    status_from_result_code,
    validate_payment_request,
)
from infra.local.fakes._http import RunningServer
from infra.local.fakes.payfip import LocalPayfipGateway, start

VALID = PaymentRequest(
    invoice_number="PERI-202609-FAM042",
    amount_cents=4230,
    payer_email="camille.dupont@example.org",
    return_url="http://127.0.0.1:9/retour",
)


class NotificationReceiver(ThreadingHTTPServer):
    """Loopback endpoint that stores the form bodies PayFiP posts to it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.notifications: list[dict[str, list[str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/payfip/notification"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: NotificationReceiver

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.notifications.append(parse_qs(self.rfile.read(length).decode()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[NotificationReceiver]:
    server = NotificationReceiver()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def fake() -> Iterator[RunningServer]:
    server = start(0, client_number="000001")
    yield server
    server.stop()


@pytest.fixture
def gateway(fake: RunningServer, receiver: NotificationReceiver) -> LocalPayfipGateway:
    return LocalPayfipGateway(
        base_url=fake.base_url, client_number="000001", notification_url=receiver.url
    )


def pay(redirect_url: str, choice: str) -> requests.Response:
    page = requests.get(redirect_url, timeout=5)
    idop = redirect_url.split("idop=")[1]
    form_url = page.url.split("?")[0]
    return requests.post(
        form_url, data={"idop": idop, "choix": choice}, allow_redirects=False, timeout=5
    )


def test_payment_page_shows_amount_and_buttons(gateway: LocalPayfipGateway) -> None:
    created = gateway.create_payment(VALID)
    page = requests.get(created.redirect_url, timeout=5)
    assert page.status_code == 200
    assert "42,30\u00a0€" in page.text
    assert ">Payer</button>" in page.text
    assert ">Refuser</button>" in page.text
    assert "PERI-202609-FAM042" in page.text


def test_paid_flow_notifies_and_redirects(
    gateway: LocalPayfipGateway, receiver: NotificationReceiver
) -> None:
    created = gateway.create_payment(VALID)
    answer = pay(created.redirect_url, "payer")
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{VALID.return_url}?idop={created.payment_id}"
    assert receiver.notifications == [{"idOp": [created.payment_id]}]

    outcome = gateway.read_outcome({"idOp": created.payment_id})
    assert outcome.status is PaymentStatus.PAID
    assert outcome.transaction_id
    assert outcome.amount_cents == 4230
    assert outcome.invoice_number == "PERI-202609-FAM042"


@pytest.mark.parametrize(
    ("choice", "status"),
    [("refuser", PaymentStatus.REFUSED), ("annuler", PaymentStatus.CANCELLED)],
)
def test_unpaid_outcomes_have_no_transaction(
    gateway: LocalPayfipGateway, choice: str, status: PaymentStatus
) -> None:
    created = gateway.create_payment(VALID)
    pay(created.redirect_url, choice)
    outcome = gateway.read_outcome({"idop": created.payment_id})
    assert outcome.status is status
    assert outcome.transaction_id is None


def test_first_choice_is_final(gateway: LocalPayfipGateway) -> None:
    created = gateway.create_payment(VALID)
    pay(created.redirect_url, "refuser")
    pay(created.redirect_url, "payer")
    assert gateway.read_outcome({"idOp": created.payment_id}).status is PaymentStatus.REFUSED


def test_pending_payment_has_no_outcome(gateway: LocalPayfipGateway) -> None:
    created = gateway.create_payment(VALID)
    with pytest.raises(PaymentNotificationInvalidError, match="no result yet"):
        gateway.read_outcome({"idOp": created.payment_id})


def test_unknown_payment_id_is_rejected(gateway: LocalPayfipGateway) -> None:
    with pytest.raises(PaymentNotificationInvalidError):
        gateway.read_outcome({"idOp": "0" * 32})


def test_gateway_validates_before_calling(gateway: LocalPayfipGateway) -> None:
    with pytest.raises(PaymentRequestInvalidError):
        gateway.create_payment(PaymentRequest("PERI-202609-FAM042", 0, "a@b.fr", VALID.return_url))


def test_stopped_service_is_unavailable(receiver: NotificationReceiver) -> None:
    server = start(0)
    server.stop()
    gateway = LocalPayfipGateway(base_url=server.base_url, client_number="000001")
    with pytest.raises(PaymentServiceUnavailableError):
        gateway.create_payment(VALID)


def test_fake_rejects_outside_return_url(fake: RunningServer) -> None:
    body = {
        "numcli": "000001",
        "refdet": "PERI-202609-FAM042",
        "montant": 4230,
        "mel": "a@b.fr",
        "urlredirect": "https://example.org/retour",
    }
    answer = requests.post(f"{fake.base_url}/paiements", json=body, timeout=5)
    assert answer.status_code == 400


def test_fake_rejects_unknown_client_number(fake: RunningServer) -> None:
    gateway = LocalPayfipGateway(base_url=fake.base_url, client_number="999999")
    with pytest.raises(PaymentServiceUnavailableError):
        gateway.create_payment(VALID)


def test_fake_refuses_outside_callback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        start(0, callback_url="https://example.org/notification")


def test_fake_listens_on_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        start(0, host="0.0.0.0")  # noqa: S104 - the call must be rejected


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (PaymentRequest("PERI-202609-FAM042", -1, "a@b.fr", "http://127.0.0.1/r"), "amount_cents"),
        (PaymentRequest("peri-202609", 100, "a@b.fr", "http://127.0.0.1/r"), "invoice_number"),
        (PaymentRequest("PERI", 100, "a@b.fr", "http://127.0.0.1/r"), "invoice_number"),
        (PaymentRequest("PERI-202609-FAM042", 100, "not-an-email", "http://x/r"), "payer_email"),
        (PaymentRequest("PERI-202609-FAM042", 100, "a@b.fr", "/retour"), "return_url"),
    ],
)
def test_invalid_payment_request_names_field(request_: PaymentRequest, field: str) -> None:
    with pytest.raises(PaymentRequestInvalidError) as caught:
        validate_payment_request(request_)
    assert caught.value.field == field


def test_valid_payment_request_passes() -> None:
    validate_payment_request(VALID)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("P", PaymentStatus.PAID),
        ("V", PaymentStatus.PAID),
        ("R", PaymentStatus.REFUSED),
        ("A", PaymentStatus.CANCELLED),
    ],
)
def test_result_codes_map_to_statuses(code: str, status: PaymentStatus) -> None:
    assert status_from_result_code(code) is status


def test_unknown_result_code_is_rejected() -> None:
    with pytest.raises(PaymentNotificationInvalidError):
        status_from_result_code("Z")


def test_notification_without_id_is_rejected() -> None:
    with pytest.raises(PaymentNotificationInvalidError):
        payment_id_from_notification({"resultrans": "P"})
