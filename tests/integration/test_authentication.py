"""Every route with personal data needs a valid ID token: signature, expiry, audience."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import ApiClient


@pytest.fixture(scope="module")
def forged_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims(stack, **overrides):
    now = int(time.time())
    base = {
        "iss": stack.issuer.issuer,
        "aud": stack.issuer.audience,
        "sub": "camille.martin",
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "custom:household_id": "foyer-martin",
    }
    return {**base, **overrides}


def test_missing_token_is_rejected(api):
    response = ApiClient(api).get("/aquadrome/bookings")

    assert response.status_code == 401
    assert response.json()["code"] == "token_missing"


def test_token_signed_by_another_key_is_rejected(api, stack, forged_key):
    token = jwt.encode(
        claims(stack), forged_key, algorithm="RS256", headers={"kid": stack.issuer.kid}
    )

    response = ApiClient(api, token).get("/aquadrome/bookings")

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_expired_token_is_rejected(api, stack):
    token = stack.issuer.issue(
        "camille.martin",
        name="Camille Martin",
        email="c@example.fr",
        household_id="foyer-martin",
        lifetime_seconds=60,
        now=time.time() - 3600,
    )

    response = ApiClient(api, token).get("/aquadrome/bookings")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_token_for_another_audience_is_rejected(api, stack):
    token = jwt.encode(
        claims(stack, aud="another-client"),
        stack.issuer._key,
        algorithm="RS256",
        headers={"kid": stack.issuer.kid},
    )

    response = ApiClient(api, token).get("/aquadrome/bookings")

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_unsigned_token_is_rejected(api, stack):
    token = jwt.encode(claims(stack), key=None, algorithm="none")

    response = ApiClient(api, token).get("/aquadrome/bookings")

    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "Bearer not-a-jwt", "Bearer a.b.c"])
def test_malformed_authorization_header_is_rejected(api, header):
    response = ApiClient(api).get("/aquadrome/bookings", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["code"] in ("token_missing", "token_invalid")


def test_valid_demo_token_reads_profile(as_identity):
    response = as_identity("camille.martin").get("/me")

    assert response.status_code == 200
    assert response.json()["household"]["household_id"] == "foyer-martin"
    assert len(response.json()["household"]["persons"]) == 4
