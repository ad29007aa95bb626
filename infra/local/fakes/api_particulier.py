"""Local stand-in for API Particulier (``composition-familiale``) and API Impôt particulier.

Personas live in ``api_particulier_personas.json`` beside this module. The
composition-familiale personas are matched on ``nomNaissance`` and the first ``prenoms[]``:

- ``cnaf_found``: DUPONT CAMILLE, regime CNAF, QF 612;
- ``msa_found``: LAMBERT THOMAS, regime MSA, QF 438;
- ``unknown``: INCONNU JEAN, 404 (any person not listed gets 404 too);
- ``slow``: LENTEUR PAUL, responds after 2 s;
- ``down``: PANNE MARIE, 503 on every call;
- ``flaky``: REPRISE LUCIE, 503 on the first two calls, then found (QF 751);
- ``throttled``: LIMITE HUGO, 429 with ``Retry-After: 1`` once, then found (QF 1204).

The situation IR personas are matched on the numéro fiscal in the path:

- ``dgfip_found``: 1234567890123, RFR 36,705 EUR, 2.5 parts;
- ``dgfip_single``: 3012345678901, RFR 14,400 EUR, 1 part;
- ``dgfip_unknown``: 9999999999999, 404 (any number not listed gets 404 too);
- ``dgfip_slow``: 5555555555555, responds after 2 s;
- ``dgfip_down``: 5030000000000, 503 on every call.

A wrong ``X-Api-Key`` (composition-familiale) or bearer token (situation IR) gets 401. Start it
with ``server = start(8601)`` (or port 0 for a free port) and stop it with ``server.stop()``.
The failure counters of ``flaky`` and ``throttled`` restart with each server.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from infra.local.fakes._http import FakeHTTPServer, JsonHandler, RunningServer, check_loopback

PERSONAS_PATH = Path(__file__).with_name("api_particulier_personas.json")
COMPOSITION_FAMILIALE_PATH = "/api/v2/composition-familiale-v2"
SITUATION_IR_PATTERN = re.compile(
    r"^/impotparticulier/1\.0/spi/(?P<numero_fiscal>[^/]+)/situations/ir/assiettes/annrev/"
    r"(?P<income_year>\d{4})$"
)
_REQUIRED_IDENTITY = ("nomNaissance", "prenoms[]", "sexe", "codePaysLieuDeNaissance")


def _error(error: str, reason: str) -> dict[str, str]:
    return {"error": error, "reason": reason, "message": reason}


class FakeApiParticulierServer(FakeHTTPServer):
    def __init__(
        self,
        address: tuple[str, int],
        *,
        personas: dict[str, Any],
        composition_familiale_path: str,
    ) -> None:
        super().__init__(address, _Handler)
        self.personas = personas
        self.composition_familiale_path = composition_familiale_path
        self.calls: dict[str, int] = {}

    def count_call(self, persona: str) -> int:
        """Count one more call to ``persona`` and return the count, 1 for the first call."""
        with self.lock:
            self.calls[persona] = self.calls.get(persona, 0) + 1
            return self.calls[persona]


class _Handler(JsonHandler):
    server: FakeApiParticulierServer
    service_name = "fake API Particulier"

    def do_GET(self) -> None:  # noqa: N802 - stdlib handler name
        url = urlsplit(self.path)
        if url.path == self.server.composition_familiale_path:
            self._composition_familiale(parse_qs(url.query))
            return
        match = SITUATION_IR_PATTERN.match(url.path)
        if match:
            self._situation_ir(match["numero_fiscal"])
            return
        self.send_json(404, _error("not_found", f"no such endpoint: {url.path}"))

    def _composition_familiale(self, query: dict[str, list[str]]) -> None:
        if self.headers.get("X-Api-Key") != self.server.personas["api_key"]:
            self.send_json(401, _error("access_denied", "Votre jeton d'API n'est pas valide."))
            return
        missing = [name for name in _REQUIRED_IDENTITY if not query.get(name)]
        if missing:
            reason = f"Paramètres manquants : {', '.join(missing)}"
            self.send_json(422, _error("invalid_params", reason))
            return
        nom = query["nomNaissance"][0].upper()
        prenom = query["prenoms[]"][0].upper()
        for persona in self.server.personas["composition_familiale"]:
            if persona["match"] == {"nomNaissance": nom, "prenom": prenom}:
                self._respond(persona)
                return
        self._respond({"persona": "unlisted", "behaviour": "not_found"})

    def _situation_ir(self, numero_fiscal: str) -> None:
        expected = f"Bearer {self.server.personas['dgfip_access_token']}"
        if self.headers.get("Authorization") != expected:
            self.send_json(401, _error("invalid_token", "Le jeton d'accès n'est pas valide."))
            return
        for persona in self.server.personas["impot_particulier"]:
            if persona["numero_fiscal"] == numero_fiscal:
                self._respond(persona)
                return
        self._respond({"persona": "unlisted", "behaviour": "not_found"})

    def _respond(self, persona: dict[str, Any]) -> None:
        call = self.server.count_call(persona["persona"])
        behaviour = persona["behaviour"]
        if call <= persona.get("failures", 0):
            status = persona.get("failure_status", 503)
            headers = {"Retry-After": "1"} if status == 429 else None
            self.send_json(status, _error("provider_error", "Erreur du fournisseur."), headers)
            return
        if behaviour == "not_found":
            reason = "Dossier allocataire inexistant. Le document ne peut être édité."
            self.send_json(404, _error("not_found", reason))
        elif behaviour == "unavailable":
            self.send_json(503, _error("provider_unavailable", "Le fournisseur ne répond pas."))
        elif behaviour == "slow":
            # Event.wait returns early when the server stops, so stop() does not wait for the delay.
            self.server.stopping.wait(persona["delay_seconds"])
            self.send_json(200, persona["response"])
        else:
            self.send_json(200, persona["response"])


def load_personas(path: Path = PERSONAS_PATH) -> dict[str, Any]:
    personas: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return personas


def start(
    port: int,
    *,
    host: str = "127.0.0.1",
    personas_path: Path = PERSONAS_PATH,
    composition_familiale_path: str = COMPOSITION_FAMILIALE_PATH,
) -> RunningServer:
    """Start the fake on ``host:port`` (port 0 picks a free port) and return the running server.

    The API key and DGFiP token it accepts are ``api_key`` and ``dgfip_access_token`` of the
    personas file.
    """
    check_loopback(host)
    server = FakeApiParticulierServer(
        (host, port),
        personas=load_personas(personas_path),
        composition_familiale_path=composition_familiale_path,
    )
    return RunningServer(server, "fake-api-particulier")


def main() -> None:
    """Run the fake from the command line until Ctrl+C."""
    parser = argparse.ArgumentParser(
        description="Run the fake API Particulier and API Impôt particulier."
    )
    parser.add_argument(
        "--port", type=int, default=8601, help="TCP port on 127.0.0.1 (0 picks a free port)."
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    server = start(args.port)
    print(f"fake API Particulier listening on {server.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
