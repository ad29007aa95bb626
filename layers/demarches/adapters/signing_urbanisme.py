"""Signing credentials kept in AWS Secrets Manager as a PKCS#12 file, for ``PadesSigner``.

The secret's string is JSON: ``{"pkcs12": "<base64 of the .p12 file>", "password": "..."}``.
The key and certificate are read once per process. The certificate's subject must name the
signatory (common name), because the decision prints that name next to the signature.

NOTE: checked only against the embedded emulator with a PKCS#12 built from the local CA.
Not verified: a qualified certificate (eIDAS) usually stays on a signature device and cannot
be exported to a PKCS#12 file, so it needs a remote signing adapter behind the same port;
decisions carry no timestamp from a timestamping authority nor revocation data (PAdES B-B
only); one secret holds one signatory's certificate.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from demarches.errors import UnavailableError
from demarches.urbanisme.errors import SigningCredentialsInvalidError
from demarches.urbanisme.local_ca import SignerCredentials


class SecretsManagerPkcs12Credentials:
    """``CredentialSource`` reading one signatory's PKCS#12 file from a secret."""

    def __init__(self, client: Any, secret_id: str) -> None:
        self._client = client
        self._secret_id = secret_id
        self._loaded: SignerCredentials | None = None

    def signer_credentials(self, signer_name: str, capacity: str) -> SignerCredentials:
        credentials = self._loaded or self._load()
        self._loaded = credentials
        names = credentials.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        certificate_name = str(names[0].value) if names else ""
        if certificate_name != signer_name:
            raise SigningCredentialsInvalidError(
                f"The signing certificate names {certificate_name!r}, not the signatory "
                f"{signer_name!r}: store this signatory's own PKCS#12 file in the secret."
            )
        return credentials

    def _load(self) -> SignerCredentials:
        try:
            secret = self._client.get_secret_value(SecretId=self._secret_id)
        except ClientError as exc:
            raise UnavailableError("the signing key store cannot be read; try again") from exc
        try:
            content = json.loads(secret["SecretString"])
            data = base64.b64decode(content["pkcs12"], validate=True)
            password = str(content["password"]).encode()
            key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
        except (KeyError, ValueError, TypeError, binascii.Error) as exc:
            raise SigningCredentialsInvalidError(
                f"The secret {self._secret_id} does not hold a readable PKCS#12 file and its "
                'password as {"pkcs12": base64, "password": text}.'
            ) from exc
        if certificate is None or not isinstance(
            key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
        ):
            raise SigningCredentialsInvalidError(
                f"The PKCS#12 file of {self._secret_id} needs an EC or RSA key and its certificate."
            )
        return SignerCredentials(key, certificate, tuple(_certificates(chain)))


def _certificates(chain: list[x509.Certificate] | None) -> list[x509.Certificate]:
    return list(chain or [])
