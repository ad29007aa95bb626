"""Page layout shared by the urbanism PDFs: fonts, header, footer and text blocks.

fpdf2's core fonts cover Latin-1 only, so documents embed DejaVu Sans 2.37 (a subset of it),
bundled in ``demarches/fonts/`` with its license. Another TrueType pair can replace it through
``FontFiles``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from demarches.urbanisme.document_content import DocumentContent, FieldRow, Heading

BUNDLED_FONTS = Path(__file__).parent.parent / "fonts"
FONT_FAMILY = "DocumentSans"
BODY_SIZE = 10
TITLE_SIZE = 15
HEADING_SIZE = 11
LINE_HEIGHT = 5.2


@dataclass(frozen=True)
class FontFiles:
    """Regular and bold TrueType files embedded in the documents."""

    regular: Path = BUNDLED_FONTS / "DejaVuSans.ttf"
    bold: Path = BUNDLED_FONTS / "DejaVuSans-Bold.ttf"


class DocumentPdf(FPDF):
    """A4 portrait page with the issuer on top and the reference and page number at the bottom."""

    def __init__(
        self,
        *,
        issuer_lines: tuple[str, ...],
        reference: str,
        title: str,
        subject: str,
        author: str,
        created_at: datetime,
        fonts: FontFiles,
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._issuer_lines = issuer_lines
        self._reference = reference
        self.add_font(FONT_FAMILY, "", str(fonts.regular))
        self.add_font(FONT_FAMILY, "B", str(fonts.bold))
        self.set_margins(left=20, top=18, right=20)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_title(title)
        self.set_author(author)
        self.set_subject(subject)
        self.set_creator(author)
        self.set_lang("fr-FR")
        # A fixed date, instead of the rendering time, makes a re-render byte-identical.
        self.set_creation_date(created_at)
        self.add_page()

    def header(self) -> None:
        self.set_font(FONT_FAMILY, "B", BODY_SIZE)
        for index, line in enumerate(self._issuer_lines):
            if index == 1:
                self.set_font(FONT_FAMILY, "", BODY_SIZE - 1)
            self.cell(0, LINE_HEIGHT - 0.6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT_FAMILY, "", BODY_SIZE - 2)
        self.cell(0, 5, f"Dossier {self._reference}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="R")

    def title_block(self, title: str, subtitle: str | None = None) -> None:
        self.set_font(FONT_FAMILY, "B", TITLE_SIZE)
        self.multi_cell(0, 7.5, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT_FAMILY, "", BODY_SIZE)
            self.multi_cell(
                0, LINE_HEIGHT, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.ln(5)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT_FAMILY, "B", HEADING_SIZE)
        self.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", BODY_SIZE)
        self.multi_cell(0, LINE_HEIGHT, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def field(self, label: str, value: str) -> None:
        """Write one ``label: value`` line, the label in bold, the value wrapping under itself."""
        label_width = 58
        self.set_font(FONT_FAMILY, "B", BODY_SIZE)
        self.multi_cell(label_width, LINE_HEIGHT, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FONT_FAMILY, "", BODY_SIZE)
        self.multi_cell(0, LINE_HEIGHT, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.8)

    def signature_block(self, place_and_date: str, signer_name: str, capacity: str) -> None:
        """Write the signer's name and capacity, legibly, as L212-3 CRPA requires."""
        self.ln(6)
        if self.will_page_break(4 * LINE_HEIGHT + 6):
            self.add_page()
        half_width = (self.w - self.l_margin - self.r_margin) / 2
        for text, style in ((place_and_date, ""), (capacity, "B"), (signer_name, "")):
            self.set_x(self.l_margin + half_width)
            self.set_font(FONT_FAMILY, style, BODY_SIZE)
            self.multi_cell(half_width, LINE_HEIGHT, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_x(self.l_margin + half_width)
        self.set_font(FONT_FAMILY, "", BODY_SIZE - 2)
        self.multi_cell(
            half_width,
            LINE_HEIGHT,
            "Document signé électroniquement.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def render_document(content: DocumentContent, *, fonts: FontFiles | None = None) -> bytes:
    """Lay out a document's content on A4 pages and return the PDF bytes."""
    pdf = DocumentPdf(
        issuer_lines=content.issuer_lines,
        reference=content.reference,
        title=f"{content.title} - {content.reference}",
        subject=content.subject,
        author=content.author,
        created_at=content.created_at,
        fonts=fonts or FontFiles(),
    )
    pdf.title_block(content.title, content.subtitle)
    for block in content.blocks:
        if isinstance(block, Heading):
            pdf.heading(block.text)
        elif isinstance(block, FieldRow):
            pdf.field(block.label, block.value)
        else:
            pdf.paragraph(block.text, bold=block.bold)
    if content.signature is not None:
        pdf.signature_block(
            content.signature.place_and_date,
            content.signature.signer_name,
            content.signature.capacity,
        )
    return pdf.to_bytes()
