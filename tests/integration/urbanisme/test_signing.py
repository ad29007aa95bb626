"""The production key store of decision signatures: a PKCS#12 file in Secrets Manager."""

from __future__ import annotations

import base64
import json
import uuid

import boto3
import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from demarches import bootstrap
from demarches.adapters.signing_urbanisme import SecretsManagerPkcs12Credentials
from demarches.urbanisme.errors import SigningCredentialsInvalidError
from demarches.urbanisme.signature import PadesSigner, verify
from tests.integration.urbanisme.conftest import pdf_bytes

pytestmark = pytest.mark.xdist_group("urbanisme")

SIGNER = "Hélène Marchal"
CAPACITY = "Vice-présidente déléguée à l'urbanisme"


@pytest.fixture(scope="module")
def secrets(stack):
    return boto3.client("secretsmanager", endpoint_url=stack.emulator.endpoint_url)


def store_secret(secrets, value: str) -> str:
    name = f"urbanisme-signing-{uuid.uuid4().hex[:8]}"
    secrets.create_secret(Name=name, SecretString=value)
    return name


def pkcs12_secret(password: bytes) -> str:
    authority = bootstrap.urbanisme_local_ca()
    credentials = authority.signer_credentials(SIGNER, CAPACITY)
    data = pkcs12.serialize_key_and_certificates(
        b"signatory",
        credentials.private_key,
        credentials.certificate,
        list(credentials.chain),
        BestAvailableEncryption(password),
    )
    return json.dumps({"pkcs12": base64.b64encode(data).decode(), "password": password.decode()})


def test_pkcs12_secret_signs_verifiable_decision(secrets):
    secret_id = store_secret(secrets, pkcs12_secret(b"mot-de-passe"))
    signer = PadesSigner(SecretsManagerPkcs12Credentials(secrets, secret_id), location="Verdun")

    signed = signer.sign(pdf_bytes(), SIGNER, CAPACITY, "Décision CUa-055545-2026-000001")

    result = verify(signed, bootstrap.urbanisme_local_ca().root_certificate)
    assert result.acceptable
    assert result.signer_name == SIGNER
    assert result.signer_capacity == CAPACITY


def test_pkcs12_of_another_signatory_is_refused(secrets):
    secret_id = store_secret(secrets, pkcs12_secret(b"mot-de-passe"))
    credentials = SecretsManagerPkcs12Credentials(secrets, secret_id)

    with pytest.raises(SigningCredentialsInvalidError, match="Samuel Hazard"):
        credentials.signer_credentials("Samuel Hazard", CAPACITY)


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        json.dumps({"pkcs12": "not base64!", "password": "x"}),
        json.dumps({"pkcs12": base64.b64encode(b"junk").decode(), "password": "x"}),
    ],
)
def test_unreadable_secret_is_reported(secrets, value):
    credentials = SecretsManagerPkcs12Credentials(secrets, store_secret(secrets, value))

    with pytest.raises(SigningCredentialsInvalidError):
        credentials.signer_credentials(SIGNER, CAPACITY)


def test_wrong_password_is_reported(secrets):
    content = json.loads(pkcs12_secret(b"mot-de-passe"))
    content["password"] = "autre"
    credentials = SecretsManagerPkcs12Credentials(
        secrets, store_secret(secrets, json.dumps(content))
    )

    with pytest.raises(SigningCredentialsInvalidError):
        credentials.signer_credentials(SIGNER, CAPACITY)
