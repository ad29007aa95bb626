"""Routes of the embedded stack only: demo sign-in and firing a schedule by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .demo import demo_identities

if TYPE_CHECKING:
    from .api_server import LocalRoute
    from .stack import EmbeddedStack

_MAX_LIFETIME = 7 * 24 * 3600


def build(stack: EmbeddedStack) -> dict[tuple[str, str], LocalRoute]:
    def identities(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        public = ("id", "name", "description", "roles", "household_id", "office_id", "teacher_id")
        return 200, {
            "identities": [
                {key: identity.get(key) for key in public}
                for identity in demo_identities().values()
            ]
        }

    def token(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        identity = body.get("identity")
        lifetime = body.get("lifetime_seconds", 8 * 3600)
        if identity not in demo_identities():
            known = ", ".join(sorted(demo_identities()))
            message = f"identity must be one of: {known}"
            return 422, {"code": "identity_unknown", "message": message, "field": "identity"}
        if not isinstance(lifetime, int) or not 1 <= lifetime <= _MAX_LIFETIME:
            message = f"lifetime_seconds must be an integer from 1 to {_MAX_LIFETIME}"
            return 422, {"code": "invalid_request", "message": message, "field": "lifetime_seconds"}
        return 200, {
            "id_token": stack.token(identity, lifetime),
            "token_type": "Bearer",
            "expires_in": lifetime,
        }

    def fire(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        name = path.rsplit("/", 1)[-1]
        try:
            result = stack.scheduler.fire_by_name(name)
        except LookupError as exc:
            return 404, {"code": "schedule_not_found", "message": str(exc)}
        return 200, {"schedule": name, "result": result}

    return {
        ("GET", "/local/identities"): identities,
        ("POST", "/local/token"): token,
        ("POST", "/local/schedules/*"): fire,
    }
