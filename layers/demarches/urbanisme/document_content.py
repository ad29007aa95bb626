"""Content of a generated document, as plain data, before it is laid out as a PDF.

Builders in ``documents`` return a DocumentContent and ``pdf_layout.render_document`` turns it
into PDF bytes, so tests can read the text of a document without parsing a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class FieldRow:
    """A ``label: value`` line; the value may span several lines."""

    label: str
    value: str


Block = Heading | Paragraph | FieldRow


@dataclass(frozen=True)
class SignatureLine:
    """Place and date, capacity and name of the signer, printed legibly (L212-3 CRPA)."""

    place_and_date: str
    capacity: str
    signer_name: str


@dataclass(frozen=True)
class DocumentContent:
    """Everything a document prints, in reading order."""

    title: str
    subtitle: str | None
    issuer_lines: tuple[str, ...]
    """Issuing body and its address, printed at the top of every page."""
    reference: str
    """Registration number, printed at the bottom of every page."""
    subject: str
    author: str
    created_at: datetime
    """Aware instant written as the PDF creation date."""
    blocks: tuple[Block, ...]
    signature: SignatureLine | None = None

    def plain_text(self) -> str:
        """Return the text of the document, one block per line, for search and tests."""
        lines = [self.title]
        if self.subtitle:
            lines.append(self.subtitle)
        for block in self.blocks:
            if isinstance(block, FieldRow):
                lines.append(f"{block.label} : {block.value}")
            else:
                lines.append(block.text)
        if self.signature is not None:
            lines += [
                self.signature.place_and_date,
                self.signature.capacity,
                self.signature.signer_name,
            ]
        return "\n".join(lines)
