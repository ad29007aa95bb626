"""Local stand-in for PayFiP, with a payment page, and the gateway that talks to it.

Endpoints of the fake:

- ``POST /paiements`` (JSON ``numcli``, ``refdet``, ``montant`` in cents, ``mel``,
  ``urlredirect``, ``urlnotif``) creates a payment and returns ``idOp`` and the page ``url``;
- ``GET /tpa/paiement?idop=...`` shows the payment page, a plain HTML form with the buttons
  "Payer", "Refuser" and "Annuler";
- ``POST /tpa/paiement`` records the payer's choice, posts the notification ``idOp=...``
  (form-encoded) to the notification URL, then redirects the payer (303) to ``urlredirect``;
- ``GET /paiements/<idOp>`` returns the outcome: ``resultrans`` (P paid, R refused, A
  abandoned, null while pending), ``numauto`` when paid, ``refdet`` and ``montant``.

Start it with ``server = start(8602, callback_url=...)``; ``callback_url`` is used when a
payment carries no ``urlnotif``. Notifications and redirects go to loopback addresses only.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import secrets
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from demarches.famille.errors import PaymentNotificationInvalidError, PaymentServiceUnavailableError
from demarches.famille.invoicing import format_euros
from demarches.famille.payfip import (
    CreatedPayment,
    PaymentOutcome,
    PaymentRequest,
    PaymentStatus,
    payment_id_from_notification,
    status_from_result_code,
    validate_payment_request,
)
from infra.local.fakes._http import (
    LOOPBACK_HOSTS,
    FakeHTTPServer,
    JsonHandler,
    RunningServer,
    check_loopback,
)

logger = logging.getLogger(__name__)

_CHOICES = {"payer": "P", "refuser": "R", "annuler": "A"}


def _is_loopback_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS


@dataclass
class _Payment:
    id_op: str
    numcli: str
    refdet: str
    montant: int
    mel: str
    urlredirect: str
    urlnotif: str | None
    resultrans: str | None = None
    numauto: str | None = None
    decided_at: datetime | None = None


class FakePayfipServer(FakeHTTPServer):
    def __init__(
        self, address: tuple[str, int], *, client_number: str, callback_url: str | None
    ) -> None:
        super().__init__(address, _Handler)
        self.client_number = client_number
        self.callback_url = callback_url
        self.payments: dict[str, _Payment] = {}
        self.notifications_sent: list[str] = []


_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>PayFiP (simulation locale)</title></head>
<body>
<main>
<h1>Paiement en ligne (simulation locale de PayFiP)</h1>
<p>Référence : {refdet}</p>
<p>Montant : {montant}</p>
<form method="post" action="/tpa/paiement">
<input type="hidden" name="idop" value="{idop}">
<button type="submit" name="choix" value="payer">Payer</button>
<button type="submit" name="choix" value="refuser">Refuser</button>
<button type="submit" name="choix" value="annuler">Annuler</button>
</form>
</main>
</body>
</html>
"""


class _Handler(JsonHandler):
    server: FakePayfipServer
    service_name = "fake PayFiP"

    def do_POST(self) -> None:  # noqa: N802 - stdlib handler name
        path = urlsplit(self.path).path
        if path == "/paiements":
            self._create()
        elif path == "/tpa/paiement":
            self._decide()
        else:
            self.send_json(404, {"error": "not_found", "message": f"no such endpoint: {path}"})

    def do_GET(self) -> None:  # noqa: N802 - stdlib handler name
        url = urlsplit(self.path)
        if url.path == "/tpa/paiement":
            self._page(parse_qs(url.query).get("idop", [""])[0])
        elif url.path.startswith("/paiements/"):
            self._details(url.path.removeprefix("/paiements/"))
        else:
            self.send_json(404, {"error": "not_found", "message": f"no such endpoint: {url.path}"})

    def _create(self) -> None:
        try:
            body = json.loads(self.read_body() or b"{}")
            payment = _Payment(
                id_op=secrets.token_hex(16),
                numcli=str(body["numcli"]),
                refdet=str(body["refdet"]),
                montant=int(body["montant"]),
                mel=str(body["mel"]),
                urlredirect=str(body["urlredirect"]),
                urlnotif=body.get("urlnotif") or self.server.callback_url,
            )
        except (ValueError, KeyError, TypeError) as exc:
            self.send_json(400, {"error": "invalid_request", "message": f"invalid body: {exc}"})
            return
        if payment.numcli != self.server.client_number:
            self.send_json(400, {"error": "invalid_request", "message": "unknown numcli"})
            return
        urls = [payment.urlredirect] + ([payment.urlnotif] if payment.urlnotif else [])
        if not all(_is_loopback_url(url) for url in urls):
            message = "urlredirect and urlnotif must point to a loopback address"
            self.send_json(400, {"error": "invalid_request", "message": message})
            return
        with self.server.lock:
            self.server.payments[payment.id_op] = payment
        page = f"http://{self.headers.get('Host')}/tpa/paiement?idop={payment.id_op}"
        self.send_json(201, {"idOp": payment.id_op, "url": page})

    def _find(self, id_op: str) -> _Payment | None:
        with self.server.lock:
            return self.server.payments.get(id_op)

    def _page(self, id_op: str) -> None:
        payment = self._find(id_op)
        if payment is None:
            self.send_json(404, {"error": "not_found", "message": "unknown idop"})
            return
        page = _PAGE.format(
            refdet=html.escape(payment.refdet),
            montant=html.escape(format_euros(payment.montant)),
            idop=html.escape(payment.id_op),
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def _decide(self) -> None:
        form = parse_qs(self.read_body().decode("utf-8"))
        payment = self._find(form.get("idop", [""])[0])
        choice = form.get("choix", [""])[0]
        if payment is None or choice not in _CHOICES:
            self.send_json(400, {"error": "invalid_request", "message": "unknown idop or choix"})
            return
        with self.server.lock:
            if payment.resultrans is None:
                payment.resultrans = _CHOICES[choice]
                payment.numauto = secrets.token_hex(3).upper() if choice == "payer" else None
                payment.decided_at = datetime.now(UTC)
        if payment.urlnotif:
            self._notify(payment)
        query = urlencode({"idop": payment.id_op})
        separator = "&" if "?" in payment.urlredirect else "?"
        self.send_response(303)
        self.send_header("Location", f"{payment.urlredirect}{separator}{query}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _notify(self, payment: _Payment) -> None:
        assert payment.urlnotif is not None
        data = urlencode({"idOp": payment.id_op}).encode()
        request = urllib.request.Request(payment.urlnotif, data=data, method="POST")  # noqa: S310 - loopback URL checked at creation
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                response.read()
        except (urllib.error.URLError, OSError) as exc:
            # The payer is still redirected; the gateway can read the outcome later.
            logger.warning("notification failed", extra={"id_op": payment.id_op, "error": str(exc)})
            return
        with self.server.lock:
            self.server.notifications_sent.append(payment.id_op)

    def _details(self, id_op: str) -> None:
        payment = self._find(id_op)
        if payment is None:
            self.send_json(404, {"error": "not_found", "message": "unknown idOp"})
            return
        decided = payment.decided_at
        self.send_json(
            200,
            {
                "idOp": payment.id_op,
                "numcli": payment.numcli,
                "refdet": payment.refdet,
                "montant": payment.montant,
                "mel": payment.mel,
                "resultrans": payment.resultrans,
                "numauto": payment.numauto,
                "dattrans": decided.strftime("%d%m%Y") if decided else None,
                "heurtrans": decided.strftime("%H%M") if decided else None,
            },
        )


def start(
    port: int,
    *,
    host: str = "127.0.0.1",
    client_number: str = "000001",
    callback_url: str | None = None,
) -> RunningServer:
    """Start the fake PayFiP on ``host:port`` (port 0 picks a free port)."""
    check_loopback(host)
    if callback_url is not None and not _is_loopback_url(callback_url):
        raise ValueError(f"callback URL {callback_url!r} must point to a loopback address")
    server = FakePayfipServer((host, port), client_number=client_number, callback_url=callback_url)
    return RunningServer(server, "fake-payfip")


def main() -> None:
    """Run the fake from the command line until Ctrl+C."""
    parser = argparse.ArgumentParser(description="Run the fake PayFiP.")
    parser.add_argument(
        "--port", type=int, default=8602, help="TCP port on 127.0.0.1 (0 picks a free port)."
    )
    parser.add_argument(
        "--callback-url", default=None, help="Notification URL for payments that carry none."
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    server = start(args.port, callback_url=args.callback_url)
    print(f"fake PayFiP listening on {server.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


class LocalPayfipGateway:
    """``PayfipGateway`` over the local fake, for the local stack and tests.

    NOTE: the real PayFiP is a SOAP web service (creerPaiementSecurise,
    recupererDetailPaiementSecurise). This gateway speaks the fake's JSON only. The production
    adapter is still to be written against the DGFiP specification.
    """

    def __init__(
        self,
        *,
        base_url: str,
        client_number: str,
        notification_url: str | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_number = client_number
        self.notification_url = notification_url
        self.session = session or requests.Session()
        self.timeout = timeout

    def create_payment(self, request: PaymentRequest) -> CreatedPayment:
        validate_payment_request(request)
        body: dict[str, Any] = {
            "numcli": self.client_number,
            "refdet": request.invoice_number,
            "montant": request.amount_cents,
            "mel": request.payer_email,
            "urlredirect": request.return_url,
            "urlnotif": self.notification_url,
        }
        created = self._call("POST", "/paiements", json=body)
        return CreatedPayment(payment_id=str(created["idOp"]), redirect_url=str(created["url"]))

    def read_outcome(self, notification: Mapping[str, str]) -> PaymentOutcome:
        payment_id = payment_id_from_notification(notification)
        details = self._call("GET", f"/paiements/{payment_id}")
        code = details.get("resultrans")
        if code is None:
            raise PaymentNotificationInvalidError(
                f"payment {payment_id} has no result yet", field="idOp"
            )
        status = status_from_result_code(str(code))
        return PaymentOutcome(
            payment_id=payment_id,
            status=status,
            invoice_number=str(details["refdet"]),
            amount_cents=int(details["montant"]),
            transaction_id=details.get("numauto") if status is PaymentStatus.PAID else None,
        )

    def _call(self, method: str, path: str, json: Any = None) -> dict[str, Any]:
        try:
            response = self.session.request(
                method, self.base_url + path, json=json, timeout=self.timeout
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise PaymentServiceUnavailableError(
                f"PayFiP did not respond ({type(exc).__name__}); try again later"
            ) from exc
        if response.status_code == 404:
            raise PaymentNotificationInvalidError(
                f"PayFiP has no payment {path.rsplit('/', 1)[-1]}", field="idOp"
            )
        if response.status_code >= 400:
            raise PaymentServiceUnavailableError(
                f"PayFiP responded HTTP {response.status_code}",
                details={"status": response.status_code},
            )
        body: dict[str, Any] = response.json()
        return body


if __name__ == "__main__":
    main()
