from __future__ import annotations

import io

import pikepdf
import pytest
from fpdf import FPDF

from demarches.urbanisme.pdf_check import REJECTION_MESSAGES, PdfRejection, check_pdf

MAX_BYTES = 2_000_000
MAX_PAGES = 5


def _check(data: bytes) -> PdfRejection | None:
    return check_pdf(data, max_bytes=MAX_BYTES, max_pages=MAX_PAGES).reason


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def _text_pdf(pages: int = 1, text: str = "Plan de situation, parcelle AB 123") -> bytes:
    document = FPDF()
    document.set_font("helvetica", size=12)
    for _ in range(pages):
        document.add_page()
        document.cell(text=text)
    return bytes(document.output())


def _javascript_action(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1);"))


def _blank_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return pdf


def test_valid_pdf_is_accepted() -> None:
    result = check_pdf(_text_pdf(pages=2), max_bytes=MAX_BYTES, max_pages=MAX_PAGES)

    assert result.accepted
    assert result.reason is None
    assert result.page_count == 2
    assert result.message == "Document accepté (2 pages)."


def test_page_limit_itself_is_accepted() -> None:
    assert _check(_text_pdf(pages=MAX_PAGES)) is None


def test_too_many_pages_is_rejected() -> None:
    result = check_pdf(_text_pdf(pages=MAX_PAGES + 1), max_bytes=MAX_BYTES, max_pages=MAX_PAGES)

    assert result.reason is PdfRejection.TOO_MANY_PAGES
    assert result.page_count == MAX_PAGES + 1
    assert "6 pages" in result.message
    assert "limite de 5 pages" in result.message


def test_pdf_without_pages_is_rejected() -> None:
    assert _check(_save(pikepdf.new())) is PdfRejection.NO_PAGES


def test_empty_file_is_rejected() -> None:
    result = check_pdf(b"", max_bytes=MAX_BYTES, max_pages=MAX_PAGES)

    assert result.reason is PdfRejection.EMPTY
    assert not result.accepted
    assert result.message == "Le fichier est vide. Déposez de nouveau le document."


def test_oversize_file_is_rejected_before_parsing() -> None:
    data = _text_pdf()

    result = check_pdf(data, max_bytes=len(data) - 1, max_pages=MAX_PAGES)

    assert result.reason is PdfRejection.TOO_LARGE
    assert result.page_count is None


def test_oversize_message_gives_the_limit_in_megabytes() -> None:
    result = check_pdf(b"%PDF-" + b"0" * 1_600_000, max_bytes=1_500_000, max_pages=MAX_PAGES)

    assert "1,5\u00a0Mo" in result.message


def test_png_named_pdf_is_rejected() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"

    assert _check(png) is PdfRejection.NOT_PDF


def test_magic_bytes_must_open_the_file() -> None:
    assert _check(b"\n" + _text_pdf()) is PdfRejection.NOT_PDF


def test_garbage_after_magic_is_unreadable() -> None:
    assert _check(b"%PDF-1.7\n" + b"\x00garbage" * 50) is PdfRejection.UNREADABLE


def test_truncated_pdf_is_rejected_as_damaged() -> None:
    data = _text_pdf()

    assert _check(data[: len(data) // 2]) is PdfRejection.DAMAGED


def test_pdf_cut_before_startxref_is_damaged() -> None:
    data = _text_pdf()

    assert _check(data[: data.rindex(b"startxref")]) is PdfRejection.DAMAGED


def test_pdf_with_user_password_is_rejected() -> None:
    data = _save(_blank_pdf(), encryption=pikepdf.Encryption(owner="o", user="secret"))

    result = check_pdf(data, max_bytes=MAX_BYTES, max_pages=MAX_PAGES)

    assert result.reason is PdfRejection.ENCRYPTED
    assert "mot de passe" in result.message


def test_pdf_with_owner_password_only_is_rejected() -> None:
    # Opens without a password, but is still encrypted with restrictions.
    data = _save(_blank_pdf(), encryption=pikepdf.Encryption(owner="o", user=""))

    assert _check(data) is PdfRejection.ENCRYPTED


def test_javascript_in_open_action_is_rejected() -> None:
    pdf = _blank_pdf()
    pdf.Root.OpenAction = _javascript_action(pdf)

    assert _check(_save(pdf)) is PdfRejection.JAVASCRIPT


def test_javascript_in_names_tree_is_rejected() -> None:
    pdf = _blank_pdf()
    action = pdf.make_indirect(_javascript_action(pdf))
    tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), action]))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=tree)

    assert _check(_save(pdf)) is PdfRejection.JAVASCRIPT


def test_javascript_in_link_annotation_is_rejected() -> None:
    pdf = _blank_pdf()
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=_javascript_action(pdf),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))

    assert _check(_save(pdf)) is PdfRejection.JAVASCRIPT


def test_javascript_inside_object_stream_is_rejected() -> None:
    pdf = _blank_pdf()
    pdf.Root.OpenAction = pdf.make_indirect(_javascript_action(pdf))
    data = _save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)

    assert b"/JavaScript" not in data  # compressed: a byte search would miss it
    assert _check(data) is PdfRejection.JAVASCRIPT


def test_launch_action_is_rejected() -> None:
    pdf = _blank_pdf()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))

    assert _check(_save(pdf)) is PdfRejection.ACTIVE_CONTENT


def test_xfa_form_is_rejected() -> None:
    pdf = _blank_pdf()
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>")
    )

    assert _check(_save(pdf)) is PdfRejection.ACTIVE_CONTENT


def test_uri_link_is_accepted() -> None:
    pdf = _blank_pdf()
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org")),
    )
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(annotation)])

    assert _check(_save(pdf)) is None


def test_attachment_is_rejected() -> None:
    pdf = _blank_pdf()
    pdf.attachments["annexe.txt"] = pikepdf.AttachedFileSpec(pdf, b"hidden content")

    result = check_pdf(_save(pdf), max_bytes=MAX_BYTES, max_pages=MAX_PAGES)

    assert result.reason is PdfRejection.EMBEDDED_FILE
    assert result.page_count == 1


def test_file_attachment_annotation_is_rejected() -> None:
    # Not listed in the names tree, so only the object walk finds it.
    pdf = _blank_pdf()
    embedded = pdf.make_stream(b"hidden content")
    embedded.Type = pikepdf.Name.EmbeddedFile
    spec = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, F=pikepdf.String("a.txt"), EF=pikepdf.Dictionary(F=embedded)
    )
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=pikepdf.Array([0, 0, 10, 10]),
        FS=spec,
    )
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(annotation)])

    assert len(pdf.attachments) == 0
    assert _check(_save(pdf)) is PdfRejection.EMBEDDED_FILE


def test_javascript_is_reported_before_attachment() -> None:
    pdf = _blank_pdf()
    pdf.attachments["annexe.txt"] = pikepdf.AttachedFileSpec(pdf, b"hidden content")
    pdf.Root.OpenAction = _javascript_action(pdf)

    assert _check(_save(pdf)) is PdfRejection.JAVASCRIPT


@pytest.mark.parametrize("reason", list(PdfRejection))
def test_every_reason_has_a_french_message(reason: PdfRejection) -> None:
    template = REJECTION_MESSAGES[reason]

    assert template.endswith(".")
    assert template[0].isupper()
