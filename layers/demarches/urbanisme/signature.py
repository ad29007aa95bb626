"""Electronic signature of decisions: the Signer port, its PAdES adapter and verification.

A decision carries the signature of its author and, legibly, their first name, last name and
capacity (L212-3 CRPA). The PDF shows them in its text; the PAdES signature binds the same
name (certificate subject CN) and capacity (certificate title) to the exact bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# asn1crypto ships no type information (ignored in pyproject.toml); pyHanko takes its objects.
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from demarches.urbanisme.local_ca import SignerCredentials

SIGNATURE_FIELD = "Signature"


class Signer(Protocol):
    """Port: signs a PDF in the name of a signatory."""

    def sign(self, pdf_bytes: bytes, signer_name: str, capacity: str, reason: str) -> bytes:
        """Return the signed PDF. The input is not changed; the signature is appended to it."""
        ...


class CredentialSource(Protocol):
    """Source of the key and certificate of a signatory, for a signer adapter."""

    def signer_credentials(self, signer_name: str, capacity: str) -> SignerCredentials: ...


class PadesSigner:
    """Signer adapter that adds an invisible PAdES baseline signature with pyHanko.

    The signature has no timestamp, because no timestamping authority is configured: the
    signing time is the signer's own clock.
    """

    def __init__(self, credentials: CredentialSource, *, location: str | None = None) -> None:
        self._credentials = credentials
        self._location = location

    def sign(self, pdf_bytes: bytes, signer_name: str, capacity: str, reason: str) -> bytes:
        credentials = self._credentials.signer_credentials(signer_name, capacity)
        signer = signers.SimpleSigner(
            signing_cert=_to_asn1_certificate(credentials.certificate),
            signing_key=_to_asn1_private_key(credentials),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [_to_asn1_certificate(certificate) for certificate in credentials.chain]
            ),
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            name=signer_name,
            location=self._location,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        output = signers.sign_pdf(writer, metadata, signer=signer)
        signed: bytes = output.getvalue()
        return signed


@dataclass(frozen=True)
class SignatureVerification:
    """Outcome of ``verify`` for the last signature of a PDF.

    ``intact``: the signed bytes are unchanged. ``valid``: the cryptographic signature matches
    the signer's certificate. ``trusted``: that certificate chains up to the given root.
    ``covers_whole_file``: nothing was appended after the signature.
    """

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signer_name: str | None
    signer_capacity: str | None
    signed_at: datetime | None

    @property
    def acceptable(self) -> bool:
        """True when the decision can be relied on: intact, valid, trusted and not extended."""
        return (
            self.signed and self.intact and self.valid and self.trusted and self.covers_whole_file
        )


_UNSIGNED = SignatureVerification(
    signed=False,
    intact=False,
    valid=False,
    trusted=False,
    covers_whole_file=False,
    signer_name=None,
    signer_capacity=None,
    signed_at=None,
)


def verify(pdf_bytes: bytes, trust_root: x509.Certificate) -> SignatureVerification:
    """Validate the last signature of a PDF against one trusted root, offline.

    No certificate or revocation list is fetched from the network. A PDF that no longer parses
    after a change is reported as signed but not intact.
    """
    context = ValidationContext(
        trust_roots=[_to_asn1_certificate(trust_root)], allow_fetching=False
    )
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError):
        return _signed_but_broken(pdf_bytes)
    if not signatures:
        return _UNSIGNED

    try:
        status = validate_pdf_signature(signatures[-1], context)
    except (PdfError, SigningError, ValueError, KeyError):
        return _signed_but_broken(pdf_bytes)

    subject = status.signing_cert.subject.native
    return SignatureVerification(
        signed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage is SignatureCoverageLevel.ENTIRE_FILE,
        signer_name=subject.get("common_name"),
        signer_capacity=subject.get("title"),
        signed_at=status.signer_reported_dt,
    )


def _signed_but_broken(pdf_bytes: bytes) -> SignatureVerification:
    # The bytes mention a signature dictionary but cannot be validated: treat as tampered.
    if b"/ByteRange" not in pdf_bytes:
        return _UNSIGNED
    return SignatureVerification(
        signed=True,
        intact=False,
        valid=False,
        trusted=False,
        covers_whole_file=False,
        signer_name=None,
        signer_capacity=None,
        signed_at=None,
    )


def _to_asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _to_asn1_private_key(credentials: SignerCredentials) -> asn1_keys.PrivateKeyInfo:
    der = credentials.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)
