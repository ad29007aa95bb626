"""Configuration of one school year: catalogues, enrollment windows, waiting lists and fees.

One JSON file per territory and school year, validated by the pydantic models below and turned
into the domain's dataclasses. A bundled file is named by its stem, such as
``grand-verdun-2026-2027``; any other file by its path. Enrollment instants written without an
offset are Europe/Paris wall-clock times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from demarches.clock import PARIS

from .catalogue import (
    WEEKDAYS,
    AgeRange,
    Catalogue,
    Course,
    Cycle,
    School,
    Teacher,
    WeeklySlot,
    YearCatalogue,
    parse_school_year,
)
from .enrollment import MAX_CAPACITY, WaitingListPolicy
from .fees import CourseTypeFees, FeeSchedule, QuotientBracket, Reduction, ReductionKind
from .windows import EnrollmentWindows, Window

_BUNDLED = Path(__file__).with_name("config")
_MINUTES_PER_DAY = 24 * 60

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TeacherEntry(_Strict):
    teacher_id: str = Field(min_length=1)
    name: str = Field(min_length=1)


class SlotEntry(_Strict):
    weekday: Weekday
    start: time = Field(description="Paris wall-clock time, HH:MM.")
    duration_minutes: int = Field(gt=0, le=600)

    @model_validator(mode="after")
    def _check_same_day(self) -> SlotEntry:
        if self.start.hour * 60 + self.start.minute + self.duration_minutes > _MINUTES_PER_DAY:
            raise ValueError(f"slot starting at {self.start} must end before midnight")
        return self


class AgesEntry(_Strict):
    min: int = Field(ge=0, le=120)
    max: int | None = Field(None, ge=0, le=120, description="Included; null for no maximum.")

    @model_validator(mode="after")
    def _check_order(self) -> AgesEntry:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"age range {self.min}-{self.max} is inverted")
        return self


class CourseEntry(_Strict):
    course_id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    discipline: str = Field(min_length=1)
    level: str = Field(
        min_length=1, description="Conservatoire: a cycle code such as cycle_1; atelier: free."
    )
    year_in_cycle: int | None = Field(None, ge=1, le=5)
    course_type: str = Field(min_length=1, description="Key of fees.course_types.")
    teacher: TeacherEntry
    slot: SlotEntry
    place: str = Field(min_length=1)
    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    ages: AgesEntry


class WindowEntry(_Strict):
    opens_at: datetime
    closes_at: datetime = Field(description="First instant after the window.")

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _to_utc(cls, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=PARIS)
        return instant.astimezone(UTC)


class EnrollmentEntry(_Strict):
    reenrollment: WindowEntry
    general: WindowEntry
    reenrolling_pupils_first: bool = True


class SchoolEntry(_Strict):
    enrollment: EnrollmentEntry
    courses: list[CourseEntry]


class BracketEntry(_Strict):
    code: str = Field(min_length=1)
    max_quotient: int | None = Field(
        description="Highest quotient_familial of the bracket, in euros; null for the last."
    )


class CourseTypeEntry(_Strict):
    label: str = Field(min_length=1)
    resident: dict[str, int] = Field(description="Annual fee in cents, by bracket code.")
    non_resident: int | dict[str, int] = Field(
        description="Annual fee in cents: one figure for every bracket, or one per bracket."
    )


class ReductionEntry(_Strict):
    code: str = Field(min_length=1)
    label: str = Field(min_length=1)
    kind: ReductionKind
    from_rank: int = Field(ge=2)
    percent: int = Field(ge=1, le=100)
    course_types: list[str] | None = None


class FeesEntry(_Strict):
    brackets: list[BracketEntry] = Field(min_length=1)
    default_bracket: str
    course_types: dict[str, CourseTypeEntry]
    reductions: list[ReductionEntry] = []
    cumulative_reductions: bool = False

    @model_validator(mode="after")
    def _check_tables(self) -> FeesEntry:
        codes = [b.code for b in self.brackets]
        _check_brackets(self.brackets)
        if self.default_bracket not in codes:
            raise ValueError(f"default_bracket {self.default_bracket!r} is not in {codes}")
        for name, entry in self.course_types.items():
            _check_amounts(name, "resident", entry.resident, codes)
            if isinstance(entry.non_resident, dict):
                _check_amounts(name, "non_resident", entry.non_resident, codes)
            elif entry.non_resident < 0:
                raise ValueError(f"course type {name!r}: non_resident fee is negative")
        for reduction in self.reductions:
            unknown = set(reduction.course_types or ()) - set(self.course_types)
            if unknown:
                raise ValueError(f"reduction {reduction.code!r} names unknown types {unknown}")
        return self


class YearConfigFile(_Strict):
    """Shape of a school-year configuration file."""

    description: str = ""
    school_year: str
    territory: str = Field(description="Territory name for demarches.territory.load_territory.")
    age_reference_date: date = Field(description="Day on which course ages are counted.")
    schools: dict[School, SchoolEntry]
    fees: FeesEntry

    @field_validator("school_year")
    @classmethod
    def _check_school_year(cls, label: str) -> str:
        return parse_school_year(label)

    @model_validator(mode="after")
    def _check_courses(self) -> YearConfigFile:
        missing = set(School) - set(self.schools)
        if missing:
            raise ValueError(f"schools {sorted(missing)} have no catalogue")
        seen: set[str] = set()
        for school, entry in self.schools.items():
            for course in entry.courses:
                if course.course_id in seen:
                    raise ValueError(f"course id {course.course_id!r} appears twice")
                seen.add(course.course_id)
                _check_level(school, course)
                if course.course_type not in self.fees.course_types:
                    raise ValueError(
                        f"course {course.course_id!r}: course type {course.course_type!r} "
                        "has no fee in fees.course_types"
                    )
        return self


@dataclass(frozen=True)
class YearConfig:
    """Everything the enrollment use cases need to know about one school year."""

    school_year: str
    territory: str
    catalogue: YearCatalogue
    windows: Mapping[School, EnrollmentWindows]
    waiting_lists: Mapping[School, WaitingListPolicy]
    fees: FeeSchedule


def load_year_config(name_or_path: str) -> YearConfig:
    """Load a bundled school-year configuration by name, or a configuration file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = _BUNDLED / f"{name_or_path}.json"
    return parse_year_config(YearConfigFile.model_validate_json(path.read_text(encoding="utf-8")))


def parse_year_config(raw: YearConfigFile | Mapping[str, Any]) -> YearConfig:
    """Turn a validated file, or its raw mapping, into the domain's configuration."""
    entry = raw if isinstance(raw, YearConfigFile) else YearConfigFile.model_validate(raw)
    year = entry.school_year
    catalogues = {
        school: Catalogue(school, year, tuple(_course(school, c) for c in school_entry.courses))
        for school, school_entry in entry.schools.items()
    }
    windows = {
        school: EnrollmentWindows(
            school=school,
            school_year=year,
            reenrollment=_window(school_entry.enrollment.reenrollment),
            general=_window(school_entry.enrollment.general),
        )
        for school, school_entry in entry.schools.items()
    }
    policies = {
        school: WaitingListPolicy(school_entry.enrollment.reenrolling_pupils_first)
        for school, school_entry in entry.schools.items()
    }
    return YearConfig(
        school_year=year,
        territory=entry.territory,
        catalogue=YearCatalogue(year, entry.age_reference_date, catalogues),
        windows=windows,
        waiting_lists=policies,
        fees=_fee_schedule(year, entry.territory, entry.fees),
    )


def _check_brackets(brackets: list[BracketEntry]) -> None:
    codes = [b.code for b in brackets]
    if len(set(codes)) != len(codes):
        raise ValueError(f"bracket codes repeat: {codes}")
    bounds = [b.max_quotient for b in brackets]
    if bounds[-1] is not None or None in bounds[:-1]:
        raise ValueError("max_quotient must be null on the last bracket, and only there")
    closed = [b for b in bounds if b is not None]
    if closed != sorted(set(closed)):
        raise ValueError(f"bracket bounds must increase strictly: {closed}")


def _check_amounts(course_type: str, rate: str, amounts: dict[str, int], codes: list[str]) -> None:
    if sorted(amounts) != sorted(codes):
        raise ValueError(f"course type {course_type!r}: {rate} fees need exactly brackets {codes}")
    if any(amount < 0 for amount in amounts.values()):
        raise ValueError(f"course type {course_type!r}: {rate} fees contain a negative amount")


def _check_level(school: School, course: CourseEntry) -> None:
    if school is not School.CONSERVATOIRE:
        if course.year_in_cycle is not None:
            raise ValueError(
                f"course {course.course_id!r}: year_in_cycle applies to conservatoire cycles only"
            )
        return
    cycles = [c.value for c in Cycle]
    if course.level not in cycles:
        raise ValueError(f"course {course.course_id!r}: level must be one of {cycles}")
    in_cycle = course.level in (Cycle.CYCLE_1, Cycle.CYCLE_2, Cycle.CYCLE_3)
    if course.year_in_cycle is not None and not in_cycle:
        raise ValueError(f"course {course.course_id!r}: year_in_cycle is for cycles 1 to 3")


def _course(school: School, entry: CourseEntry) -> Course:
    return Course(
        course_id=entry.course_id,
        school=school,
        discipline=entry.discipline,
        level=entry.level,
        course_type=entry.course_type,
        teacher=Teacher(entry.teacher.teacher_id, entry.teacher.name),
        slot=WeeklySlot(
            WEEKDAYS.index(entry.slot.weekday), entry.slot.start, entry.slot.duration_minutes
        ),
        place=entry.place,
        capacity=entry.capacity,
        ages=AgeRange(entry.ages.min, entry.ages.max),
        year_in_cycle=entry.year_in_cycle,
    )


def _window(entry: WindowEntry) -> Window:
    return Window(entry.opens_at, entry.closes_at)


def _fee_schedule(school_year: str, territory: str, entry: FeesEntry) -> FeeSchedule:
    codes = [b.code for b in entry.brackets]
    course_types = {
        name: CourseTypeFees(
            course_type=name,
            label=fees.label,
            resident_cents=dict(fees.resident),
            non_resident_cents=(
                dict(fees.non_resident)
                if isinstance(fees.non_resident, dict)
                else dict.fromkeys(codes, fees.non_resident)
            ),
        )
        for name, fees in entry.course_types.items()
    }
    reductions = tuple(
        Reduction(
            code=r.code,
            label=r.label,
            kind=r.kind,
            from_rank=r.from_rank,
            percent=r.percent,
            course_types=None if r.course_types is None else frozenset(r.course_types),
        )
        for r in entry.reductions
    )
    return FeeSchedule(
        school_year=school_year,
        territory=territory,
        brackets=tuple(QuotientBracket(b.code, b.max_quotient) for b in entry.brackets),
        default_bracket=entry.default_bracket,
        course_types=course_types,
        reductions=reductions,
        cumulative_reductions=entry.cumulative_reductions,
    )
