"""Identity of the caller, proven by an OpenID Connect ID token (RS256).

On AWS the tokens come from a Cognito user pool, federated with FranceConnect for residents;
the embedded stack runs its own issuer with its own key. Both are verified by this same code:
signature against the issuer's JWKS, ``iss``, ``aud``, ``exp`` and ``token_use``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from demarches.errors import ForbiddenError, NotAuthenticatedError

HOUSEHOLD_CLAIM = "custom:household_id"
OFFICE_CLAIM = "custom:office_id"
# Teacher id of the conservatoire catalogue, set on teachers' accounts only.
TEACHER_CLAIM = "custom:teacher_id"
GROUPS_CLAIM = "cognito:groups"


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str | None
    name: str | None
    household_id: str | None
    office_id: str | None
    roles: frozenset[str]
    teacher_id: str | None = None

    def require_household(self) -> str:
        if not self.household_id:
            raise ForbiddenError(
                "this account has no household; complete your profile first",
                code="household_required",
            )
        return self.household_id

    def require_role(self, role: str) -> None:
        if role not in self.roles:
            raise ForbiddenError(f"this action needs the {role} role", code="role_required")


class TokenVerifier:
    """Verify ID tokens against a JWKS read from a URL (cached) or from a local file."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        jwks_path: str | None = None,
        leeway_seconds: int = 30,
    ) -> None:
        if not (jwks_url or jwks_path):
            raise ValueError("TokenVerifier needs jwks_url or jwks_path")
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._jwks_client = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        self._local_keys: dict[str, Any] = {}
        if jwks_path:
            keys = json.loads(Path(jwks_path).read_text(encoding="utf-8"))["keys"]
            self._local_keys = {k["kid"]: jwt.PyJWK(k).key for k in keys}

    def _key_for(self, token: str) -> Any:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.DecodeError as exc:
            raise NotAuthenticatedError(
                "the bearer token is not a JWT", code="token_invalid"
            ) from exc
        if self._jwks_client is not None:
            try:
                return self._jwks_client.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientError as exc:
                raise NotAuthenticatedError(
                    "the token's signing key is unknown", code="token_invalid"
                ) from exc
        key = self._local_keys.get(kid or "")
        if key is None:
            raise NotAuthenticatedError("the token's signing key is unknown", code="token_invalid")
        return key

    def verify(self, authorization: str | None) -> Identity:
        """Return the identity of a ``Bearer`` ID token, or raise ``NotAuthenticatedError``."""
        if not authorization:
            raise NotAuthenticatedError(
                "sign in first: send an Authorization: Bearer <token> header",
                code="token_missing",
            )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticatedError(
                "the Authorization header must be 'Bearer <token>'", code="token_missing"
            )
        token = token.strip()
        try:
            claims = jwt.decode(
                token,
                self._key_for(token),
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise NotAuthenticatedError(
                "the token has expired; sign in again", code="token_expired"
            ) from exc
        except jwt.InvalidTokenError as exc:
            raise NotAuthenticatedError(
                f"the token is invalid: {exc}", code="token_invalid"
            ) from exc
        if claims.get("token_use", "id") != "id":
            raise NotAuthenticatedError(
                "send an ID token, not an access token", code="token_invalid"
            )
        return identity_from_claims(claims)


def identity_from_claims(claims: dict[str, Any]) -> Identity:
    groups = claims.get(GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return Identity(
        subject=str(claims["sub"]),
        email=claims.get("email"),
        name=claims.get("name"),
        household_id=claims.get(HOUSEHOLD_CLAIM),
        office_id=claims.get(OFFICE_CLAIM),
        roles=frozenset(str(g) for g in groups),
        teacher_id=claims.get(TEACHER_CLAIM),
    )
