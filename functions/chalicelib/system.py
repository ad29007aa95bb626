"""Routes shared by every démarche: health, the OpenAPI document and the caller's profile."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from .http import Call, endpoint

system = Blueprint(__name__)


@endpoint(system, "/health", "GET", summary="Liveness probe", tag="system", auth=False)
def health(call: Call) -> Any:
    return {"status": "ok"}


@endpoint(
    system,
    "/openapi.json",
    "GET",
    summary="This API's OpenAPI 3.0.3 document",
    tag="system",
    auth=False,
)
def openapi_document(call: Call) -> Any:
    from .openapi import build_document

    return build_document("Démarches en ligne", "0.1.0")


@endpoint(
    system,
    "/me",
    "GET",
    summary="Your identity and your household's stored profile",
    tag="system",
    response="demarches.households.api:ProfileOut",
    errors=(401,),
)
def me(call: Call) -> Any:
    from demarches.bootstrap import household_directory
    from demarches.households.api import ProfileOut

    identity = call.identity
    household = household_directory().get(identity.household_id) if identity.household_id else None
    return ProfileOut.of(identity, household)
