"""The embedded stack's identity provider: an RS256 key of its own and ID tokens like Cognito's.

The key is created at first start under ``.local/idp`` and published as a JWKS file, which
the API verifies exactly as it verifies Cognito's tokens on AWS (signature, ``iss``, ``aud``,
``exp``, ``token_use``).
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from demarches.identity import GROUPS_CLAIM, HOUSEHOLD_CLAIM, OFFICE_CLAIM, TEACHER_CLAIM


class LocalIssuer:
    def __init__(self, folder: Path, issuer: str, audience: str) -> None:
        self.issuer = issuer
        self.audience = audience
        self.jwks_path = folder / "jwks.json"
        key_path = folder / "signing-key.pem"
        folder.mkdir(parents=True, exist_ok=True)
        if key_path.exists():
            loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            assert isinstance(loaded, rsa.RSAPrivateKey)
            self._key = loaded
        else:
            self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            key_path.write_bytes(
                self._key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            key_path.chmod(0o600)
        public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        self.kid = public_jwk["kid"] = (
            "local-"
            + jwt.utils.base64url_encode(
                self._key.public_key().public_numbers().n.to_bytes(256, "big")[:9]
            ).decode()
        )
        public_jwk.update({"use": "sig", "alg": "RS256"})
        self.jwks_path.write_text(json.dumps({"keys": [public_jwk]}), encoding="utf-8")

    def issue(
        self,
        subject: str,
        *,
        name: str,
        email: str,
        household_id: str | None = None,
        office_id: str | None = None,
        roles: tuple[str, ...] = (),
        teacher_id: str | None = None,
        lifetime_seconds: int = 8 * 3600,
        now: float | None = None,
    ) -> str:
        issued_at = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "token_use": "id",
            "iat": issued_at,
            "exp": issued_at + lifetime_seconds,
            "jti": str(uuid.uuid4()),
            "name": name,
            "email": email,
            GROUPS_CLAIM: list(roles),
        }
        if household_id:
            claims[HOUSEHOLD_CLAIM] = household_id
        if office_id:
            claims[OFFICE_CLAIM] = office_id
        if teacher_id:
            claims[TEACHER_CLAIM] = teacher_id
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})
