"""Field issues: one missing or invalid value, located by its dotted path in the request."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

# Tags of the discriminated unions; pydantic puts them in error locations, a form has no use
# for them.
_UNION_TAGS = frozenset({"CUa", "CUb", "DIA", "person", "company"})


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one field: ``path`` such as ``land.parcels.1``, a stable ``code``."""

    path: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


def format_path(location: tuple[str | int, ...]) -> str:
    """Join a pydantic error location into a dotted path, without union tags."""
    parts = [str(part) for part in location if part not in _UNION_TAGS]
    return ".".join(parts)


def issues_from_validation_error(error: ValidationError) -> list[FieldIssue]:
    """Convert every error of a pydantic ValidationError into a FieldIssue, in pydantic's order."""
    return [
        FieldIssue(path=format_path(item["loc"]), code=item["type"], message=item["msg"])
        for item in error.errors(include_url=False)
    ]
