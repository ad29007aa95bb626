"""boto3 clients built from settings, shared by every adapter of a process."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from demarches.settings import Settings

# Standard retry mode backs off on throttling; connections are kept for warm invocations.
# Requests are built by the adapters from validated domain values, and the service validates
# them again, so botocore's client-side parameter validation only adds latency.
_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    max_pool_connections=64,
    parameter_validation=False,
)


@cache
def _session() -> boto3.session.Session:
    return boto3.session.Session()


def client(service: str, settings: Settings) -> Any:
    """Return a boto3 client for ``service`` in the configured region and endpoint."""
    return _cached_client(service, settings.aws_region, settings.aws_endpoint_url)


@cache
def _cached_client(service: str, region: str, endpoint_url: str | None) -> Any:
    return _session().client(
        service,  # type: ignore[call-overload]
        region_name=region,
        endpoint_url=endpoint_url,
        config=_CONFIG,
    )
