from __future__ import annotations

import io
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from demarches.clock import FixedClock
from demarches.urbanisme.local_ca import SIGNER_VALIDITY, LocalCertificateAuthority
from demarches.urbanisme.signature import PadesSigner, Signer, verify

ORGANISATION = "Communauté d'agglomération du Grand Verdun"
SIGNER_NAME = "Hélène Marchal"
CAPACITY = "Vice-présidente déléguée à l'urbanisme"


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> LocalCertificateAuthority:
    return LocalCertificateAuthority(tmp_path_factory.mktemp("ca"), organisation=ORGANISATION)


@pytest.fixture(scope="module")
def decision_pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Decision de renonciation au droit de preemption")
    return bytes(document.output())


@pytest.fixture(scope="module")
def signed_pdf(authority: LocalCertificateAuthority, decision_pdf: bytes) -> bytes:
    signer: Signer = PadesSigner(authority, location="Verdun")
    return signer.sign(decision_pdf, SIGNER_NAME, CAPACITY, "Décision DIA-055545-2026-000123")


def test_signed_pdf_verifies(signed_pdf: bytes, authority: LocalCertificateAuthority) -> None:
    result = verify(signed_pdf, authority.root_certificate)

    assert result.signed
    assert result.intact
    assert result.valid
    assert result.trusted
    assert result.covers_whole_file
    assert result.acceptable


def test_verification_names_the_signer(
    signed_pdf: bytes, authority: LocalCertificateAuthority
) -> None:
    result = verify(signed_pdf, authority.root_certificate)

    assert result.signer_name == SIGNER_NAME
    assert result.signer_capacity == CAPACITY
    assert result.signed_at is not None


def test_signature_keeps_the_original_bytes(signed_pdf: bytes, decision_pdf: bytes) -> None:
    assert signed_pdf.startswith(decision_pdf)


def test_signature_uses_pades_subfilter(signed_pdf: bytes) -> None:
    assert b"/ETSI.CAdES.detached" in signed_pdf


def test_one_flipped_byte_is_not_intact(
    signed_pdf: bytes, authority: LocalCertificateAuthority
) -> None:
    # Page width 595.28 becomes 595.29: the file still parses, one signed byte differs.
    tampered = bytearray(signed_pdf)
    position = signed_pdf.index(b"595.28") + len(b"595.2")
    tampered[position] ^= 0x01

    result = verify(bytes(tampered), authority.root_certificate)

    assert result.signed
    assert not result.intact
    assert not result.acceptable


def test_other_root_is_not_trusted(signed_pdf: bytes, tmp_path: Path) -> None:
    stranger = LocalCertificateAuthority(tmp_path, organisation="Autre collectivité")

    result = verify(signed_pdf, stranger.root_certificate)

    assert result.intact
    assert not result.trusted
    assert not result.acceptable


def test_unsigned_pdf_reports_no_signature(
    decision_pdf: bytes, authority: LocalCertificateAuthority
) -> None:
    result = verify(decision_pdf, authority.root_certificate)

    assert not result.signed
    assert not result.acceptable


def test_update_after_signing_is_detected(
    signed_pdf: bytes, authority: LocalCertificateAuthority
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    writer.root["/Lang"] = generic.pdf_string("en")
    # pyHanko leaves these two methods unannotated.
    writer.update_root()  # type: ignore[no-untyped-call]
    output = io.BytesIO()
    writer.write(output)  # type: ignore[no-untyped-call]

    result = verify(output.getvalue(), authority.root_certificate)

    assert result.intact
    assert not result.covers_whole_file
    assert not result.acceptable


def test_certificate_authority_is_created_once(tmp_path: Path) -> None:
    first = LocalCertificateAuthority(tmp_path, organisation=ORGANISATION)
    second = LocalCertificateAuthority(tmp_path, organisation=ORGANISATION)

    assert first.root_certificate == second.root_certificate


def test_key_files_are_private(tmp_path: Path) -> None:
    authority = LocalCertificateAuthority(tmp_path, organisation=ORGANISATION)
    authority.signer_credentials(SIGNER_NAME, CAPACITY)

    files = list(tmp_path.rglob("*.pem"))

    assert len(files) == 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_signer_certificate_subject_and_key_usage(authority: LocalCertificateAuthority) -> None:
    certificate = authority.signer_credentials(SIGNER_NAME, CAPACITY).certificate
    key_usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value

    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == SIGNER_NAME
    assert certificate.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == CAPACITY
    assert certificate.issuer == authority.root_certificate.subject
    assert key_usage.digital_signature
    assert key_usage.content_commitment
    assert not key_usage.key_cert_sign


def test_signer_certificate_is_reused(authority: LocalCertificateAuthority) -> None:
    first = authority.signer_credentials(SIGNER_NAME, CAPACITY)
    second = authority.signer_credentials(SIGNER_NAME, CAPACITY)

    assert first.certificate == second.certificate


def test_each_capacity_gets_its_own_certificate(authority: LocalCertificateAuthority) -> None:
    as_president = authority.signer_credentials(SIGNER_NAME, "Présidente")
    as_delegate = authority.signer_credentials(SIGNER_NAME, CAPACITY)

    assert as_president.certificate != as_delegate.certificate


def test_signer_certificate_is_renewed_near_expiry(tmp_path: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = FixedClock(start)
    authority = LocalCertificateAuthority(tmp_path, organisation=ORGANISATION, clock=clock)
    first = authority.signer_credentials(SIGNER_NAME, CAPACITY)

    clock.instant = start + SIGNER_VALIDITY - timedelta(days=10)
    renewed = authority.signer_credentials(SIGNER_NAME, CAPACITY)

    assert renewed.certificate != first.certificate
    assert renewed.certificate.not_valid_after_utc > first.certificate.not_valid_after_utc
