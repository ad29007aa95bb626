"""HTTP clients for the quotient familial sources: API Particulier (CAF/MSA) and DGFiP's API
Impôt particulier.

Both clients share one ``requests.Session`` per client, connect and read timeouts, retries with
exponential backoff on 429, 5xx, timeouts and connection errors, and a client-side rate limiter.
Responses are parsed with pydantic, and only the figures the QF needs leave this module: the
names, children and address of the CAF record are dropped at parsing.

API Particulier's former ``avis-imposition`` endpoint is deprecated; tax figures come from
API Impôt particulier only.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import requests
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from demarches.famille.errors import (
    QuotientInputInvalidError,
    QuotientPersonNotFoundError,
    QuotientResponseInvalidError,
    QuotientServiceUnavailableError,
)
from demarches.famille.quotient import BirthIdentity, CafQuotient, TaxFigures

logger = logging.getLogger(__name__)

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


class ApiParticulierSettings(BaseModel):
    """Connection to API Particulier; empty values leave the automatic CAF/MSA path off."""

    base_url: str = ""
    api_key: str = Field(default="", repr=False)
    composition_familiale_path: str = "/api/v2/composition-familiale-v2"
    recipient_siret: str | None = Field(
        default=None, description="SIRET of the body the data is for, sent as recipient."
    )
    connect_timeout_seconds: float = Field(default=3.05, gt=0)
    read_timeout_seconds: float = Field(default=10.0, gt=0)


class ImpotParticulierSettings(BaseModel):
    """Connection to API Impôt particulier; empty values leave the automatic DGFiP path off."""

    base_url: str = ""
    access_token: str = Field(default="", repr=False)
    situation_path: str = (
        "/impotparticulier/1.0/spi/{numero_fiscal}/situations/ir/assiettes/annrev/{income_year}"
    )
    id_teleservice: str | None = None
    connect_timeout_seconds: float = Field(default=3.05, gt=0)
    read_timeout_seconds: float = Field(default=10.0, gt=0)


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts and backoff: the delay before retry n (1-based) is ``base * multiplier**(n-1)``,
    capped at ``max_delay_seconds``. A numeric Retry-After header replaces it, within the cap."""

    max_attempts: int = 4
    base_delay_seconds: float = 0.25
    multiplier: float = 2.0
    max_delay_seconds: float = 4.0

    def delay(self, retry_number: int, retry_after: str | None = None) -> float:
        if retry_after is not None and retry_after.strip().isdigit():
            return min(float(retry_after.strip()), self.max_delay_seconds)
        computed = self.base_delay_seconds * self.multiplier ** (retry_number - 1)
        return min(computed, self.max_delay_seconds)


class RateLimiter:
    """Sliding-window limiter: at most ``max_calls`` calls per ``period_seconds`` per key.

    ``acquire`` blocks until the call fits. Keys are stored as SHA-256 digests, so the
    limiter keeps no token in clear.

    NOTE: the limit applies per process. Concurrent Lambda instances each get the full budget,
    so API Particulier may still respond with 429, which the retry policy absorbs.
    """

    def __init__(
        self,
        max_calls: int = 20,
        period_seconds: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_calls = max_calls
        self.period_seconds = period_seconds
        self._monotonic = monotonic
        self._sleep = sleep
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> None:
        digest = hashlib.sha256(key.encode()).hexdigest()
        while True:
            with self._lock:
                now = self._monotonic()
                calls = self._calls.setdefault(digest, deque())
                while calls and calls[0] <= now - self.period_seconds:
                    calls.popleft()
                if len(calls) < self.max_calls:
                    calls.append(now)
                    return
                wait = calls[0] + self.period_seconds - now
            self._sleep(wait)


# API Particulier allows 20 calls per second per token. One limiter per process, shared by
# every client, keeps the budget per token even when several clients use the same key.
API_PARTICULIER_LIMITER = RateLimiter(max_calls=20, period_seconds=1.0)


class _HttpJsonClient:
    """GET with timeouts, retries and rate limiting, mapping failures to quotient errors."""

    def __init__(
        self,
        *,
        service: str,
        session: requests.Session | None,
        connect_timeout: float,
        read_timeout: float,
        retry: RetryPolicy,
        rate_limiter: RateLimiter | None,
        rate_limit_key: str,
        sleep: Callable[[float], None],
    ) -> None:
        self.service = service
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.retry = retry
        self.rate_limiter = rate_limiter
        self.rate_limit_key = rate_limit_key
        self._sleep = sleep

    def get_json(
        self, url: str, *, params: Mapping[str, Any] | None, headers: Mapping[str, str]
    ) -> Any:
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                self.rate_limiter.acquire(self.rate_limit_key)
            retry_after: str | None = None
            try:
                response = self.session.get(
                    url, params=params, headers=dict(headers), timeout=self.timeout
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                failure = f"{type(exc).__name__}"
                if attempt >= self.retry.max_attempts:
                    logger.error(
                        "outside service failed after retries",
                        extra={"service": self.service, "attempts": attempt, "error": failure},
                    )
                    raise QuotientServiceUnavailableError(
                        f"{self.service} did not respond after {attempt} attempts ({failure}); "
                        "try again later or use the paper path",
                        details={"service": self.service},
                    ) from exc
            else:
                if response.status_code not in RETRIED_STATUSES:
                    return self._handle(response)
                failure = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After")
                if attempt >= self.retry.max_attempts:
                    logger.error(
                        "outside service failed after retries",
                        extra={"service": self.service, "attempts": attempt, "error": failure},
                    )
                    raise QuotientServiceUnavailableError(
                        f"{self.service} responded {failure} after {attempt} attempts; "
                        "try again later or use the paper path",
                        details={"service": self.service, "status": response.status_code},
                    )
            delay = self.retry.delay(attempt, retry_after)
            logger.warning(
                "retrying outside service",
                extra={
                    "service": self.service,
                    "attempt": attempt,
                    "error": failure,
                    "delay_seconds": delay,
                },
            )
            self._sleep(delay)

    def _handle(self, response: requests.Response) -> Any:
        status = response.status_code
        if status == 200:
            try:
                return response.json()
            except ValueError as exc:
                raise QuotientResponseInvalidError(
                    f"{self.service} responded 200 with a body that is not JSON",
                    details={"service": self.service},
                ) from exc
        if status == 404:
            raise QuotientPersonNotFoundError(
                f"{self.service} found no record for this person; check the identity entered "
                "or use the paper path",
                details={"service": self.service},
            )
        if status in (400, 422):
            raise QuotientInputInvalidError(
                f"{self.service} rejected the lookup parameters (HTTP {status}); check the "
                "identity entered",
                details={"service": self.service, "status": status},
            )
        if status in (401, 403):
            # A configuration fault (key revoked, scope missing), not the family's, so log an error.
            logger.error(
                "outside service rejected the credentials",
                extra={"service": self.service, "status": status},
            )
        raise QuotientServiceUnavailableError(
            f"{self.service} responded HTTP {status}; try again later or use the paper path",
            details={"service": self.service, "status": status},
        )


class _CompositionFamilialeResponse(BaseModel):
    """The part of the composition-familiale response the QF needs; other fields are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    regime: Literal["CNAF", "CAF", "MSA"]
    quotient_familial: int = Field(alias="quotientFamilial", ge=0)
    annee: int = Field(ge=2000, le=2100)
    mois: int = Field(ge=1, le=12)


class ApiParticulierClient:
    """``QuotientProvider`` over API Particulier's ``composition-familiale`` endpoint family.

    The call sends the identity pivot (birth name, first names, sex, birth date and place) as
    query parameters and the token in the ``X-Api-Key`` header.

    NOTE: urllib3 logs each URL, identity query included, at DEBUG level. Keep the
    ``urllib3`` logger at INFO or above wherever real personal data flows.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        path: str,
        recipient_siret: str | None = None,
        session: requests.Session | None = None,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = API_PARTICULIER_LIMITER,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url or not api_key:
            raise ValueError("API Particulier needs a base URL and an API key")
        self.url = base_url.rstrip("/") + "/" + path.lstrip("/")
        self._api_key = api_key
        self.recipient_siret = recipient_siret
        self._http = _HttpJsonClient(
            service="API Particulier",
            session=session,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retry=retry or RetryPolicy(),
            rate_limiter=rate_limiter,
            rate_limit_key=api_key,
            sleep=sleep,
        )

    @classmethod
    def from_settings(cls, settings: ApiParticulierSettings, **kwargs: Any) -> ApiParticulierClient:
        return cls(
            base_url=settings.base_url,
            api_key=settings.api_key,
            path=settings.composition_familiale_path,
            recipient_siret=settings.recipient_siret,
            connect_timeout=settings.connect_timeout_seconds,
            read_timeout=settings.read_timeout_seconds,
            **kwargs,
        )

    @staticmethod
    def query_parameters(person: BirthIdentity) -> dict[str, Any]:
        params: dict[str, Any] = {
            "nomNaissance": person.nom_naissance,
            "prenoms[]": list(person.prenoms),
            "sexe": person.sexe,
            "anneeDateDeNaissance": person.annee_naissance,
            "codePaysLieuDeNaissance": person.code_pays_lieu_naissance,
        }
        optional = {
            "nomUsage": person.nom_usage,
            "moisDateDeNaissance": person.mois_naissance,
            "jourDateDeNaissance": person.jour_naissance,
            "codeInseeLieuDeNaissance": person.code_insee_lieu_naissance,
        }
        params.update({name: value for name, value in optional.items() if value is not None})
        return params

    def fetch_quotient(self, person: BirthIdentity) -> CafQuotient:
        params = self.query_parameters(person)
        if self.recipient_siret:
            params["recipient"] = self.recipient_siret
        body = self._http.get_json(
            self.url,
            params=params,
            headers={"X-Api-Key": self._api_key, "Accept": "application/json"},
        )
        try:
            parsed = _CompositionFamilialeResponse.model_validate(body)
        except ValidationError as exc:
            raise QuotientResponseInvalidError(
                "API Particulier responded without a valid regime, quotientFamilial, annee or mois",
                details={"service": "API Particulier", "errors": exc.error_count()},
            ) from exc
        source: Literal["caf", "msa"] = "msa" if parsed.regime == "MSA" else "caf"
        return CafQuotient(
            source=source,
            value_euros=parsed.quotient_familial,
            year=parsed.annee,
            month=parsed.mois,
        )


class _SituationIrResponse(BaseModel):
    """The part of the situation IR response the QF needs; the address is ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    rfr: int = Field(ge=0, description="Revenu fiscal de référence in euros.")
    nombre_parts: Decimal = Field(alias="nbPart", gt=0, le=99)


class ImpotParticulierClient:
    """``TaxDataProvider`` over DGFiP's API Impôt particulier, situation IR by numéro fiscal.

    The path template takes ``{numero_fiscal}`` and ``{income_year}``. The access token is
    obtained by the caller (OAuth2 client credentials with the DGFiP) and passed as a string or
    a callable that returns a current token.
    """

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str | Callable[[], str],
        path_template: str,
        id_teleservice: str | None = None,
        session: requests.Session | None = None,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url or not access_token:
            raise ValueError("API Impôt particulier needs a base URL and an access token")
        if "{numero_fiscal}" not in path_template or "{income_year}" not in path_template:
            raise ValueError("the path template needs {numero_fiscal} and {income_year}")
        self.base_url = base_url.rstrip("/")
        self.path_template = path_template
        self._access_token = access_token
        self.id_teleservice = id_teleservice
        self._http = _HttpJsonClient(
            service="API Impôt particulier",
            session=session,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retry=retry or RetryPolicy(),
            rate_limiter=rate_limiter,
            rate_limit_key=base_url,
            sleep=sleep,
        )

    @classmethod
    def from_settings(
        cls, settings: ImpotParticulierSettings, **kwargs: Any
    ) -> ImpotParticulierClient:
        return cls(
            base_url=settings.base_url,
            access_token=settings.access_token,
            path_template=settings.situation_path,
            id_teleservice=settings.id_teleservice,
            connect_timeout=settings.connect_timeout_seconds,
            read_timeout=settings.read_timeout_seconds,
            **kwargs,
        )

    def _token(self) -> str:
        return self._access_token() if callable(self._access_token) else self._access_token

    def fetch_tax_figures(self, numero_fiscal: str, income_year: int) -> TaxFigures:
        # The numéro fiscal (SPI) has 13 digits; checking here keeps it out of a malformed URL.
        if not (len(numero_fiscal) == 13 and numero_fiscal.isdigit()):
            raise QuotientInputInvalidError(
                "invalid numéro fiscal: expected the 13 digits printed on the tax notice",
                field="numero_fiscal",
            )
        path = self.path_template.format(numero_fiscal=numero_fiscal, income_year=income_year)
        headers = {
            "Authorization": f"Bearer {self._token()}",
            "Accept": "application/json",
            "X-Correlation-ID": str(uuid.uuid4()),
        }
        if self.id_teleservice:
            headers["ID_Teleservice"] = self.id_teleservice
        body = self._http.get_json(self.base_url + path, params=None, headers=headers)
        try:
            parsed = _SituationIrResponse.model_validate(body)
        except ValidationError as exc:
            raise QuotientResponseInvalidError(
                "API Impôt particulier responded without a valid rfr or nbPart",
                details={"service": "API Impôt particulier", "errors": exc.error_count()},
            ) from exc
        return TaxFigures(
            revenu_fiscal_reference_cents=parsed.rfr * 100,
            nombre_parts=parsed.nombre_parts,
            income_year=income_year,
        )
