from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from pydantic import ValidationError

from demarches.conservatoire.config import YearConfig, parse_year_config
from demarches.conservatoire.fees import (
    FeeSchedule,
    QuoteItem,
    is_resident,
    percent_of,
    quote_fees,
)
from demarches.territory import load_territory


def item(person_id: str, course_type: str, course_id: str, *, is_child: bool = True) -> QuoteItem:
    return QuoteItem(
        person_id=person_id,
        is_child=is_child,
        course_id=course_id,
        course_type=course_type,
        label=course_id,
    )


@pytest.fixture
def schedule(config: YearConfig) -> FeeSchedule:
    return config.fees


@pytest.mark.parametrize(
    ("quotient", "bracket"),
    [(0, "A"), (550, "A"), (551, "B"), (800, "B"), (1500, "D"), (1501, "E"), (99999, "E")],
)
def test_bracket_for_includes_upper_bound(
    schedule: FeeSchedule, quotient: int, bracket: str
) -> None:
    assert schedule.bracket_for(quotient).code == bracket


def test_unknown_quotient_uses_default_bracket(schedule: FeeSchedule) -> None:
    assert schedule.bracket_for(None).code == "E"


@pytest.mark.parametrize(
    ("insee", "resident"),
    [("55545", True), ("55505", True), ("55029", False), ("75056", False)],
)
def test_residency_follows_territory_communes(insee: str, resident: bool) -> None:
    assert is_resident(load_territory("grand-verdun"), insee) is resident


def test_resident_fee_depends_on_bracket(schedule: FeeSchedule) -> None:
    low = quote_fees(
        schedule, [item("lea", "instrument", "piano")], quotient_familial=400, resident=True
    )
    high = quote_fees(
        schedule, [item("lea", "instrument", "piano")], quotient_familial=None, resident=True
    )
    assert low.total_cents == 12000
    assert high.total_cents == 28000


def test_non_resident_flat_fee_ignores_bracket(schedule: FeeSchedule) -> None:
    low = quote_fees(
        schedule, [item("tom", "instrument", "piano")], quotient_familial=400, resident=False
    )
    high = quote_fees(
        schedule, [item("tom", "instrument", "piano")], quotient_familial=2000, resident=False
    )
    assert low.total_cents == 42000
    assert high.total_cents == 42000
    assert low.bracket == "A"
    assert not low.resident


def test_second_child_gets_reduction_on_cheaper_course(schedule: FeeSchedule) -> None:
    items = [item("hugo", "atelier_enfant", "dessin"), item("lea", "instrument", "piano")]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    hugo, lea = quote.lines
    assert lea.reductions == ()
    assert lea.amount_cents == 16000
    assert [r.code for r in hugo.reductions] == ["second_child"]
    assert hugo.base_cents == 6500
    assert hugo.reductions[0].amount_cents == 1300
    assert hugo.amount_cents == 5200
    assert quote.total_cents == 21200


def test_adult_does_not_count_as_child(schedule: FeeSchedule) -> None:
    items = [
        item("claire", "atelier_adulte", "peinture", is_child=False),
        item("lea", "instrument", "piano"),
    ]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    assert all(line.reductions == () for line in quote.lines)


def test_third_child_also_gets_reduction(schedule: FeeSchedule) -> None:
    items = [item(p, "atelier_enfant", f"dessin-{p}") for p in ("a", "b", "c")]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    reduced = [line.item.person_id for line in quote.lines if line.reductions]
    assert reduced == ["b", "c"]


def test_second_course_reduction_skips_other_course_types(schedule: FeeSchedule) -> None:
    items = [
        item("claire", "formation_musicale", "fm", is_child=False),
        item("claire", "instrument", "piano", is_child=False),
        item("claire", "instrument", "violon", is_child=False),
    ]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    fm, piano, violon = quote.lines
    assert fm.reductions == ()
    assert piano.reductions == ()
    assert [r.code for r in violon.reductions] == ["second_course"]
    assert violon.reductions[0].amount_cents == 4800


def test_equal_courses_rank_by_course_id(schedule: FeeSchedule) -> None:
    items = [
        item("claire", "instrument", "violon", is_child=False),
        item("claire", "instrument", "piano", is_child=False),
    ]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    reduced = [line.item.course_id for line in quote.lines if line.reductions]
    assert reduced == ["violon"]


def test_non_cumulative_reductions_keep_largest(schedule: FeeSchedule) -> None:
    items = [
        item("lea", "instrument", "piano"),
        item("hugo", "atelier_enfant", "dessin"),
        item("hugo", "atelier_enfant", "modelage"),
    ]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    dessin, modelage = quote.lines[1:]
    assert [r.code for r in dessin.reductions] == ["second_child"]
    assert [r.code for r in modelage.reductions] == ["second_course"]
    assert modelage.amount_cents == 6500 - 1950


def test_cumulative_reductions_apply_in_turn(schedule: FeeSchedule) -> None:
    cumulative = replace(schedule, cumulative_reductions=True)
    items = [
        item("lea", "instrument", "piano"),
        item("hugo", "atelier_enfant", "dessin"),
        item("hugo", "atelier_enfant", "modelage"),
    ]
    quote = quote_fees(cumulative, items, quotient_familial=700, resident=True)
    modelage = quote.lines[2]
    assert [r.code for r in modelage.reductions] == ["second_child", "second_course"]
    assert [r.amount_cents for r in modelage.reductions] == [1300, 1560]
    assert modelage.amount_cents == 6500 - 1300 - 1560


def test_equal_children_rank_by_person_id(schedule: FeeSchedule) -> None:
    items = [item("lea", "instrument", "piano"), item("hugo", "instrument", "violon")]
    quote = quote_fees(schedule, items, quotient_familial=700, resident=True)
    reduced = [line.item.person_id for line in quote.lines if line.reductions]
    assert reduced == ["lea"]


def test_quote_keeps_item_order_and_total(schedule: FeeSchedule) -> None:
    items = [item("lea", "eveil", "eveil"), item("lea", "pratique_collective", "choeur")]
    quote = quote_fees(schedule, items, quotient_familial=100, resident=True)
    assert [line.item.course_id for line in quote.lines] == ["eveil", "choeur"]
    assert quote.total_cents == 4500 + 3000
    assert quote.school_year == "2026-2027"
    assert quote.quotient_familial == 100


def test_empty_quote_totals_zero(schedule: FeeSchedule) -> None:
    assert quote_fees(schedule, [], quotient_familial=None, resident=True).total_cents == 0


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [(12345, 20, 2469), (1, 50, 1), (3, 50, 2), (16000, 30, 4800), (0, 30, 0)],
)
def test_percent_of_rounds_half_up(amount: int, percent: int, expected: int) -> None:
    assert percent_of(amount, percent) == expected


def test_unknown_course_type_raises_lookup_error(schedule: FeeSchedule) -> None:
    with pytest.raises(LookupError, match="harpe"):
        quote_fees(schedule, [item("lea", "harpe", "h")], quotient_familial=None, resident=True)


def test_config_rejects_bounded_last_bracket(raw: dict[str, Any]) -> None:
    raw["fees"]["brackets"][-1]["max_quotient"] = 5000
    with pytest.raises(ValidationError, match="null on the last bracket"):
        parse_year_config(raw)


def test_config_rejects_decreasing_brackets(raw: dict[str, Any]) -> None:
    raw["fees"]["brackets"][1]["max_quotient"] = 500
    with pytest.raises(ValidationError, match="increase strictly"):
        parse_year_config(raw)


def test_config_rejects_unknown_default_bracket(raw: dict[str, Any]) -> None:
    raw["fees"]["default_bracket"] = "Z"
    with pytest.raises(ValidationError, match="default_bracket"):
        parse_year_config(raw)


def test_config_rejects_missing_bracket_fee(raw: dict[str, Any]) -> None:
    del raw["fees"]["course_types"]["instrument"]["resident"]["C"]
    with pytest.raises(ValidationError, match="need exactly brackets"):
        parse_year_config(raw)


def test_config_rejects_negative_fee(raw: dict[str, Any]) -> None:
    raw["fees"]["course_types"]["eveil"]["non_resident"] = -1
    with pytest.raises(ValidationError, match="negative"):
        parse_year_config(raw)


def test_config_rejects_reduction_on_unknown_type(raw: dict[str, Any]) -> None:
    raw["fees"]["reductions"][1]["course_types"] = ["harpe"]
    with pytest.raises(ValidationError, match="unknown types"):
        parse_year_config(raw)


def test_config_accepts_non_resident_fee_per_bracket(raw: dict[str, Any]) -> None:
    raw["fees"]["course_types"]["eveil"]["non_resident"] = dict.fromkeys("ABCDE", 12000)
    raw["fees"]["course_types"]["eveil"]["non_resident"]["E"] = 16000
    fees = parse_year_config(raw).fees
    assert fees.base_fee("eveil", "A", resident=False) == 12000
    assert fees.base_fee("eveil", "E", resident=False) == 16000
