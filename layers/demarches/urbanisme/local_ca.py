"""A local certificate authority for signing decisions where no qualified certificate exists.

At first use it creates, in a given folder, a self-signed CA and then one signing certificate
per signatory (subject: the signatory's name, capacity and organisation, key usage
digitalSignature and contentCommitment). Later runs reuse the stored keys.

NOTE: only a verifier that trusts this CA's root accepts its signatures. A decision sent to
the public needs a certificate from a qualified provider (eIDAS), behind the same port.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from demarches.clock import Clock, SystemClock

CA_VALIDITY = timedelta(days=3650)
SIGNER_VALIDITY = timedelta(days=730)
# A signer certificate this close to its end is replaced rather than reused.
SIGNER_RENEWAL_MARGIN = timedelta(days=30)
# Certificates start a little in the past so that a clock slightly behind still accepts them.
CLOCK_SKEW = timedelta(minutes=5)

_CA_FILE = "ca.pem"
_SIGNERS_FOLDER = "signers"
_END_OF_KEY = b"-----END PRIVATE KEY-----\n"


@dataclass(frozen=True)
class SignerCredentials:
    """Private key and certificate of one signatory, with the chain up to the root."""

    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


class LocalCertificateAuthority:
    """Self-signed CA stored in ``folder``, created on first use, issuing signer certificates.

    Each PEM file contains a key and its certificate together and is written with ``os.replace``,
    so a concurrent first start never pairs one process's key with another's certificate.
    Key files are readable by their owner only.
    """

    def __init__(self, folder: Path, *, organisation: str, clock: Clock | None = None) -> None:
        self._folder = folder
        self._organisation = organisation
        self._clock = clock or SystemClock()
        self._ca_key, self._ca_certificate = self._load_or_create_ca()

    @property
    def root_certificate(self) -> x509.Certificate:
        """The CA certificate that verifiers must trust."""
        return self._ca_certificate

    def signer_credentials(self, signer_name: str, capacity: str) -> SignerCredentials:
        """Return the signatory's key and certificate, issuing them on first use or near expiry."""
        path = self._folder / _SIGNERS_FOLDER / f"{_signer_file_stem(signer_name, capacity)}.pem"
        now = self._clock.now()
        if path.exists():
            key, certificate = _read_key_and_certificate(path)
            if certificate.not_valid_after_utc - SIGNER_RENEWAL_MARGIN > now:
                return SignerCredentials(key, certificate, (self._ca_certificate,))

        key = ec.generate_private_key(ec.SECP256R1())
        certificate = self._issue_signer_certificate(key, signer_name, capacity, now)
        _write_key_and_certificate(path, key, certificate)
        return SignerCredentials(key, certificate, (self._ca_certificate,))

    def _load_or_create_ca(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        path = self._folder / _CA_FILE
        if path.exists():
            return _read_key_and_certificate(path)

        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, f"{self._organisation} - AC locale"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, self._organisation),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            ]
        )
        now = self._clock.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(now + CA_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        _write_key_and_certificate(path, key, certificate)
        # Another process may have won the race: use whatever pair is on disk now.
        return _read_key_and_certificate(path)

    def _issue_signer_certificate(
        self,
        key: ec.EllipticCurvePrivateKey,
        signer_name: str,
        capacity: str,
        now: datetime,
    ) -> x509.Certificate:
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, signer_name),
                x509.NameAttribute(NameOID.TITLE, capacity),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, self._organisation),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            ]
        )
        ca_public_key = self._ca_key.public_key()
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self._ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(min(now + SIGNER_VALIDITY, self._ca_certificate.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_public_key), False)
            .sign(self._ca_key, hashes.SHA256())
        )


def _signer_file_stem(signer_name: str, capacity: str) -> str:
    # A digest keeps accents, spaces and slashes of names out of file names.
    return hashlib.sha256(f"{signer_name}\0{capacity}".encode()).hexdigest()[:32]


def _write_key_and_certificate(
    path: Path, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate
) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    content = key_pem + certificate.public_bytes(serialization.Encoding.PEM)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(temporary, path)


def _read_key_and_certificate(path: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    content = path.read_bytes()
    key_pem, separator, certificate_pem = content.partition(_END_OF_KEY)
    if not separator:
        raise ValueError(f"{path} does not contain a PEM private key followed by a certificate")
    key = serialization.load_pem_private_key(key_pem + separator, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} contains a {type(key).__name__}; expected an EC private key")
    return key, x509.load_pem_x509_certificate(certificate_pem)
