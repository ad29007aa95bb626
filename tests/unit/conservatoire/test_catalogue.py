from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from pydantic import ValidationError

from demarches.conservatoire.catalogue import (
    AgeRange,
    Cycle,
    School,
    WeeklySlot,
    age_on,
    parse_school_year,
    previous_school_year,
)
from demarches.conservatoire.config import YearConfig, load_year_config, parse_year_config
from demarches.conservatoire.errors import CourseNotFoundError
from demarches.territory import load_territory

from .conftest import DEMO_FILE


def test_demo_config_has_both_catalogues(config: YearConfig) -> None:
    assert set(config.catalogue.catalogues) == {School.CONSERVATOIRE, School.ATELIER_ART}
    assert len(config.catalogue.catalogue(School.CONSERVATOIRE).courses) >= 10
    assert len(config.catalogue.catalogue(School.ATELIER_ART).courses) >= 5


@pytest.mark.parametrize(
    ("school", "discipline"),
    [
        (School.CONSERVATOIRE, "Piano"),
        (School.CONSERVATOIRE, "Violon"),
        (School.CONSERVATOIRE, "Formation musicale"),
        (School.CONSERVATOIRE, "Guitare classique"),
        (School.CONSERVATOIRE, "Chant choral, chœur d'enfants"),
        (School.ATELIER_ART, "Dessin"),
        (School.ATELIER_ART, "Peinture"),
        (School.ATELIER_ART, "Modelage"),
    ],
)
def test_demo_catalogue_offers_discipline(
    config: YearConfig, school: School, discipline: str
) -> None:
    disciplines = {c.discipline for c in config.catalogue.catalogue(school).courses}
    assert discipline in disciplines


def test_demo_conservatoire_covers_every_cycle(config: YearConfig) -> None:
    courses = config.catalogue.catalogue(School.CONSERVATOIRE).courses
    assert {c.cycle for c in courses} == set(Cycle)


def test_demo_atelier_courses_have_no_cycle(config: YearConfig) -> None:
    courses = config.catalogue.catalogue(School.ATELIER_ART).courses
    assert all(c.cycle is None for c in courses)


def test_demo_territory_is_loadable(config: YearConfig) -> None:
    territory = load_territory(config.territory)
    assert territory.contains("55545")


def test_demo_course_fields_are_parsed(config: YearConfig) -> None:
    course = config.catalogue.course("cons-fm-c1-a1")
    assert course.school is School.CONSERVATOIRE
    assert course.teacher.teacher_id == "ens-girard"
    assert course.slot.weekday_name == "wednesday"
    assert course.slot.start == time(14, 0)
    assert course.slot.duration_minutes == 60
    assert course.capacity == 16
    assert course.ages == AgeRange(7, 12)
    assert course.level_label == "Cycle 1, année 1"


def test_unknown_course_id_raises_not_found(config: YearConfig) -> None:
    with pytest.raises(CourseNotFoundError) as caught:
        config.catalogue.course("cons-tuba-c9")
    assert caught.value.code == "course_not_found"
    assert caught.value.field == "course_id"


def test_find_returns_none_for_unknown_course(config: YearConfig) -> None:
    assert config.catalogue.find("nope") is None


def test_courses_for_age_filters_by_range(config: YearConfig) -> None:
    five = config.catalogue.catalogue(School.CONSERVATOIRE).courses_for_age(5)
    assert [c.course_id for c in five] == ["cons-eveil"]


def test_courses_of_teacher_lists_own_courses(config: YearConfig) -> None:
    courses = config.catalogue.catalogue(School.CONSERVATOIRE).courses_of_teacher("ens-lambert")
    assert {c.course_id for c in courses} == {"cons-piano-c1", "cons-piano-c2", "cons-piano-c3"}


@pytest.mark.parametrize(
    ("birth", "day", "expected"),
    [
        (date(2016, 12, 31), date(2026, 12, 31), 10),
        (date(2017, 1, 1), date(2026, 12, 31), 9),
        (date(2016, 2, 29), date(2026, 2, 28), 9),
        (date(2016, 2, 29), date(2026, 3, 1), 10),
    ],
)
def test_age_on_counts_whole_years(birth: date, day: date, expected: int) -> None:
    assert age_on(birth, day) == expected


def test_age_range_includes_both_bounds() -> None:
    ages = AgeRange(7, 12)
    assert not ages.contains(6)
    assert ages.contains(7)
    assert ages.contains(12)
    assert not ages.contains(13)


def test_age_range_without_maximum_is_open() -> None:
    assert AgeRange(16).contains(90)
    assert AgeRange(16).label == "à partir de 16 ans"


def test_weekly_slot_end_and_label() -> None:
    slot = WeeklySlot(2, time(14, 0), 45)
    assert slot.end == time(14, 45)
    assert slot.label == "mercredi 14:00-14:45"


def test_weekly_slots_overlap_only_on_same_day() -> None:
    wednesday = WeeklySlot(2, time(14, 0), 60)
    assert wednesday.overlaps(WeeklySlot(2, time(14, 30), 60))
    assert not wednesday.overlaps(WeeklySlot(2, time(15, 0), 60))
    assert not wednesday.overlaps(WeeklySlot(3, time(14, 0), 60))


def test_previous_school_year_steps_back_one_year() -> None:
    assert previous_school_year("2026-2027") == "2025-2026"


@pytest.mark.parametrize("label", ["2026-2028", "2026/2027", "26-27", ""])
def test_invalid_school_year_label_raises(label: str) -> None:
    with pytest.raises(ValueError, match="invalid school year"):
        parse_school_year(label)


def test_window_instants_without_offset_are_paris_time(raw: dict[str, Any]) -> None:
    enrollment = raw["schools"]["conservatoire"]["enrollment"]
    enrollment["reenrollment"]["opens_at"] = "2026-05-26T09:00:00"
    enrollment["general"]["closes_at"] = "2026-12-01T00:00:00"
    config = parse_year_config(raw)
    windows = config.windows[School.CONSERVATOIRE]
    assert windows.reenrollment.opens_at == datetime(2026, 5, 26, 7, 0, tzinfo=UTC)
    assert windows.general.closes_at == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


def test_waiting_list_policy_is_per_school(config: YearConfig) -> None:
    assert config.waiting_lists[School.CONSERVATOIRE].reenrolling_pupils_first
    assert not config.waiting_lists[School.ATELIER_ART].reenrolling_pupils_first


def test_load_by_path_matches_load_by_name(config: YearConfig) -> None:
    assert load_year_config(str(DEMO_FILE)) == config


def _first_course(raw: dict[str, Any], school: str = "conservatoire") -> dict[str, Any]:
    course: dict[str, Any] = raw["schools"][school]["courses"][0]
    return course


def test_config_rejects_duplicate_course_id(raw: dict[str, Any]) -> None:
    _first_course(raw, "atelier_art")["course_id"] = _first_course(raw)["course_id"]
    with pytest.raises(ValidationError, match="appears twice"):
        parse_year_config(raw)


def test_config_rejects_unknown_cycle(raw: dict[str, Any]) -> None:
    _first_course(raw)["level"] = "cycle_4"
    with pytest.raises(ValidationError, match="level must be one of"):
        parse_year_config(raw)


def test_config_accepts_free_atelier_level(raw: dict[str, Any]) -> None:
    _first_course(raw, "atelier_art")["level"] = "perfectionnement"
    config = parse_year_config(raw)
    course = config.catalogue.catalogue(School.ATELIER_ART).courses[0]
    assert course.level_label == "perfectionnement"


def test_config_rejects_year_in_cycle_for_atelier(raw: dict[str, Any]) -> None:
    _first_course(raw, "atelier_art")["year_in_cycle"] = 1
    with pytest.raises(ValidationError, match="year_in_cycle"):
        parse_year_config(raw)


def test_config_rejects_year_in_cycle_for_eveil(raw: dict[str, Any]) -> None:
    _first_course(raw)["year_in_cycle"] = 1
    with pytest.raises(ValidationError, match="cycles 1 to 3"):
        parse_year_config(raw)


def test_config_rejects_course_type_without_fee(raw: dict[str, Any]) -> None:
    _first_course(raw)["course_type"] = "harpe"
    with pytest.raises(ValidationError, match="has no fee"):
        parse_year_config(raw)


def test_config_rejects_inverted_ages(raw: dict[str, Any]) -> None:
    _first_course(raw)["ages"] = {"min": 10, "max": 8}
    with pytest.raises(ValidationError, match="inverted"):
        parse_year_config(raw)


def test_config_rejects_slot_past_midnight(raw: dict[str, Any]) -> None:
    _first_course(raw)["slot"] = {"weekday": "friday", "start": "23:30", "duration_minutes": 60}
    with pytest.raises(ValidationError, match="before midnight"):
        parse_year_config(raw)


def test_config_rejects_unknown_weekday(raw: dict[str, Any]) -> None:
    _first_course(raw)["slot"]["weekday"] = "mercredi"
    with pytest.raises(ValidationError):
        parse_year_config(raw)


def test_config_rejects_misspelled_field(raw: dict[str, Any]) -> None:
    _first_course(raw)["capacite"] = 4
    with pytest.raises(ValidationError, match="capacite"):
        parse_year_config(raw)


def test_config_rejects_zero_capacity(raw: dict[str, Any]) -> None:
    _first_course(raw)["capacity"] = 0
    with pytest.raises(ValidationError, match="capacity"):
        parse_year_config(raw)


def test_config_rejects_missing_school(raw: dict[str, Any]) -> None:
    del raw["schools"]["atelier_art"]
    with pytest.raises(ValidationError, match="no catalogue"):
        parse_year_config(raw)


def test_config_rejects_invalid_school_year(raw: dict[str, Any]) -> None:
    raw["school_year"] = "2026-2026"
    with pytest.raises(ValidationError, match="invalid school year"):
        parse_year_config(raw)


def test_config_rejects_reenrollment_after_general(raw: dict[str, Any]) -> None:
    enrollment = raw["schools"]["conservatoire"]["enrollment"]
    enrollment["reenrollment"]["opens_at"] = "2026-06-16T09:00:00+02:00"
    enrollment["reenrollment"]["closes_at"] = "2026-06-20T09:00:00+02:00"
    with pytest.raises(ValueError, match="must open before"):
        parse_year_config(raw)
