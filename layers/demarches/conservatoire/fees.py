"""Annual fees of the conservatoire and the atelier d'art, quoted before an agent confirms.

The fee of a course depends on its course type, on the household's quotient_familial bracket
and on residency: a household whose commune (INSEE code) belongs to the agglomeration pays the
resident rate. Reductions, such as for a second child or a second course, are configuration.
Amounts are integer cents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from demarches.territory import Territory


class ReductionKind(StrEnum):
    # The n-th child of the household, children ranked by the fee of their dearest course.
    NTH_CHILD = "nth_child"
    # The n-th course of the same person, courses ranked by fee.
    NTH_COURSE_OF_PERSON = "nth_course_of_person"


@dataclass(frozen=True)
class QuotientBracket:
    """Bracket of the quotient_familial, in euros per month, upper bound included."""

    code: str
    max_quotient: int | None  # None for the last, open bracket


@dataclass(frozen=True)
class CourseTypeFees:
    """Annual fee of one course type, in cents, by bracket code, for residents and others."""

    course_type: str
    label: str
    resident_cents: Mapping[str, int]
    non_resident_cents: Mapping[str, int]


@dataclass(frozen=True)
class Reduction:
    """Percentage off the fee of the lines that rank ``from_rank`` or later.

    ``course_types`` limits both the courses that count in the ranking and the lines reduced;
    None means every course type.
    """

    code: str
    label: str
    kind: ReductionKind
    from_rank: int
    percent: int
    course_types: frozenset[str] | None = None

    def covers(self, course_type: str) -> bool:
        return self.course_types is None or course_type in self.course_types


@dataclass(frozen=True)
class FeeSchedule:
    """Fees of one school year, as voted by the agglomeration's council.

    ``default_bracket`` applies when the household has no known quotient_familial, which is
    usually the highest bracket. When ``cumulative_reductions`` is false, a line gets only its
    largest reduction; when true, each reduction applies in turn to what the previous ones left.
    """

    school_year: str
    territory: str
    brackets: tuple[QuotientBracket, ...]
    default_bracket: str
    course_types: Mapping[str, CourseTypeFees]
    reductions: tuple[Reduction, ...]
    cumulative_reductions: bool = False

    def bracket_for(self, quotient_familial: int | None) -> QuotientBracket:
        if quotient_familial is None:
            return next(b for b in self.brackets if b.code == self.default_bracket)
        for bracket in self.brackets:
            if bracket.max_quotient is None or quotient_familial <= bracket.max_quotient:
                return bracket
        raise ValueError("the fee schedule's last bracket must have no upper bound")

    def base_fee(self, course_type: str, bracket: str, *, resident: bool) -> int:
        fees = self.course_types.get(course_type)
        if fees is None:
            raise LookupError(f"course type {course_type!r} has no fee in {self.school_year}")
        table = fees.resident_cents if resident else fees.non_resident_cents
        return table[bracket]


@dataclass(frozen=True)
class QuoteItem:
    """One course to price: an enrollment already made, or one the family is about to request."""

    person_id: str
    is_child: bool
    course_id: str
    course_type: str
    label: str
    enrollment_id: str | None = None


@dataclass(frozen=True)
class AppliedReduction:
    code: str
    label: str
    percent: int
    amount_cents: int


@dataclass(frozen=True)
class FeeLine:
    item: QuoteItem
    base_cents: int
    reductions: tuple[AppliedReduction, ...]

    @property
    def amount_cents(self) -> int:
        return self.base_cents - sum(r.amount_cents for r in self.reductions)


@dataclass(frozen=True)
class FeeQuote:
    """Annual fees of a household's courses, before an agent confirms the enrollments."""

    school_year: str
    quotient_familial: int | None
    bracket: str
    resident: bool
    lines: tuple[FeeLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def is_resident(territory: Territory, commune_insee: str) -> bool:
    """Return whether the commune (INSEE code) belongs to the agglomeration's territory."""
    return territory.contains(commune_insee)


def percent_of(amount_cents: int, percent: int) -> int:
    """Return ``percent`` % of an amount, rounded to the nearest cent, halves rounded up."""
    return (amount_cents * percent + 50) // 100


def quote_fees(
    schedule: FeeSchedule,
    items: Sequence[QuoteItem],
    *,
    quotient_familial: int | None,
    resident: bool,
) -> FeeQuote:
    """Price each item and apply the reductions for which it ranks.

    Within a ranking, the dearest course or child comes first and pays full price, so the
    reductions go to the cheaper lines. Courses of equal fee rank by course id, and children
    of equal fee by person id.
    """
    bracket = schedule.bracket_for(quotient_familial).code
    bases = [schedule.base_fee(i.course_type, bracket, resident=resident) for i in items]

    earned: list[list[Reduction]] = [[] for _ in items]
    for reduction in schedule.reductions:
        for index in _ranked_lines(reduction, items, bases):
            earned[index].append(reduction)

    lines = tuple(
        FeeLine(item, base, _apply(base, earned[index], cumulative=schedule.cumulative_reductions))
        for index, (item, base) in enumerate(zip(items, bases, strict=True))
    )
    return FeeQuote(schedule.school_year, quotient_familial, bracket, resident, lines)


def _ranked_lines(
    reduction: Reduction, items: Sequence[QuoteItem], bases: Sequence[int]
) -> list[int]:
    """Return the indexes of the lines that rank ``from_rank`` or later for this reduction."""
    eligible = [i for i, item in enumerate(items) if reduction.covers(item.course_type)]
    if reduction.kind is ReductionKind.NTH_CHILD:
        eligible = [i for i in eligible if items[i].is_child]

    by_person: dict[str, list[int]] = defaultdict(list)
    for index in eligible:
        by_person[items[index].person_id].append(index)
    for indexes in by_person.values():
        indexes.sort(key=lambda i: (-bases[i], items[i].course_id))

    skipped = reduction.from_rank - 1
    if reduction.kind is ReductionKind.NTH_COURSE_OF_PERSON:
        return [i for indexes in by_person.values() for i in indexes[skipped:]]

    children = sorted(by_person, key=lambda p: (-bases[by_person[p][0]], p))
    return [i for person in children[skipped:] for i in by_person[person]]


def _apply(
    base_cents: int, reductions: Sequence[Reduction], *, cumulative: bool
) -> tuple[AppliedReduction, ...]:
    if not reductions:
        return ()
    if not cumulative:
        # max() keeps the first of equal percentages, so configuration order breaks ties.
        best = max(reductions, key=lambda r: r.percent)
        return (_applied(best, percent_of(base_cents, best.percent)),)

    applied = []
    remaining = base_cents
    for reduction in reductions:
        amount = percent_of(remaining, reduction.percent)
        applied.append(_applied(reduction, amount))
        remaining -= amount
    return tuple(applied)


def _applied(reduction: Reduction, amount_cents: int) -> AppliedReduction:
    return AppliedReduction(reduction.code, reduction.label, reduction.percent, amount_cents)
