"""Monthly periscolaire invoice per household, and its PDF.

A session is invoiced when the child attended it, or when it was booked and not cancelled
(an absence without a valid excuse is due, because the place and the meal were kept). Each
session is one line priced at the household's bracket for that activity. Amounts are integer
cents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from fpdf import FPDF
from pydantic import BaseModel, Field

from demarches.famille.activities import ActivityCatalogue
from demarches.famille.errors import InvoiceFontMissingError, InvoiceInputInvalidError
from demarches.famille.quotient import QuotientRecord, QuotientSettings, bracket_for_day
from demarches.famille.school_year import Month

# DejaVu Sans ships inside the package (licence in fonts/LICENSE-DejaVu.txt), so the invoice
# renders the same in a Lambda layer as on a machine with the fonts installed.
FONTS_DIR = Path(__file__).parent.parent / "fonts"

_HOUSEHOLD_REFERENCE = re.compile(r"^[A-Z0-9]{1,12}$")
_PREFIX = re.compile(r"^[A-Z]{2,6}$")
_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class InvoiceSettings(BaseModel):
    """Issuer, numbering and layout of the periscolaire invoices."""

    number_prefix: str = Field(default="PERI", pattern=_PREFIX.pattern)
    issuer_name: str = Field(min_length=1)
    issuer_address: list[str] = Field(default_factory=list)
    payment_due_days: int = Field(default=30, ge=0, le=90)
    font_regular: Path = Field(
        default=FONTS_DIR / "DejaVuSans.ttf",
        description="TrueType font with French accents (fpdf2 core fonts are latin-1 only).",
    )
    font_bold: Path = FONTS_DIR / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class SessionRecord:
    """Outcome of one reservation item, as the attendance register recorded it.

    ``attended`` is None until an agent takes the register. ``excused`` marks an absence
    that the service rules exempt from payment (for example illness with a certificate).
    """

    child_id: str
    day: date
    activity: str
    booked: bool
    cancelled: bool = False
    attended: bool | None = None
    excused: bool = False

    @property
    def billable(self) -> bool:
        if self.attended:
            return True
        if self.excused:
            return False
        return self.booked and not self.cancelled


@dataclass(frozen=True)
class InvoiceLine:
    child_id: str
    child_name: str
    day: date
    activity: str
    activity_label: str
    bracket: str
    amount_cents: int


@dataclass(frozen=True)
class Invoice:
    """A household's invoice for one month; lines sorted by child, date and activity."""

    number: str
    household_id: str
    payer_name: str
    month: Month
    issued_on: date
    due_on: date
    lines: tuple[InvoiceLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def child_totals_cents(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.child_id] = totals.get(line.child_id, 0) + line.amount_cents
        return totals


def invoice_number(prefix: str, month: Month, household_reference: str, revision: int = 1) -> str:
    """Build the invoice number ``PREFIX-YYYYMM-HOUSEHOLD``, with ``-Rn`` from revision 2.

    One number per household and month, so that building the invoice again gives the same
    number, and a corrected invoice gets the next revision. The number fits PayFiP's invoice
    reference (capital letters, digits and hyphens, at most 30 characters).
    """
    if not _PREFIX.match(prefix):
        raise InvoiceInputInvalidError(
            f"invalid invoice prefix {prefix!r}: expected 2 to 6 capital letters", field="prefix"
        )
    if not _HOUSEHOLD_REFERENCE.match(household_reference):
        raise InvoiceInputInvalidError(
            f"invalid household reference {household_reference!r}: expected 1 to 12 capital "
            "letters or digits",
            field="household_reference",
        )
    if revision < 1:
        raise InvoiceInputInvalidError(f"invalid revision {revision}", field="revision")
    number = f"{prefix}-{month.year:04d}{month.month:02d}-{household_reference}"
    return number if revision == 1 else f"{number}-R{revision}"


def build_invoice(
    *,
    household_id: str,
    household_reference: str,
    payer_name: str,
    month: Month,
    sessions: Iterable[SessionRecord],
    child_names: Mapping[str, str],
    quotient: QuotientRecord | None,
    quotient_settings: QuotientSettings,
    catalogue: ActivityCatalogue,
    settings: InvoiceSettings,
    issued_on: date,
    revision: int = 1,
) -> Invoice | None:
    """Build the month's invoice of a household, or return None when nothing is due.

    Each billable session is priced at the bracket of ``quotient`` when the record is valid for
    the session's school year, and at the bracket without quotient otherwise.
    """
    lines: list[InvoiceLine] = []
    for session in sessions:
        if not month.contains(session.day):
            raise InvoiceInputInvalidError(
                f"session of {session.day.isoformat()} is outside the invoiced month {month}",
                field="sessions",
            )
        if not session.billable:
            continue
        activity = catalogue.get(session.activity)
        bracket_code = bracket_for_day(quotient, session.day, quotient_settings)
        prices = quotient_settings.bracket(bracket_code).prices_cents
        if session.activity not in prices:
            raise InvoiceInputInvalidError(
                f"bracket {bracket_code} has no price for activity {session.activity}",
                field="activity",
            )
        lines.append(
            InvoiceLine(
                child_id=session.child_id,
                child_name=child_names.get(session.child_id, session.child_id),
                day=session.day,
                activity=session.activity,
                activity_label=activity.label,
                bracket=bracket_code,
                amount_cents=prices[session.activity],
            )
        )
    if not lines:
        return None

    lines.sort(
        key=lambda line: (
            line.child_name,
            line.child_id,
            line.day,
            catalogue.position(line.activity),
        )
    )
    return Invoice(
        number=invoice_number(settings.number_prefix, month, household_reference, revision),
        household_id=household_id,
        payer_name=payer_name,
        month=month,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=settings.payment_due_days),
        lines=tuple(lines),
    )


def format_euros(cents: int) -> str:
    """Format cents the French way: ``1 234,50 €`` with no-break spaces."""
    sign = "-" if cents < 0 else ""
    euros, remainder = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{remainder:02d}\u00a0€"


def format_day(day: date) -> str:
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day:02d}/{day.month:02d}/{day.year}"


def month_label(month: Month) -> str:
    return f"{_MONTH_NAMES[month.month - 1]} {month.year}"


def _load_fonts(pdf: FPDF, settings: InvoiceSettings) -> None:
    for path in (settings.font_regular, settings.font_bold):
        if not path.is_file():
            raise InvoiceFontMissingError(
                f"font file {path} not found: reinstall the package, whose demarches/fonts/ "
                "folder holds DejaVu Sans, or set font_regular and font_bold to TrueType files "
                "with French accents",
                details={"path": str(path)},
            )
    pdf.add_font("InvoiceFont", "", str(settings.font_regular))
    pdf.add_font("InvoiceFont", "B", str(settings.font_bold))


def _table_header(pdf: FPDF, columns: tuple[float, ...]) -> None:
    pdf.set_font("InvoiceFont", "B", 10)
    for column, heading in zip(columns, ("Date", "Enfant", "Activité", "Montant"), strict=True):
        pdf.cell(column, 6, heading, border="B", align="R" if heading == "Montant" else "L")
    pdf.ln()


_COLUMN_SHARES = (0.28, 0.27, 0.25, 0.20)


def _write_heading(pdf: FPDF, invoice: Invoice, settings: InvoiceSettings) -> None:
    width = pdf.epw
    pdf.set_font("InvoiceFont", "B", 12)
    pdf.cell(width, 6, settings.issuer_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("InvoiceFont", "", 10)
    for address_line in settings.issuer_address:
        pdf.cell(width, 5, address_line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font("InvoiceFont", "B", 14)
    title = f"Facture périscolaire – {month_label(invoice.month)}"
    pdf.cell(width, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("InvoiceFont", "", 10)
    details = (
        f"Facture n° {invoice.number}",
        f"Famille : {invoice.payer_name}",
        f"Émise le {invoice.issued_on.strftime('%d/%m/%Y')}",
        f"À payer avant le {invoice.due_on.strftime('%d/%m/%Y')}",
    )
    for detail in details:
        pdf.cell(width, 5, detail, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _write_lines(pdf: FPDF, invoice: Invoice, columns: tuple[float, ...]) -> None:
    _table_header(pdf, columns)
    pdf.set_font("InvoiceFont", "", 9)
    for line in invoice.lines:
        if pdf.will_page_break(5):
            # Repeat the column headings on every page of a long invoice.
            pdf.add_page()
            _table_header(pdf, columns)
            pdf.set_font("InvoiceFont", "", 9)
        pdf.cell(columns[0], 5, format_day(line.day))
        pdf.cell(columns[1], 5, line.child_name)
        pdf.cell(columns[2], 5, f"{line.activity_label} ({line.bracket})")
        pdf.cell(columns[3], 5, format_euros(line.amount_cents), align="R")
        pdf.ln()


def _write_totals(pdf: FPDF, invoice: Invoice, columns: tuple[float, ...]) -> None:
    label_width = pdf.epw - columns[3]
    pdf.ln(2)
    pdf.set_font("InvoiceFont", "", 10)
    names = {line.child_id: line.child_name for line in invoice.lines}
    for child_id, total in invoice.child_totals_cents().items():
        pdf.cell(label_width, 5, f"Sous-total {names[child_id]}", align="R")
        pdf.cell(columns[3], 5, format_euros(total), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("InvoiceFont", "B", 11)
    pdf.cell(label_width, 7, "Total à payer", align="R")
    grand_total = format_euros(invoice.total_cents)
    pdf.cell(columns[3], 7, grand_total, align="R", new_x="LMARGIN", new_y="NEXT")


def render_invoice_pdf(invoice: Invoice, settings: InvoiceSettings) -> bytes:
    """Render the invoice as an A4 PDF with an embedded TrueType font, and return its bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"Facture {invoice.number}")
    pdf.set_author(settings.issuer_name)
    _load_fonts(pdf, settings)
    pdf.add_page()
    columns = tuple(share * pdf.epw for share in _COLUMN_SHARES)

    _write_heading(pdf, invoice, settings)
    _write_lines(pdf, invoice, columns)
    _write_totals(pdf, invoice, columns)
    return bytes(pdf.output())
