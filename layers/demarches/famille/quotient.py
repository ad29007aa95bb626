"""Quotient familial (QF): formulas, price brackets and the record kept for pricing.

The QF decides the price bracket of every periscolaire session. Three figures can be used, and
which one applies is configuration (``QuotientSettings``):

- the QF that the CAF or the MSA computed, as API Particulier returns it;
- ``rfr``: revenu fiscal de référence / 12 / nombre de parts, from DGFiP's API Impôt
  particulier or from the tax notice that the family uploads;
- ``caf``: (annual taxable income / 12 + monthly benefits) / nombre de parts, the CAF's own
  formula, entered by an agent from paper documents.

Only a ``QuotientRecord`` is kept (value, bracket, source, date, school year). The incomes and
the CAF record are never stored, because pricing needs the QF alone and the rest is personal data
that the service has no reason to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Literal, Protocol

from pydantic import BaseModel, Field, model_validator

from demarches.famille.errors import (
    QuotientAutomaticRetrievalUnsupportedError,
    QuotientConsentMissingError,
    QuotientInputInvalidError,
    QuotientPersonNotFoundError,
)
from demarches.famille.school_year import SchoolYear

QuotientSource = Literal["caf", "msa", "dgfip", "paper"]
RoundingRule = Literal["floor", "half_up"]

_ROUNDING_MODES: dict[RoundingRule, str] = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP}
_QUARTER = Decimal("0.25")


class PriceBracket(BaseModel):
    """One price bracket: QF up to ``upper_bound_euros`` (inclusive), and its prices."""

    code: str = Field(min_length=1, max_length=20)
    upper_bound_euros: int | None = Field(
        default=None, ge=0, description="Inclusive upper bound of QF in euros; None if open."
    )
    prices_cents: dict[str, int] = Field(
        description="Price of one session in cents, by activity code."
    )

    @model_validator(mode="after")
    def _check_prices(self) -> PriceBracket:
        negative = sorted(code for code, cents in self.prices_cents.items() if cents < 0)
        if negative:
            raise ValueError(f"bracket {self.code}: negative price for {', '.join(negative)}")
        return self


class QuotientSettings(BaseModel):
    """QF source and formulas, rounding rule and price brackets."""

    automatic_formula: Literal["caf_msa", "rfr", "none"] = Field(
        default="caf_msa",
        description=(
            "Figure retrieved with the family's consent: caf_msa takes the QF returned by API "
            "Particulier, rfr computes RFR / 12 / parts from API Impôt particulier, none keeps "
            "the paper path only."
        ),
    )
    fallback_to_rfr: bool = Field(
        default=True,
        description="With caf_msa, compute RFR / 12 / parts when the CAF and MSA find no record.",
    )
    paper_formula: Literal["rfr", "caf"] = Field(
        default="rfr", description="Formula applied to the figures an agent enters from paper."
    )
    rounding: RoundingRule = Field(
        default="floor",
        description="Rounding of the QF to whole euros: floor (truncate) or half_up.",
    )
    income_year_lag: int = Field(
        default=1,
        ge=1,
        le=2,
        description=(
            "Years between the income year asked of the DGFiP and the school year's first "
            "year: 1 asks the 2025 incomes (avis 2026) for the school year 2026-2027."
        ),
    )
    brackets: list[PriceBracket] = Field(min_length=1)
    bracket_without_quotient: str | None = Field(
        default=None,
        description="Bracket code for a household without a valid QF; default: the last one.",
    )

    @model_validator(mode="after")
    def _check_brackets(self) -> QuotientSettings:
        codes = [bracket.code for bracket in self.brackets]
        if len(set(codes)) != len(codes):
            raise ValueError(f"bracket codes must be unique: {codes}")
        bounds = [bracket.upper_bound_euros for bracket in self.brackets]
        if bounds[-1] is not None:
            raise ValueError("the last bracket must be open: upper_bound_euros = null")
        closed = [bound for bound in bounds[:-1] if bound is not None]
        if len(closed) != len(bounds) - 1:
            raise ValueError("only the last bracket may have no upper bound")
        if any(low >= high for low, high in pairwise(closed)):
            raise ValueError(f"bracket upper bounds must increase strictly: {closed}")
        activities = set(self.brackets[0].prices_cents)
        for bracket in self.brackets[1:]:
            if set(bracket.prices_cents) != activities:
                raise ValueError(
                    f"bracket {bracket.code} prices {sorted(bracket.prices_cents)}, "
                    f"but bracket {codes[0]} prices {sorted(activities)}"
                )
        if self.bracket_without_quotient is not None and self.bracket_without_quotient not in codes:
            raise ValueError(f"bracket_without_quotient {self.bracket_without_quotient!r} unknown")
        return self

    def bracket(self, code: str) -> PriceBracket:
        for bracket in self.brackets:
            if bracket.code == code:
                return bracket
        raise KeyError(code)


@dataclass(frozen=True)
class QuotientRecord:
    """Household QF as kept for pricing: value, bracket, source, date and school year only."""

    value_euros: int
    bracket: str
    source: QuotientSource
    obtained_on: date
    school_year: SchoolYear

    def is_valid_for(self, day: date) -> bool:
        return self.school_year.contains(day)


def _round_to_euros(amount: Decimal, rounding: RoundingRule) -> int:
    return int(amount.quantize(Decimal(1), rounding=_ROUNDING_MODES[rounding]))


def _check_parts(nombre_parts: Decimal) -> None:
    if nombre_parts <= 0 or nombre_parts % _QUARTER != 0:
        raise QuotientInputInvalidError(
            f"invalid nombre de parts {nombre_parts}: expected a positive multiple of 0.25",
            field="nombre_parts",
        )


def _check_amount(cents: int, field: str) -> None:
    if cents < 0:
        raise QuotientInputInvalidError(
            f"invalid {field} {cents}: an amount in cents must not be negative", field=field
        )


def compute_quotient_rfr(
    revenu_fiscal_reference_cents: int, nombre_parts: Decimal, rounding: RoundingRule = "floor"
) -> int:
    """Compute QF = revenu fiscal de référence / 12 / nombre de parts, in whole euros.

    The division is exact (decimal) and only the result is rounded, by ``rounding``. With the
    default ``floor``, 36,705 EUR over 2.5 parts gives 1,223.5 and so QF 1,223: a family exactly
    on a bracket bound is never moved to the higher bracket by a fraction of a euro.
    """
    _check_amount(revenu_fiscal_reference_cents, "revenu_fiscal_reference_cents")
    _check_parts(nombre_parts)
    monthly = Decimal(revenu_fiscal_reference_cents) / 100 / 12
    return _round_to_euros(monthly / nombre_parts, rounding)


def compute_quotient_caf(
    annual_taxable_income_cents: int,
    monthly_benefits_cents: int,
    nombre_parts: Decimal,
    rounding: RoundingRule = "floor",
) -> int:
    """Compute QF = (annual taxable income / 12 + monthly benefits) / nombre de parts, in euros.

    This is the CAF's formula, with the CAF's parts (not the fiscal ones). Rounding as in
    ``compute_quotient_rfr``.
    """
    _check_amount(annual_taxable_income_cents, "annual_taxable_income_cents")
    _check_amount(monthly_benefits_cents, "monthly_benefits_cents")
    _check_parts(nombre_parts)
    monthly = (
        Decimal(annual_taxable_income_cents) / 100 / 12 + Decimal(monthly_benefits_cents) / 100
    )
    return _round_to_euros(monthly / nombre_parts, rounding)


def find_bracket(value_euros: int | None, settings: QuotientSettings) -> PriceBracket:
    """Return the first bracket whose inclusive upper bound is at least the QF.

    A household without a QF gets ``bracket_without_quotient``, or the last (highest) bracket.
    """
    if value_euros is None:
        if settings.bracket_without_quotient is not None:
            return settings.bracket(settings.bracket_without_quotient)
        return settings.brackets[-1]
    if value_euros < 0:
        raise QuotientInputInvalidError(
            f"invalid quotient familial {value_euros}: must not be negative", field="value_euros"
        )
    for bracket in settings.brackets:
        if bracket.upper_bound_euros is None or value_euros <= bracket.upper_bound_euros:
            return bracket
    raise AssertionError("QuotientSettings guarantees an open last bracket")


def bracket_for_day(record: QuotientRecord | None, day: date, settings: QuotientSettings) -> str:
    """Return the bracket code that prices a session on ``day``.

    A record of another school year does not count, so the household falls back to the bracket
    without quotient until a QF for the current school year is recorded.
    """
    if record is not None and record.is_valid_for(day):
        return record.bracket
    return find_bracket(None, settings).code


def make_record(
    value_euros: int,
    source: QuotientSource,
    obtained_on: date,
    school_year: SchoolYear,
    settings: QuotientSettings,
) -> QuotientRecord:
    bracket = find_bracket(value_euros, settings)
    return QuotientRecord(
        value_euros=value_euros,
        bracket=bracket.code,
        source=source,
        obtained_on=obtained_on,
        school_year=school_year,
    )


# Ports to the outside services and the figures they return.


@dataclass(frozen=True)
class BirthIdentity:
    """Identity pivot of an allocataire, as the CAF and the MSA match it.

    ``code_insee_lieu_naissance`` is required for a person born in France (``code_pays`` 99100)
    and absent otherwise. The birth day and month may be unknown for people born abroad.
    """

    nom_naissance: str
    prenoms: tuple[str, ...]
    sexe: Literal["F", "M"]
    annee_naissance: int
    code_pays_lieu_naissance: str
    mois_naissance: int | None = None
    jour_naissance: int | None = None
    code_insee_lieu_naissance: str | None = None
    nom_usage: str | None = None


@dataclass(frozen=True)
class CafQuotient:
    """The QF computed by the CAF or the MSA for one reference month."""

    source: Literal["caf", "msa"]
    value_euros: int
    year: int
    month: int


@dataclass(frozen=True)
class TaxFigures:
    """Revenu fiscal de référence and nombre de parts of one tax household for one income year."""

    revenu_fiscal_reference_cents: int
    nombre_parts: Decimal
    income_year: int


class QuotientProvider(Protocol):
    """CAF/MSA quotient familial lookup (API Particulier, ``composition-familiale``)."""

    def fetch_quotient(self, person: BirthIdentity) -> CafQuotient:
        """Return the person's current CAF or MSA quotient familial.

        Raises QuotientPersonNotFoundError when neither the CAF nor the MSA has a record of
        the person, QuotientServiceUnavailableError when the service fails or times out after
        the retries, and QuotientResponseInvalidError when the body has an unexpected shape.
        """
        ...


class TaxDataProvider(Protocol):
    """DGFiP tax figures lookup (API Impôt particulier, situation IR)."""

    def fetch_tax_figures(self, numero_fiscal: str, income_year: int) -> TaxFigures:
        """Return the RFR and parts of the taxpayer for the incomes of ``income_year``.

        Incomes of year N appear on the tax notice (avis) of year N+1. Raises the same errors
        as ``QuotientProvider.fetch_quotient``.
        """
        ...


@dataclass(frozen=True)
class QuotientLookup:
    """Identifiers the family gave for the automatic retrieval; either may be absent."""

    allocataire: BirthIdentity | None = None
    numero_fiscal: str | None = None


def retrieve_quotient(
    lookup: QuotientLookup,
    *,
    consent_given: bool,
    school_year: SchoolYear,
    today: date,
    settings: QuotientSettings,
    quotient_provider: QuotientProvider,
    tax_provider: TaxDataProvider,
) -> QuotientRecord:
    """Retrieve the household's QF from the CAF/MSA or the DGFiP, and price it.

    The exchange between administrations spares the family the tax notice or CAF attestation
    (article L114-8 of the Code des relations entre le public et l'administration). The service
    runs it only after the family consented at registration. Without consent, or when no
    service returns the figures the formula needs, an agent records the QF from paper
    documents with ``record_paper_quotient``.
    """
    if not consent_given:
        raise QuotientConsentMissingError(
            "the household has not consented to the retrieval of its quotient familial; "
            "record the consent or use the paper path",
            field="consents",
        )
    if settings.automatic_formula == "none":
        raise QuotientAutomaticRetrievalUnsupportedError(
            "automatic retrieval of the quotient familial is switched off: use the paper path"
        )

    if settings.automatic_formula == "caf_msa":
        if lookup.allocataire is not None:
            try:
                caf = quotient_provider.fetch_quotient(lookup.allocataire)
            except QuotientPersonNotFoundError:
                if not (settings.fallback_to_rfr and lookup.numero_fiscal):
                    raise
            else:
                return make_record(caf.value_euros, caf.source, today, school_year, settings)
        elif not settings.fallback_to_rfr:
            raise QuotientInputInvalidError(
                "the identity of the allocataire is required", field="allocataire"
            )

    if not lookup.numero_fiscal:
        raise QuotientInputInvalidError("the numéro fiscal is required", field="numero_fiscal")
    income_year = school_year.start_year - settings.income_year_lag
    figures = tax_provider.fetch_tax_figures(lookup.numero_fiscal, income_year)
    value = compute_quotient_rfr(
        figures.revenu_fiscal_reference_cents, figures.nombre_parts, settings.rounding
    )
    return make_record(value, "dgfip", today, school_year, settings)


@dataclass(frozen=True)
class PaperFigures:
    """Figures an agent reads from the documents the family uploaded.

    With the ``rfr`` formula, ``annual_income_cents`` is the revenu fiscal de référence and
    ``monthly_benefits_cents`` must be 0. With ``caf``, it is the annual taxable income.
    """

    annual_income_cents: int
    nombre_parts: Decimal
    monthly_benefits_cents: int = 0


def record_paper_quotient(
    *,
    settings: QuotientSettings,
    school_year: SchoolYear,
    obtained_on: date,
    quotient_euros: int | None = None,
    figures: PaperFigures | None = None,
) -> QuotientRecord:
    """Record a QF entered by an agent from paper: a CAF/MSA attestation or the tax notice.

    Exactly one of ``quotient_euros`` (the QF printed on a CAF or MSA attestation) and
    ``figures`` (fed to ``settings.paper_formula``) must be given.
    """
    if (quotient_euros is None) == (figures is None):
        raise QuotientInputInvalidError(
            "give either the quotient familial of an attestation or the figures of the notice"
        )
    if quotient_euros is not None:
        if quotient_euros < 0:
            raise QuotientInputInvalidError(
                f"invalid quotient familial {quotient_euros}: must not be negative",
                field="quotient_euros",
            )
        return make_record(quotient_euros, "paper", obtained_on, school_year, settings)

    assert figures is not None
    if settings.paper_formula == "rfr":
        if figures.monthly_benefits_cents != 0:
            raise QuotientInputInvalidError(
                "the rfr formula takes no monthly benefits: enter 0 or configure the caf formula",
                field="monthly_benefits_cents",
            )
        value = compute_quotient_rfr(
            figures.annual_income_cents, figures.nombre_parts, settings.rounding
        )
    else:
        value = compute_quotient_caf(
            figures.annual_income_cents,
            figures.monthly_benefits_cents,
            figures.nombre_parts,
            settings.rounding,
        )
    return make_record(value, "paper", obtained_on, school_year, settings)
