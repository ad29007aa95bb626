"""Error families shared by every démarche.

Each démarche raises subclasses of these families. The HTTP edge maps a family to a status
code through one table, and the subclass's ``code`` is the stable, documented error code.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DemarcheError(Exception):
    """Base of every error a client may see, with a stable code and a field when known."""

    code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}
        if code is not None:
            self.code = code  # type: ignore[misc]

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class InvalidRequestError(DemarcheError):
    """The request is well-formed but a value breaks a rule (422)."""

    code = "invalid_request"


class MalformedRequestError(DemarcheError):
    """The request body cannot be parsed (400)."""

    code = "malformed_request"


class NotAuthenticatedError(DemarcheError):
    """No valid identity token came with the request (401)."""

    code = "not_authenticated"


class ForbiddenError(DemarcheError):
    """The caller is known but may not act on this resource (403)."""

    code = "forbidden"


class NotFoundError(DemarcheError):
    """The resource does not exist, or the caller may not know that it exists (404)."""

    code = "not_found"


class ConflictError(DemarcheError):
    """The request conflicts with the current state: full slot, quota reached, replay (409)."""

    code = "conflict"


class GoneError(DemarcheError):
    """A deadline has passed for this action (410)."""

    code = "deadline_passed"


class UnavailableError(DemarcheError):
    """An outside service failed or timed out; the request may be retried later (503)."""

    code = "service_unavailable"
