from __future__ import annotations

import io

import pikepdf
import pytest
from fpdf import FPDF

from demarches.adapters.pdf_sandbox_urbanisme import SandboxedPdfChecker
from demarches.urbanisme.pdf_check import PdfRejection, check_pdf

MAX_BYTES = 5_000_000


@pytest.fixture(scope="module")
def sound_pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Plan de situation")
    return bytes(document.output())


@pytest.fixture(scope="module")
def many_objects_pdf(sound_pdf: bytes) -> bytes:
    """A small file that takes tens of megabytes to parse: 100,000 indirect objects."""
    with pikepdf.open(io.BytesIO(sound_pdf)) as pdf:
        objects = [pdf.make_indirect(pikepdf.Dictionary(N=i)) for i in range(100_000)]
        pdf.Root.Filler = pdf.make_indirect(pikepdf.Array(objects))
        output = io.BytesIO()
        pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return output.getvalue()


def test_sandbox_returns_what_check_pdf_returns(sound_pdf):
    checker = SandboxedPdfChecker(memory_bytes=1024 * 2**20, timeout_seconds=30)

    result = checker(sound_pdf, max_bytes=MAX_BYTES, max_pages=10)

    assert result == check_pdf(sound_pdf, max_bytes=MAX_BYTES, max_pages=10)
    assert result.accepted


def test_check_out_of_memory_rejects_as_too_complex(many_objects_pdf):
    checker = SandboxedPdfChecker(memory_bytes=2**20, timeout_seconds=30)

    result = checker(many_objects_pdf, max_bytes=MAX_BYTES, max_pages=10)

    assert not result.accepted
    assert result.reason is PdfRejection.TOO_COMPLEX
    assert "trop complexe" in result.message


def test_check_out_of_time_rejects_as_too_complex(sound_pdf):
    checker = SandboxedPdfChecker(memory_bytes=1024 * 2**20, timeout_seconds=0.001)

    result = checker(sound_pdf, max_bytes=MAX_BYTES, max_pages=10)

    assert result.reason is PdfRejection.TOO_COMPLEX


def test_oversize_file_is_rejected_without_a_child(sound_pdf):
    checker = SandboxedPdfChecker(memory_bytes=2**20, timeout_seconds=0.001)

    result = checker(sound_pdf + b" " * MAX_BYTES, max_bytes=MAX_BYTES, max_pages=10)

    assert result.reason is PdfRejection.TOO_LARGE
