from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pikepdf
import pytest

from demarches.famille import invoicing
from demarches.famille.activities import ActivityCatalogue
from demarches.famille.errors import (
    ActivityUnknownError,
    InvoiceFontMissingError,
    InvoiceInputInvalidError,
)
from demarches.famille.invoicing import (
    Invoice,
    SessionRecord,
    build_invoice,
    format_euros,
    invoice_number,
    render_invoice_pdf,
)
from demarches.famille.payfip import PaymentRequest, validate_payment_request
from demarches.famille.quotient import QuotientRecord
from demarches.famille.school_year import Month, SchoolYear
from demarches.famille.settings import FamilleSettings

OCTOBER = Month(2026, 10)
NAMES = {"c1": "Léo Morel", "c2": "Julie Morel"}
T2_RECORD = QuotientRecord(612, "T2", "caf", date(2026, 9, 3), SchoolYear(2026))


def booked(
    child: str,
    day: int,
    activity: str,
    *,
    cancelled: bool = False,
    attended: bool | None = None,
    excused: bool = False,
) -> SessionRecord:
    return SessionRecord(
        child,
        date(2026, 10, day),
        activity,
        booked=True,
        cancelled=cancelled,
        attended=attended,
        excused=excused,
    )


def build(
    settings: FamilleSettings,
    catalogue: ActivityCatalogue,
    sessions: list[SessionRecord],
    quotient: QuotientRecord | None = T2_RECORD,
) -> Invoice | None:
    return build_invoice(
        household_id="h-42",
        household_reference="FAM042",
        payer_name="Camille Dupont",
        month=OCTOBER,
        sessions=sessions,
        child_names=NAMES,
        quotient=quotient,
        quotient_settings=settings.quotient,
        catalogue=catalogue,
        settings=settings.invoice,
        issued_on=date(2026, 11, 3),
    )


def test_attended_session_is_billable() -> None:
    assert SessionRecord("c1", date(2026, 10, 1), "cantine", booked=False, attended=True).billable


def test_booked_session_without_register_is_billable() -> None:
    assert booked("c1", 1, "cantine").billable


def test_unexcused_no_show_is_billable() -> None:
    assert booked("c1", 1, "cantine", attended=False).billable


def test_cancelled_session_is_not_billable() -> None:
    assert not booked("c1", 1, "cantine", cancelled=True).billable


def test_excused_absence_is_not_billable() -> None:
    assert not booked("c1", 1, "cantine", attended=False, excused=True).billable


def test_attendance_beats_cancellation() -> None:
    assert booked("c1", 1, "cantine", cancelled=True, attended=True).billable


def test_invoice_prices_lines_at_household_bracket(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    invoice = build(
        settings,
        catalogue,
        [
            booked("c2", 1, "cantine"),
            booked("c1", 5, "garderie_soir"),
            booked("c1", 5, "cantine"),
            booked("c1", 1, "garderie_matin"),
            booked("c1", 6, "cantine", cancelled=True),
        ],
    )
    assert invoice is not None
    assert [(line.child_id, line.day.day, line.activity) for line in invoice.lines] == [
        ("c2", 1, "cantine"),
        ("c1", 1, "garderie_matin"),
        ("c1", 5, "cantine"),
        ("c1", 5, "garderie_soir"),
    ]
    assert [line.amount_cents for line in invoice.lines] == [290, 130, 290, 160]
    assert invoice.total_cents == 870
    assert invoice.child_totals_cents() == {"c2": 290, "c1": 580}


def test_invoice_number_and_due_date(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    invoice = build(settings, catalogue, [booked("c1", 1, "cantine")])
    assert invoice is not None
    assert invoice.number == "PERI-202610-FAM042"
    assert invoice.due_on == date(2026, 12, 3)


def test_household_without_quotient_pays_top_bracket(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    invoice = build(settings, catalogue, [booked("c1", 1, "cantine")], quotient=None)
    assert invoice is not None
    assert invoice.lines[0].bracket == "T4"
    assert invoice.total_cents == 480


def test_last_year_quotient_does_not_apply(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    old = QuotientRecord(300, "T1", "caf", date(2025, 9, 2), SchoolYear(2025))
    invoice = build(settings, catalogue, [booked("c1", 1, "cantine")], quotient=old)
    assert invoice is not None
    assert invoice.lines[0].bracket == "T4"


def test_nothing_due_gives_no_invoice(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    assert build(settings, catalogue, [booked("c1", 1, "cantine", cancelled=True)]) is None


def test_session_outside_month_is_rejected(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    stray = SessionRecord("c1", date(2026, 11, 2), "cantine", booked=True)
    with pytest.raises(InvoiceInputInvalidError, match="outside the invoiced month"):
        build(settings, catalogue, [stray])


def test_unknown_activity_is_rejected(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    with pytest.raises(ActivityUnknownError):
        build(settings, catalogue, [booked("c1", 1, "piscine")])


def test_invoice_number_revision_suffix() -> None:
    assert invoice_number("PERI", OCTOBER, "FAM042", revision=2) == "PERI-202610-FAM042-R2"


@pytest.mark.parametrize(("prefix", "reference"), [("peri", "FAM042"), ("PERI", "fam-42")])
def test_invoice_number_rejects_invalid_parts(prefix: str, reference: str) -> None:
    with pytest.raises(InvoiceInputInvalidError):
        invoice_number(prefix, OCTOBER, reference)


def test_longest_invoice_number_fits_payfip() -> None:
    number = invoice_number("ABCDEF", Month(2026, 12), "ABCDEFGHIJKL", revision=99)
    validate_payment_request(PaymentRequest(number, 100, "a@b.fr", "http://127.0.0.1/r"))
    assert len(number) <= 30


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0,00\u00a0€"),
        (5, "0,05\u00a0€"),
        (123456, "1\u00a0234,56\u00a0€"),
        (-50, "-0,50\u00a0€"),
    ],
)
def test_euros_are_formatted_the_french_way(cents: int, text: str) -> None:
    assert format_euros(cents) == text


def sample_invoice(settings: FamilleSettings, catalogue: ActivityCatalogue) -> Invoice:
    sessions = [
        booked(child, day, activity)
        for child in ("c1", "c2")
        for day in (1, 2, 5, 6, 8, 9, 12, 13, 15, 16)
        for activity in catalogue.codes
    ]
    invoice = build(settings, catalogue, sessions)
    assert invoice is not None
    return invoice


def test_pdf_is_a_valid_pdf_with_embedded_dejavu(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    data = render_invoice_pdf(sample_invoice(settings, catalogue), settings.invoice)
    assert data.startswith(b"%PDF-")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        fonts = pdf.pages[0].Resources.Font
        base_fonts = {str(fonts[name].BaseFont) for name in fonts.keys()}  # noqa: SIM118 - pikepdf Dictionary
        assert any("DejaVuSans" in name for name in base_fonts)
        assert str(pdf.docinfo["/Title"]) == "Facture PERI-202610-FAM042"


def test_pdf_maps_accented_glyphs_to_unicode(
    settings: FamilleSettings, catalogue: ActivityCatalogue
) -> None:
    data = render_invoice_pdf(sample_invoice(settings, catalogue), settings.invoice)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = pdf.pages[0].Resources.Font
        cmaps = b"".join(
            fonts[name].ToUnicode.read_bytes()
            for name in fonts.keys()  # noqa: SIM118 - pikepdf Dictionary
            if "/ToUnicode" in fonts[name]
        )
    # é (U+00E9) in "périscolaire" and "Léo", É (U+00C9) in "Émise", € (U+20AC) in amounts.
    assert re.search(rb"<00[Ee]9>", cmaps)
    assert re.search(rb"<00[Cc]9>", cmaps)
    assert re.search(rb"<20[Aa][Cc]>", cmaps)


def test_missing_font_is_reported(settings: FamilleSettings, catalogue: ActivityCatalogue) -> None:
    broken = settings.invoice.model_copy(update={"font_regular": Path("/nonexistent/font.ttf")})
    with pytest.raises(InvoiceFontMissingError, match=re.escape("/nonexistent/font.ttf")):
        render_invoice_pdf(sample_invoice(settings, catalogue), broken)


def test_default_fonts_ship_with_package(settings: FamilleSettings) -> None:
    package = Path(invoicing.__file__).parent.parent

    assert settings.invoice.font_regular == package / "fonts" / "DejaVuSans.ttf"
    assert settings.invoice.font_bold == package / "fonts" / "DejaVuSans-Bold.ttf"
    assert settings.invoice.font_regular.is_file()
    assert settings.invoice.font_bold.is_file()
    assert (package / "fonts" / "LICENSE-DejaVu.txt").is_file()
