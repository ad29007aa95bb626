"""The HTTP edge: identity, body parsing, and the one table from errors to status codes.

Routes are declared with ``endpoint``, which registers them with Chalice and records their
request and response models for the OpenAPI document. Models are named by dotted path and
imported on first use, so the Lambda entry module imports neither pydantic nor boto3.
"""

from __future__ import annotations

import functools
import importlib
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger
from chalice import Blueprint, CORSConfig, Response

from demarches.errors import (
    ConflictError,
    DemarcheError,
    ForbiddenError,
    GoneError,
    InvalidRequestError,
    MalformedRequestError,
    NotAuthenticatedError,
    NotFoundError,
    UnavailableError,
)

logger = Logger(service="demarches")

STATUS_BY_FAMILY: tuple[tuple[type[DemarcheError], int], ...] = (
    (MalformedRequestError, 400),
    (NotAuthenticatedError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (GoneError, 410),
    (InvalidRequestError, 422),
    (UnavailableError, 503),
)

JSON_HEADERS: dict[str, str | list[str]] = {"Content-Type": "application/json"}

# The pages are served from another origin on AWS (CloudFront); tokens travel in a header, so
# no cookie is ever sent cross-origin.
CORS = CORSConfig(allow_origin="*", allow_headers=["Idempotency-Key"], max_age=600)


@dataclass(frozen=True)
class Param:
    name: str
    location: str
    description: str
    required: bool = False
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class RouteSpec:
    path: str
    method: str
    operation_id: str
    summary: str
    tag: str
    request_model: str | None
    response_model: str | None
    status: int
    auth: bool
    params: tuple[Param, ...]
    errors: tuple[int, ...]


ROUTES: list[RouteSpec] = []


@dataclass(frozen=True)
class Call:
    """Input of a route function: identity, parsed body, path, query and headers."""

    identity: Any
    body: Any
    path: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]


def status_for(exc: DemarcheError) -> int:
    for family, status in STATUS_BY_FAMILY:
        if isinstance(exc, family):
            return status
    return 400


def error_response(exc: DemarcheError) -> Response:
    status = status_for(exc)
    if status >= 500:
        # The log keeps the cause (a botocore or HTTP error). The client only learns that it
        # may retry.
        logger.error(
            "request failed",
            extra={"code": exc.code, "status": status, "cause": repr(exc.__cause__)},
        )
    else:
        logger.warning("request rejected", extra={"code": exc.code, "status": status})
    return Response(body=exc.to_body(), status_code=status, headers=JSON_HEADERS)


@functools.cache
def load_model(path: str) -> Any:
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


# Bodies are small JSON documents; uploads go straight to S3 and never through the API.
MAX_BODY_BYTES = 256 * 1024


def parse_body(raw: str | bytes | None, model_path: str) -> Any:
    """Parse a JSON body into the named pydantic model; 400 on bad JSON, 422 on bad values."""
    from pydantic import ValidationError

    if raw is not None and len(raw) > MAX_BODY_BYTES:
        raise MalformedRequestError(
            f"the body is larger than {MAX_BODY_BYTES} bytes", code="body_too_large"
        )
    try:
        data = json.loads(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedRequestError(
            f"the body is not valid JSON: {exc}", code="malformed_json"
        ) from exc
    except RecursionError as exc:
        raise MalformedRequestError(
            "the body is not valid JSON: it is nested too deeply", code="malformed_json"
        ) from exc
    if data is None:
        raise MalformedRequestError("a JSON body is required", code="body_missing")
    try:
        return load_model(model_path).model_validate(data)
    except ValidationError as exc:
        faults = [
            {
                "field": ".".join(str(part) for part in fault["loc"]),
                "type": fault["type"],
                "message": fault["msg"],
            }
            for fault in exc.errors(include_url=False, include_input=False)
        ]
        first = faults[0]
        raise InvalidRequestError(
            f"{first['field'] or 'body'}: {first['message']}",
            field=first["field"] or None,
            code="invalid_request",
            details={"errors": faults},
        ) from exc


def _serialize(result: Any) -> Any:
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [_serialize(item) for item in result]
    return result


def _verify(headers: dict[str, str]) -> Any:
    from demarches.bootstrap import token_verifier

    return token_verifier().verify(headers.get("authorization"))


def endpoint(
    blueprint: Blueprint,
    path: str,
    method: str,
    *,
    summary: str,
    tag: str,
    request: str | None = None,
    response: str | None = None,
    status: int = 200,
    auth: bool = True,
    params: tuple[Param, ...] = (),
    errors: tuple[int, ...] = (),
) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    """Register a JSON route whose function takes a ``Call`` and returns a model or dict."""

    def decorator(function: Callable[[Call], Any]) -> Callable[[Call], Any]:
        ROUTES.append(
            RouteSpec(
                path=path,
                method=method.lower(),
                operation_id=function.__name__,
                summary=summary,
                tag=tag,
                request_model=request,
                response_model=response,
                status=status,
                auth=auth,
                params=params,
                errors=errors,
            )
        )

        def handler(**path_params: str) -> Response:
            current = blueprint.current_request
            headers = {k.lower(): v for k, v in (current.headers or {}).items()}
            try:
                identity = _verify(headers) if auth else None
                body = parse_body(current.raw_body, request) if request else None
                call = Call(identity, body, path_params, dict(current.query_params or {}), headers)
                result = function(call)
            except DemarcheError as exc:
                return error_response(exc)
            except Exception as exc:
                logger.exception("request failed", extra={"route": path, "method": method})
                return internal_error(exc)
            if isinstance(result, Response):
                return result
            return Response(body=_serialize(result), status_code=status, headers=JSON_HEADERS)

        handler.__name__ = function.__name__
        blueprint.route(path, methods=[method.upper()], cors=CORS)(handler)
        return function

    return decorator


def internal_error(exc: Exception) -> Response:
    from demarches.bootstrap import settings

    body: dict[str, Any] = {
        "code": "internal_error",
        "message": "the server failed to handle this request; it was logged, try again later",
    }
    if settings().debug:
        body["details"] = {"traceback": traceback.format_exception(exc)}
    return Response(body=body, status_code=500, headers=JSON_HEADERS)
