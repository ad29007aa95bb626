"""The fake API Particulier itself: documented shapes, credentials and lifecycle."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from infra.local.fakes._http import RunningServer
from infra.local.fakes.api_particulier import COMPOSITION_FAMILIALE_PATH, load_personas, start

PERSONAS = load_personas()
IDENTITY = {
    "nomNaissance": "DUPONT",
    "prenoms[]": ["CAMILLE"],
    "sexe": "F",
    "codePaysLieuDeNaissance": "99100",
}


@pytest.fixture
def fake() -> Iterator[RunningServer]:
    server = start(0)
    yield server
    server.stop()


def test_found_answer_has_documented_fields(fake: RunningServer) -> None:
    answer = requests.get(
        fake.base_url + COMPOSITION_FAMILIALE_PATH,
        params=IDENTITY,
        headers={"X-Api-Key": PERSONAS["api_key"]},
        timeout=5,
    )
    assert answer.status_code == 200
    assert set(answer.json()) == {
        "regime",
        "allocataires",
        "enfants",
        "adresse",
        "quotientFamilial",
        "annee",
        "mois",
    }


def test_bad_api_key_gets_401(fake: RunningServer) -> None:
    answer = requests.get(
        fake.base_url + COMPOSITION_FAMILIALE_PATH,
        params=IDENTITY,
        headers={"X-Api-Key": "wrong"},
        timeout=5,
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "access_denied"


def test_missing_api_key_gets_401(fake: RunningServer) -> None:
    answer = requests.get(fake.base_url + COMPOSITION_FAMILIALE_PATH, params=IDENTITY, timeout=5)
    assert answer.status_code == 401


def test_situation_ir_needs_bearer_token(fake: RunningServer) -> None:
    path = "/impotparticulier/1.0/spi/1234567890123/situations/ir/assiettes/annrev/2025"
    url = fake.base_url + path
    assert requests.get(url, timeout=5).status_code == 401
    bearer = {"Authorization": f"Bearer {PERSONAS['dgfip_access_token']}"}
    answer = requests.get(url, headers=bearer, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["rfr"] == 36705


def test_unknown_endpoint_gets_404(fake: RunningServer) -> None:
    assert requests.get(f"{fake.base_url}/api/v2/avis-imposition", timeout=5).status_code == 404


def test_every_persona_is_documented() -> None:
    names = [persona["persona"] for persona in PERSONAS["composition_familiale"]]
    names += [persona["persona"] for persona in PERSONAS["impot_particulier"]]
    assert names == [
        "cnaf_found",
        "msa_found",
        "unknown",
        "slow",
        "down",
        "flaky",
        "throttled",
        "dgfip_found",
        "dgfip_single",
        "dgfip_unknown",
        "dgfip_slow",
        "dgfip_down",
    ]
    assert all(persona["description"] for persona in PERSONAS["composition_familiale"])


def test_stop_frees_the_port() -> None:
    server = start(0)
    port = server.port
    server.stop()
    again = start(port)
    assert again.port == port
    again.stop()


def test_stop_does_not_wait_for_slow_answers() -> None:
    server = start(0)
    slow = {**IDENTITY, "nomNaissance": "LENTEUR", "prenoms[]": ["PAUL"]}
    with pytest.raises(requests.ReadTimeout):
        requests.get(
            server.base_url + COMPOSITION_FAMILIALE_PATH,
            params=slow,
            headers={"X-Api-Key": PERSONAS["api_key"]},
            timeout=(1, 0.1),
        )
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.0
