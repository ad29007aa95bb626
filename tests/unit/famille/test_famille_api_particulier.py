"""The API Particulier and API Impôt particulier clients against the local fake server."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import requests

from demarches.famille.api_particulier import (
    ApiParticulierClient,
    ImpotParticulierClient,
    RateLimiter,
    RetryPolicy,
)
from demarches.famille.errors import (
    QuotientInputInvalidError,
    QuotientPersonNotFoundError,
    QuotientResponseInvalidError,
    QuotientServiceUnavailableError,
)
from demarches.famille.quotient import (
    BirthIdentity,
    CafQuotient,
    QuotientLookup,
    QuotientSettings,
    TaxFigures,
    retrieve_quotient,
)
from demarches.famille.school_year import SchoolYear
from infra.local.fakes._http import RunningServer
from infra.local.fakes.api_particulier import (
    COMPOSITION_FAMILIALE_PATH,
    load_personas,
    start,
)

PERSONAS = load_personas()
SITUATION_PATH = (
    "/impotparticulier/1.0/spi/{numero_fiscal}/situations/ir/assiettes/annrev/{income_year}"
)
RETRY = RetryPolicy(max_attempts=3, base_delay_seconds=0.25, multiplier=2.0, max_delay_seconds=4.0)


def identity(nom: str, prenom: str) -> BirthIdentity:
    return BirthIdentity(
        nom_naissance=nom,
        prenoms=(prenom,),
        sexe="F",
        annee_naissance=1988,
        mois_naissance=3,
        jour_naissance=14,
        code_pays_lieu_naissance="99100",
        code_insee_lieu_naissance="55545",
    )


@pytest.fixture
def fake() -> Iterator[RunningServer]:
    server = start(0)
    yield server
    server.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def caf_client(
    fake: RunningServer,
    sleeps: list[float],
    *,
    api_key: str | None = None,
    read_timeout: float = 2.0,
) -> ApiParticulierClient:
    return ApiParticulierClient(
        base_url=fake.base_url,
        api_key=api_key or PERSONAS["api_key"],
        path=COMPOSITION_FAMILIALE_PATH,
        read_timeout=read_timeout,
        retry=RETRY,
        rate_limiter=RateLimiter(),
        sleep=sleeps.append,
    )


def tax_client(
    fake: RunningServer, sleeps: list[float], *, token: str | None = None, read_timeout: float = 2.0
) -> ImpotParticulierClient:
    return ImpotParticulierClient(
        base_url=fake.base_url,
        access_token=token or PERSONAS["dgfip_access_token"],
        path_template=SITUATION_PATH,
        read_timeout=read_timeout,
        retry=RETRY,
        sleep=sleeps.append,
    )


def test_cnaf_persona_returns_caf_quotient(fake: RunningServer, sleeps: list[float]) -> None:
    quotient = caf_client(fake, sleeps).fetch_quotient(identity("DUPONT", "CAMILLE"))
    assert quotient == CafQuotient(source="caf", value_euros=612, year=2026, month=9)


def test_msa_persona_returns_msa_source(fake: RunningServer, sleeps: list[float]) -> None:
    quotient = caf_client(fake, sleeps).fetch_quotient(identity("LAMBERT", "THOMAS"))
    assert quotient.source == "msa"
    assert quotient.value_euros == 438


def test_name_match_ignores_case(fake: RunningServer, sleeps: list[float]) -> None:
    quotient = caf_client(fake, sleeps).fetch_quotient(identity("Dupont", "Camille"))
    assert quotient.value_euros == 612


def test_unknown_persona_raises_not_found(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientPersonNotFoundError):
        caf_client(fake, sleeps).fetch_quotient(identity("INCONNU", "JEAN"))
    assert sleeps == []


def test_unlisted_person_raises_not_found(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientPersonNotFoundError):
        caf_client(fake, sleeps).fetch_quotient(identity("PERSONNE", "NUL"))


def test_slow_persona_times_out_after_retries(fake: RunningServer, sleeps: list[float]) -> None:
    client = caf_client(fake, sleeps, read_timeout=0.1)
    started = time.monotonic()
    with pytest.raises(QuotientServiceUnavailableError, match="ReadTimeout"):
        client.fetch_quotient(identity("LENTEUR", "PAUL"))
    assert sleeps == [0.25, 0.5]
    assert time.monotonic() - started < 1.5


def test_down_persona_retries_with_backoff(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientServiceUnavailableError) as caught:
        caf_client(fake, sleeps).fetch_quotient(identity("PANNE", "MARIE"))
    assert caught.value.details["status"] == 503
    assert sleeps == [0.25, 0.5]


def test_flaky_persona_succeeds_on_third_attempt(fake: RunningServer, sleeps: list[float]) -> None:
    quotient = caf_client(fake, sleeps).fetch_quotient(identity("REPRISE", "LUCIE"))
    assert quotient.value_euros == 751
    assert sleeps == [0.25, 0.5]


def test_throttled_persona_honours_retry_after(fake: RunningServer, sleeps: list[float]) -> None:
    quotient = caf_client(fake, sleeps).fetch_quotient(identity("LIMITE", "HUGO"))
    assert quotient.value_euros == 1204
    assert sleeps == [1.0]


def test_bad_api_key_is_not_retried(fake: RunningServer, sleeps: list[float]) -> None:
    client = caf_client(fake, sleeps, api_key="wrong-key")
    with pytest.raises(QuotientServiceUnavailableError) as caught:
        client.fetch_quotient(identity("DUPONT", "CAMILLE"))
    assert caught.value.details["status"] == 401
    assert sleeps == []


def test_missing_identity_field_is_input_error(fake: RunningServer, sleeps: list[float]) -> None:
    person = replace(identity("DUPONT", "CAMILLE"), prenoms=())
    with pytest.raises(QuotientInputInvalidError):
        caf_client(fake, sleeps).fetch_quotient(person)


def test_refused_connection_is_unavailable(sleeps: list[float]) -> None:
    server = start(0)
    server.stop()
    with pytest.raises(QuotientServiceUnavailableError, match="ConnectionError"):
        caf_client(server, sleeps).fetch_quotient(identity("DUPONT", "CAMILLE"))
    assert len(sleeps) == 2


def test_client_logs_omit_key_and_identity(
    fake: RunningServer, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(QuotientServiceUnavailableError):
        caf_client(fake, sleeps).fetch_quotient(identity("PANNE", "MARIE"))
    own = [record for record in caplog.records if record.name.startswith("demarches.")]
    assert own
    assert all(PERSONAS["api_key"] not in str(vars(record)) for record in own)
    assert all("PANNE" not in str(vars(record)) for record in own)


def test_query_parameters_skip_unknown_values() -> None:
    person = BirthIdentity(
        nom_naissance="TOUNSI",
        prenoms=("HOUSSEM", "ALI"),
        sexe="M",
        annee_naissance=1992,
        code_pays_lieu_naissance="99351",
    )
    assert ApiParticulierClient.query_parameters(person) == {
        "nomNaissance": "TOUNSI",
        "prenoms[]": ["HOUSSEM", "ALI"],
        "sexe": "M",
        "anneeDateDeNaissance": 1992,
        "codePaysLieuDeNaissance": "99351",
    }


def test_client_needs_base_url_and_key() -> None:
    with pytest.raises(ValueError, match="base URL"):
        ApiParticulierClient(base_url="", api_key="k", path=COMPOSITION_FAMILIALE_PATH)


class StubSession(requests.Session):
    """Session that returns one canned response without any network."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__()
        self.status = status
        self.body = body

    def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:
        response = requests.Response()
        response.status_code = self.status
        response._content = self.body
        response.url = str(url)
        return response


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"regime": "RSI", "quotientFamilial": 612, "annee": 2026, "mois": 9}',
        b'{"regime": "CNAF", "quotientFamilial": -5, "annee": 2026, "mois": 9}',
        b'{"regime": "CNAF", "annee": 2026, "mois": 9}',
        b'{"regime": "CNAF", "quotientFamilial": 612, "annee": 2026, "mois": 13}',
    ],
)
def test_invalid_caf_body_is_rejected(body: bytes) -> None:
    client = ApiParticulierClient(
        base_url="http://127.0.0.1:9",
        api_key="k",
        path=COMPOSITION_FAMILIALE_PATH,
        session=StubSession(200, body),
        rate_limiter=None,
    )
    with pytest.raises(QuotientResponseInvalidError):
        client.fetch_quotient(identity("DUPONT", "CAMILLE"))


def test_caf_regime_alias_maps_to_caf() -> None:
    body = b'{"regime": "CAF", "quotientFamilial": 300, "annee": 2024, "mois": 12}'
    client = ApiParticulierClient(
        base_url="http://127.0.0.1:9",
        api_key="k",
        path=COMPOSITION_FAMILIALE_PATH,
        session=StubSession(200, body),
        rate_limiter=None,
    )
    assert client.fetch_quotient(identity("BERTRAND", "ANTOINE")).source == "caf"


def test_dgfip_persona_returns_tax_figures(fake: RunningServer, sleeps: list[float]) -> None:
    figures = tax_client(fake, sleeps).fetch_tax_figures("1234567890123", 2025)
    assert figures == TaxFigures(
        revenu_fiscal_reference_cents=3_670_500, nombre_parts=Decimal("2.5"), income_year=2025
    )


def test_dgfip_integer_parts_are_parsed(fake: RunningServer, sleeps: list[float]) -> None:
    figures = tax_client(fake, sleeps).fetch_tax_figures("3012345678901", 2025)
    assert figures.nombre_parts == Decimal(1)


def test_dgfip_unknown_number_raises_not_found(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientPersonNotFoundError):
        tax_client(fake, sleeps).fetch_tax_figures("9999999999999", 2025)


def test_dgfip_down_is_unavailable(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientServiceUnavailableError):
        tax_client(fake, sleeps).fetch_tax_figures("5030000000000", 2025)
    assert sleeps == [0.25, 0.5]


def test_dgfip_slow_times_out(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientServiceUnavailableError, match="ReadTimeout"):
        tax_client(fake, sleeps, read_timeout=0.1).fetch_tax_figures("5555555555555", 2025)


def test_dgfip_bad_token_is_rejected(fake: RunningServer, sleeps: list[float]) -> None:
    with pytest.raises(QuotientServiceUnavailableError) as caught:
        tax_client(fake, sleeps, token="expired").fetch_tax_figures("1234567890123", 2025)
    assert caught.value.details["status"] == 401


def test_dgfip_token_callable_is_called(fake: RunningServer, sleeps: list[float]) -> None:
    calls: list[int] = []

    def token() -> str:
        calls.append(1)
        return str(PERSONAS["dgfip_access_token"])

    client = ImpotParticulierClient(
        base_url=fake.base_url, access_token=token, path_template=SITUATION_PATH
    )
    assert client.fetch_tax_figures("1234567890123", 2025).income_year == 2025
    assert calls == [1]


@pytest.mark.parametrize("numero", ["123", "12345678901234", "12345678901ab"])
def test_invalid_numero_fiscal_is_rejected(
    numero: str, fake: RunningServer, sleeps: list[float]
) -> None:
    with pytest.raises(QuotientInputInvalidError) as caught:
        tax_client(fake, sleeps).fetch_tax_figures(numero, 2025)
    assert caught.value.field == "numero_fiscal"


def test_path_template_needs_placeholders() -> None:
    with pytest.raises(ValueError, match="numero_fiscal"):
        ImpotParticulierClient(base_url="http://127.0.0.1:9", access_token="t", path_template="/x")


def test_retrieval_falls_back_through_both_fakes(fake: RunningServer, sleeps: list[float]) -> None:
    settings = QuotientSettings.model_validate(
        {
            "brackets": [
                {"code": "T1", "upper_bound_euros": 700, "prices_cents": {"cantine": 120}},
                {"code": "T2", "upper_bound_euros": None, "prices_cents": {"cantine": 480}},
            ]
        }
    )
    record = retrieve_quotient(
        QuotientLookup(allocataire=identity("INCONNU", "JEAN"), numero_fiscal="1234567890123"),
        consent_given=True,
        school_year=SchoolYear(2026),
        today=date(2026, 9, 3),
        settings=settings,
        quotient_provider=caf_client(fake, sleeps),
        tax_provider=tax_client(fake, sleeps),
    )
    assert record.source == "dgfip"
    assert record.value_euros == 1223
    assert record.bracket == "T2"


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_allows_twenty_per_second() -> None:
    clock = ManualClock()
    limiter = RateLimiter(20, 1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(20):
        limiter.acquire("token-a")
    assert clock.sleeps == []


def test_rate_limiter_waits_for_the_21st_call() -> None:
    clock = ManualClock()
    limiter = RateLimiter(20, 1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(21):
        limiter.acquire("token-a")
    assert clock.sleeps == [pytest.approx(1.0)]


def test_rate_limiter_counts_tokens_apart() -> None:
    clock = ManualClock()
    limiter = RateLimiter(20, 1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(20):
        limiter.acquire("token-a")
    limiter.acquire("token-b")
    assert clock.sleeps == []


def test_rate_limiter_window_slides() -> None:
    clock = ManualClock()
    limiter = RateLimiter(2, 1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    limiter.acquire("t")
    clock.now += 0.6
    limiter.acquire("t")
    limiter.acquire("t")
    assert clock.sleeps == [pytest.approx(0.4)]


def test_retry_delay_grows_exponentially() -> None:
    assert [RETRY.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0]


def test_retry_after_is_capped() -> None:
    assert RETRY.delay(1, "120") == 4.0


def test_non_numeric_retry_after_is_ignored() -> None:
    assert RETRY.delay(2, "Wed, 21 Oct 2026 07:28:00 GMT") == 0.5
