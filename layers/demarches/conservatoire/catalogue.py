"""Course catalogues of one school year: the conservatoire de musique and the atelier d'art.

The two schools publish separate catalogues. A course id is unique across both, because an
enrollment names its course by id alone. Catalogues are read from configuration by
``demarches.conservatoire.config``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from .errors import CourseNotFoundError

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class School(StrEnum):
    CONSERVATOIRE = "conservatoire"
    ATELIER_ART = "atelier_art"


class Cycle(StrEnum):
    """Stage of the conservatoire curriculum: éveil and initiation come before cycle 1.

    The cycles follow the ministry of culture's schéma national d'orientation pédagogique
    (2023): cycle 1 and cycle 2 last three to five years each, and cycle 3 ends with the
    certificat d'études musicales.
    """

    EVEIL = "eveil"
    INITIATION = "initiation"
    CYCLE_1 = "cycle_1"
    CYCLE_2 = "cycle_2"
    CYCLE_3 = "cycle_3"

    @property
    def label(self) -> str:
        return _CYCLE_LABELS[self]


_CYCLE_LABELS = {
    Cycle.EVEIL: "Éveil",
    Cycle.INITIATION: "Initiation",
    Cycle.CYCLE_1: "Cycle 1",
    Cycle.CYCLE_2: "Cycle 2",
    Cycle.CYCLE_3: "Cycle 3",
}


def parse_school_year(label: str) -> str:
    """Return ``label`` if it names a school year such as ``2026-2027``, else raise ValueError."""
    match = _SCHOOL_YEAR.match(label)
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"invalid school year {label!r}: expected YYYY-YYYY, e.g. 2026-2027")
    return label


def previous_school_year(label: str) -> str:
    start = int(parse_school_year(label)[:4])
    return f"{start - 1}-{start}"


def age_on(birth_date: date, day: date) -> int:
    """Return the age in whole years on ``day``; a person born on 29 February ages on 1 March."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


@dataclass(frozen=True)
class WeeklySlot:
    """Weekly time of a course, in Europe/Paris wall-clock time."""

    weekday: int  # 0 is Monday, as returned by date.weekday()
    start: time
    duration_minutes: int

    @property
    def end(self) -> time:
        return (
            datetime.combine(date.min, self.start) + timedelta(minutes=self.duration_minutes)
        ).time()

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]

    @property
    def label(self) -> str:
        """French label such as ``mercredi 14:00-14:45``."""
        return f"{_WEEKDAYS_FR[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"

    def overlaps(self, other: WeeklySlot) -> bool:
        if self.weekday != other.weekday:
            return False
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class AgeRange:
    """Ages accepted in a course, both bounds included; no maximum for adult courses."""

    minimum: int
    maximum: int | None = None

    def contains(self, age: int) -> bool:
        if age < self.minimum:
            return False
        return self.maximum is None or age <= self.maximum

    @property
    def label(self) -> str:
        if self.maximum is None:
            return f"à partir de {self.minimum} ans"
        return f"de {self.minimum} à {self.maximum} ans"


@dataclass(frozen=True)
class Teacher:
    teacher_id: str
    name: str


@dataclass(frozen=True)
class Course:
    """One weekly course of a catalogue.

    ``level`` is a ``Cycle`` value in the conservatoire and a free label in the atelier d'art.
    ``course_type`` selects the fee line in the fee schedule. ``capacity`` is the number of
    places configured at publication; an agent may change it later, and the enrollment store
    then keeps the current figure.
    """

    course_id: str
    school: School
    discipline: str
    level: str
    course_type: str
    teacher: Teacher
    slot: WeeklySlot
    place: str
    capacity: int
    ages: AgeRange
    year_in_cycle: int | None = None

    @property
    def cycle(self) -> Cycle | None:
        if self.school is not School.CONSERVATOIRE:
            return None
        return Cycle(self.level)

    @property
    def level_label(self) -> str:
        cycle = self.cycle
        if cycle is None:
            return self.level
        if self.year_in_cycle is None:
            return cycle.label
        return f"{cycle.label}, année {self.year_in_cycle}"


@dataclass(frozen=True)
class Catalogue:
    """Courses of one school for one school year."""

    school: School
    school_year: str
    courses: tuple[Course, ...]

    def courses_for_age(self, age: int) -> tuple[Course, ...]:
        return tuple(course for course in self.courses if course.ages.contains(age))

    def courses_of_teacher(self, teacher_id: str) -> tuple[Course, ...]:
        return tuple(course for course in self.courses if course.teacher.teacher_id == teacher_id)


@dataclass(frozen=True)
class YearCatalogue:
    """Both catalogues of a school year.

    Ages are counted on ``age_reference_date``, usually 31 December of the rentrée year, so a
    pupil's age does not change during the enrollment period.
    """

    school_year: str
    age_reference_date: date
    catalogues: Mapping[School, Catalogue]

    def catalogue(self, school: School) -> Catalogue:
        return self.catalogues[school]

    def find(self, course_id: str) -> Course | None:
        for catalogue in self.catalogues.values():
            for course in catalogue.courses:
                if course.course_id == course_id:
                    return course
        return None

    def course(self, course_id: str) -> Course:
        """Return the course, or raise CourseNotFoundError."""
        course = self.find(course_id)
        if course is None:
            raise CourseNotFoundError(
                f"Le cours {course_id!r} n'existe pas au catalogue {self.school_year}.",
                field="course_id",
            )
        return course

    def age_of(self, birth_date: date) -> int:
        return age_on(birth_date, self.age_reference_date)
