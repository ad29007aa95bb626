from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from demarches.famille.errors import (
    QuotientAutomaticRetrievalUnsupportedError,
    QuotientConsentMissingError,
    QuotientInputInvalidError,
    QuotientPersonNotFoundError,
    QuotientServiceUnavailableError,
)
from demarches.famille.quotient import (
    BirthIdentity,
    CafQuotient,
    PaperFigures,
    QuotientLookup,
    QuotientRecord,
    QuotientSettings,
    TaxFigures,
    bracket_for_day,
    compute_quotient_caf,
    compute_quotient_rfr,
    find_bracket,
    record_paper_quotient,
    retrieve_quotient,
)
from demarches.famille.school_year import SchoolYear

YEAR = SchoolYear(2026)
TODAY = date(2026, 9, 3)
PERSON = BirthIdentity(
    nom_naissance="DUPONT",
    prenoms=("CAMILLE",),
    sexe="F",
    annee_naissance=1988,
    code_pays_lieu_naissance="99100",
    code_insee_lieu_naissance="55545",
)


def make_settings(**changes: object) -> QuotientSettings:
    values: dict[str, object] = {
        "brackets": [
            {"code": "T1", "upper_bound_euros": 450, "prices_cents": {"cantine": 120}},
            {"code": "T2", "upper_bound_euros": 700, "prices_cents": {"cantine": 290}},
            {"code": "T3", "upper_bound_euros": None, "prices_cents": {"cantine": 480}},
        ]
    }
    values.update(changes)
    return QuotientSettings.model_validate(values)


@dataclass
class StubQuotientProvider:
    answer: CafQuotient | Exception
    calls: list[BirthIdentity] = field(default_factory=list)

    def fetch_quotient(self, person: BirthIdentity) -> CafQuotient:
        self.calls.append(person)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@dataclass
class StubTaxProvider:
    answer: TaxFigures | Exception
    calls: list[tuple[str, int]] = field(default_factory=list)

    def fetch_tax_figures(self, numero_fiscal: str, income_year: int) -> TaxFigures:
        self.calls.append((numero_fiscal, income_year))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


CAF_612 = CafQuotient(source="caf", value_euros=612, year=2026, month=8)
TAX_FIGURES = TaxFigures(
    revenu_fiscal_reference_cents=3_670_500, nombre_parts=Decimal("2.5"), income_year=2025
)


def test_rfr_formula_divides_by_twelve_then_parts() -> None:
    assert compute_quotient_rfr(3_670_500, Decimal("2.5")) == 1223


def test_rfr_formula_floors_by_default() -> None:
    # 14,399.88 / 12 / 1 = 1,199.99
    assert compute_quotient_rfr(1_439_988, Decimal(1)) == 1199


def test_rfr_formula_half_up_rounds_half_upwards() -> None:
    assert compute_quotient_rfr(3_670_500, Decimal("2.5"), "half_up") == 1224


def test_rfr_formula_half_up_keeps_below_half() -> None:
    # 1,199.49 EUR a month for one part
    assert compute_quotient_rfr(1_439_388, Decimal(1), "half_up") == 1199


def test_caf_formula_adds_monthly_benefits() -> None:
    # (24,000 / 12 + 350.50) / 3 = 783.5
    assert compute_quotient_caf(2_400_000, 35_050, Decimal(3)) == 783


def test_caf_formula_half_up() -> None:
    assert compute_quotient_caf(2_400_000, 35_050, Decimal(3), "half_up") == 784


def test_quarter_parts_are_accepted() -> None:
    assert compute_quotient_rfr(1_200_000, Decimal("1.25")) == 800


@pytest.mark.parametrize("parts", [Decimal(0), Decimal("-1"), Decimal("1.3")])
def test_invalid_parts_are_rejected(parts: Decimal) -> None:
    with pytest.raises(QuotientInputInvalidError) as caught:
        compute_quotient_rfr(1_000_000, parts)
    assert caught.value.field == "nombre_parts"


def test_negative_income_is_rejected() -> None:
    with pytest.raises(QuotientInputInvalidError):
        compute_quotient_caf(-1, 0, Decimal(1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "T1"), (450, "T1"), (451, "T2"), (700, "T2"), (701, "T3"), (99_999, "T3")],
)
def test_bracket_bounds_are_inclusive(value: int, expected: str) -> None:
    assert find_bracket(value, make_settings()).code == expected


def test_no_quotient_gets_last_bracket() -> None:
    assert find_bracket(None, make_settings()).code == "T3"


def test_no_quotient_gets_configured_bracket() -> None:
    assert find_bracket(None, make_settings(bracket_without_quotient="T2")).code == "T2"


def test_brackets_must_increase() -> None:
    with pytest.raises(ValidationError, match="increase strictly"):
        make_settings(
            brackets=[
                {"code": "A", "upper_bound_euros": 700, "prices_cents": {"cantine": 1}},
                {"code": "B", "upper_bound_euros": 450, "prices_cents": {"cantine": 2}},
                {"code": "C", "upper_bound_euros": None, "prices_cents": {"cantine": 3}},
            ]
        )


def test_last_bracket_must_be_open() -> None:
    with pytest.raises(ValidationError, match="must be open"):
        make_settings(
            brackets=[{"code": "A", "upper_bound_euros": 700, "prices_cents": {"cantine": 1}}]
        )


def test_brackets_must_price_same_activities() -> None:
    with pytest.raises(ValidationError, match="prices"):
        make_settings(
            brackets=[
                {"code": "A", "upper_bound_euros": 700, "prices_cents": {"cantine": 1}},
                {"code": "B", "upper_bound_euros": None, "prices_cents": {"garderie": 2}},
            ]
        )


def test_negative_price_is_rejected() -> None:
    with pytest.raises(ValidationError, match="negative price"):
        make_settings(
            brackets=[{"code": "A", "upper_bound_euros": None, "prices_cents": {"cantine": -1}}]
        )


def test_record_of_other_school_year_falls_back() -> None:
    record = QuotientRecord(300, "T1", "caf", date(2025, 9, 2), SchoolYear(2025))
    assert bracket_for_day(record, date(2026, 9, 10), make_settings()) == "T3"


def test_record_of_same_school_year_applies() -> None:
    record = QuotientRecord(300, "T1", "caf", date(2026, 9, 2), YEAR)
    assert bracket_for_day(record, date(2027, 6, 10), make_settings()) == "T1"


def test_retrieval_needs_consent() -> None:
    with pytest.raises(QuotientConsentMissingError):
        retrieve_quotient(
            QuotientLookup(allocataire=PERSON),
            consent_given=False,
            school_year=YEAR,
            today=TODAY,
            settings=make_settings(),
            quotient_provider=StubQuotientProvider(CAF_612),
            tax_provider=StubTaxProvider(TAX_FIGURES),
        )


def test_retrieval_takes_caf_figure_as_returned() -> None:
    record = retrieve_quotient(
        QuotientLookup(allocataire=PERSON),
        consent_given=True,
        school_year=YEAR,
        today=TODAY,
        settings=make_settings(),
        quotient_provider=StubQuotientProvider(CAF_612),
        tax_provider=StubTaxProvider(TAX_FIGURES),
    )
    assert record == QuotientRecord(612, "T2", "caf", TODAY, YEAR)


def test_retrieval_keeps_msa_as_source() -> None:
    msa = CafQuotient(source="msa", value_euros=438, year=2026, month=8)
    record = retrieve_quotient(
        QuotientLookup(allocataire=PERSON),
        consent_given=True,
        school_year=YEAR,
        today=TODAY,
        settings=make_settings(),
        quotient_provider=StubQuotientProvider(msa),
        tax_provider=StubTaxProvider(TAX_FIGURES),
    )
    assert record.source == "msa"
    assert record.bracket == "T1"


def test_retrieval_falls_back_to_dgfip() -> None:
    tax = StubTaxProvider(TAX_FIGURES)
    record = retrieve_quotient(
        QuotientLookup(allocataire=PERSON, numero_fiscal="1234567890123"),
        consent_given=True,
        school_year=YEAR,
        today=TODAY,
        settings=make_settings(),
        quotient_provider=StubQuotientProvider(QuotientPersonNotFoundError("none")),
        tax_provider=tax,
    )
    assert record == QuotientRecord(1223, "T3", "dgfip", TODAY, YEAR)
    assert tax.calls == [("1234567890123", 2025)]


def test_retrieval_without_fallback_reraises_not_found() -> None:
    with pytest.raises(QuotientPersonNotFoundError):
        retrieve_quotient(
            QuotientLookup(allocataire=PERSON, numero_fiscal="1234567890123"),
            consent_given=True,
            school_year=YEAR,
            today=TODAY,
            settings=make_settings(fallback_to_rfr=False),
            quotient_provider=StubQuotientProvider(QuotientPersonNotFoundError("none")),
            tax_provider=StubTaxProvider(TAX_FIGURES),
        )


def test_retrieval_does_not_fall_back_on_outage() -> None:
    tax = StubTaxProvider(TAX_FIGURES)
    with pytest.raises(QuotientServiceUnavailableError):
        retrieve_quotient(
            QuotientLookup(allocataire=PERSON, numero_fiscal="1234567890123"),
            consent_given=True,
            school_year=YEAR,
            today=TODAY,
            settings=make_settings(),
            quotient_provider=StubQuotientProvider(QuotientServiceUnavailableError("down")),
            tax_provider=tax,
        )
    assert tax.calls == []


def test_rfr_formula_asks_dgfip_only() -> None:
    caf = StubQuotientProvider(CAF_612)
    record = retrieve_quotient(
        QuotientLookup(allocataire=PERSON, numero_fiscal="1234567890123"),
        consent_given=True,
        school_year=YEAR,
        today=TODAY,
        settings=make_settings(automatic_formula="rfr"),
        quotient_provider=caf,
        tax_provider=StubTaxProvider(TAX_FIGURES),
    )
    assert record.source == "dgfip"
    assert caf.calls == []


def test_rfr_formula_needs_numero_fiscal() -> None:
    with pytest.raises(QuotientInputInvalidError) as caught:
        retrieve_quotient(
            QuotientLookup(allocataire=PERSON),
            consent_given=True,
            school_year=YEAR,
            today=TODAY,
            settings=make_settings(automatic_formula="rfr"),
            quotient_provider=StubQuotientProvider(CAF_612),
            tax_provider=StubTaxProvider(TAX_FIGURES),
        )
    assert caught.value.field == "numero_fiscal"


def test_paper_only_setting_refuses_retrieval() -> None:
    with pytest.raises(QuotientAutomaticRetrievalUnsupportedError):
        retrieve_quotient(
            QuotientLookup(allocataire=PERSON),
            consent_given=True,
            school_year=YEAR,
            today=TODAY,
            settings=make_settings(automatic_formula="none"),
            quotient_provider=StubQuotientProvider(CAF_612),
            tax_provider=StubTaxProvider(TAX_FIGURES),
        )


def test_income_year_lag_picks_tax_year() -> None:
    tax = StubTaxProvider(TAX_FIGURES)
    retrieve_quotient(
        QuotientLookup(numero_fiscal="1234567890123"),
        consent_given=True,
        school_year=YEAR,
        today=TODAY,
        settings=make_settings(automatic_formula="rfr", income_year_lag=2),
        quotient_provider=StubQuotientProvider(CAF_612),
        tax_provider=tax,
    )
    assert tax.calls == [("1234567890123", 2024)]


def test_paper_attestation_value_is_recorded() -> None:
    record = record_paper_quotient(
        settings=make_settings(), school_year=YEAR, obtained_on=TODAY, quotient_euros=451
    )
    assert record == QuotientRecord(451, "T2", "paper", TODAY, YEAR)


def test_paper_figures_use_rfr_formula() -> None:
    record = record_paper_quotient(
        settings=make_settings(),
        school_year=YEAR,
        obtained_on=TODAY,
        figures=PaperFigures(annual_income_cents=1_080_000, nombre_parts=Decimal(2)),
    )
    assert record.value_euros == 450
    assert record.bracket == "T1"


def test_paper_figures_use_caf_formula() -> None:
    record = record_paper_quotient(
        settings=make_settings(paper_formula="caf"),
        school_year=YEAR,
        obtained_on=TODAY,
        figures=PaperFigures(
            annual_income_cents=2_400_000,
            nombre_parts=Decimal(3),
            monthly_benefits_cents=35_050,
        ),
    )
    assert record.value_euros == 783


def test_paper_rfr_rejects_benefits() -> None:
    with pytest.raises(QuotientInputInvalidError) as caught:
        record_paper_quotient(
            settings=make_settings(),
            school_year=YEAR,
            obtained_on=TODAY,
            figures=PaperFigures(1_000_000, Decimal(1), monthly_benefits_cents=100),
        )
    assert caught.value.field == "monthly_benefits_cents"


def test_paper_needs_exactly_one_input() -> None:
    with pytest.raises(QuotientInputInvalidError):
        record_paper_quotient(settings=make_settings(), school_year=YEAR, obtained_on=TODAY)


def test_record_keeps_no_income() -> None:
    record = record_paper_quotient(
        settings=make_settings(),
        school_year=YEAR,
        obtained_on=TODAY,
        figures=PaperFigures(annual_income_cents=1_080_000, nombre_parts=Decimal(2)),
    )
    assert set(vars(record)) == {"value_euros", "bracket", "source", "obtained_on", "school_year"}
