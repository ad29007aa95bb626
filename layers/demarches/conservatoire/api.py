"""Request and response models of the conservatoire and atelier d'art HTTP API.

Amounts are integer cents and instants are UTC. An instant is inside an enrollment window
when ``opens_at <= instant < closes_at``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from demarches.households.domain import Person

from .catalogue import Course, School
from .enrollment import (
    MAX_CAPACITY,
    MAX_REASON_LENGTH,
    Enrollment,
    EnrollmentStatus,
    status_label,
)
from .evaluations import MAX_APPRECIATION_LENGTH, MAX_LEVEL_LENGTH, Evaluation, Term
from .fees import FeeLine, FeeQuote
from .ports import CapacityChange, CourseAvailability
from .usecases import CatalogueView, ClassList, CourseRoster, RankedEnrollment
from .windows import Audience, EnrollmentWindows, Window, audience_at

CourseId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Course id from the catalogue.",
        examples=["cons-piano-c1"],
    ),
]
PersonId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        description="Person id from the caller's household profile (GET /me).",
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Requests


class EnrollmentCreate(_Model):
    course_id: CourseId
    person_id: PersonId


class PlannedCourseIn(_Model):
    course_id: CourseId
    person_id: PersonId


class QuoteRequest(_Model):
    planned: list[PlannedCourseIn] = Field(
        default_factory=list,
        max_length=20,
        description="Courses not yet requested, priced with the household's current ones.",
    )


class RefusalCreate(_Model):
    reason: str = Field(
        min_length=1,
        max_length=MAX_REASON_LENGTH,
        description="Reason sent to the family by e-mail.",
    )


class CapacityUpdate(_Model):
    capacity: int = Field(
        ge=0,
        le=MAX_CAPACITY,
        description="Places of the course; new places go to the waiting list at once.",
    )


class EvaluationWrite(_Model):
    appreciation: str = Field(min_length=1, max_length=MAX_APPRECIATION_LENGTH)
    level_reached: str = Field(min_length=1, max_length=MAX_LEVEL_LENGTH)


# Catalogue


class CourseTeacherOut(_Model):
    teacher_id: str
    name: str


class WeeklySlotOut(_Model):
    weekday: str = Field(description="monday to sunday.")
    start: str = Field(description="Europe/Paris wall-clock time, HH:MM.")
    end: str
    duration_minutes: int
    label: str


class CourseAgesOut(_Model):
    min: int
    max: int | None = Field(description="Included; null for no maximum.")
    label: str


class CourseOut(_Model):
    course_id: str
    discipline: str
    level: str
    level_label: str
    course_type: str
    teacher: CourseTeacherOut
    slot: WeeklySlotOut
    place: str
    ages: CourseAgesOut
    capacity: int
    places_left: int
    waiting_list_length: int

    @classmethod
    def of(cls, course: Course, availability: CourseAvailability) -> CourseOut:
        slot = course.slot
        return cls(
            course_id=course.course_id,
            discipline=course.discipline,
            level=course.level,
            level_label=course.level_label,
            course_type=course.course_type,
            teacher=CourseTeacherOut(
                teacher_id=course.teacher.teacher_id, name=course.teacher.name
            ),
            slot=WeeklySlotOut(
                weekday=slot.weekday_name,
                start=f"{slot.start:%H:%M}",
                end=f"{slot.end:%H:%M}",
                duration_minutes=slot.duration_minutes,
                label=slot.label,
            ),
            place=course.place,
            ages=CourseAgesOut(
                min=course.ages.minimum, max=course.ages.maximum, label=course.ages.label
            ),
            capacity=availability.seats.capacity,
            places_left=availability.seats.free_places,
            waiting_list_length=availability.waiting,
        )


class EnrollmentWindowOut(_Model):
    opens_at: datetime
    closes_at: datetime = Field(description="First instant after the window.")

    @classmethod
    def of(cls, window: Window) -> EnrollmentWindowOut:
        return cls(opens_at=window.opens_at, closes_at=window.closes_at)


class EnrollmentWindowsOut(_Model):
    reenrollment: EnrollmentWindowOut = Field(
        description="Reserved to the school's current pupils."
    )
    general: EnrollmentWindowOut = Field(description="Open to everyone.")
    open_to: Audience = Field(description="Who may enroll at the instant of the response.")

    @classmethod
    def of(cls, windows: EnrollmentWindows, at: datetime) -> EnrollmentWindowsOut:
        return cls(
            reenrollment=EnrollmentWindowOut.of(windows.reenrollment),
            general=EnrollmentWindowOut.of(windows.general),
            open_to=audience_at(windows, at),
        )


class SchoolCatalogueOut(_Model):
    school: School
    enrollment: EnrollmentWindowsOut
    courses: list[CourseOut]


class CatalogueOut(_Model):
    school_year: str
    age_reference_date: date = Field(description="Day on which course ages are counted.")
    schools: list[SchoolCatalogueOut]

    @classmethod
    def of(cls, view: CatalogueView) -> CatalogueOut:
        config = view.config
        schools = [
            SchoolCatalogueOut(
                school=school,
                enrollment=EnrollmentWindowsOut.of(config.windows[school], view.read_at),
                courses=[
                    CourseOut.of(course, view.availability[course.course_id])
                    for course in catalogue.courses
                ],
            )
            for school, catalogue in config.catalogue.catalogues.items()
        ]
        return cls(
            school_year=config.school_year,
            age_reference_date=config.catalogue.age_reference_date,
            schools=schools,
        )


# Enrollments and fees


class EnrollmentOut(_Model):
    enrollment_id: str = Field(description="Number of the request.")
    school_year: str
    school: School
    course_id: str
    household_id: str
    person_id: str
    status: EnrollmentStatus = Field(
        description="requested and offered hold a place until an agent confirms or refuses "
        "the enrollment; waiting has a rank on the waiting list."
    )
    status_label: str
    rank: int | None = Field(description="Rank on the waiting list while waiting, else null.")
    current_pupil: bool
    requested_at: datetime
    status_changed_at: datetime
    refusal_reason: str | None = None

    @classmethod
    def of(cls, enrollment: Enrollment, rank: int | None = None) -> EnrollmentOut:
        return cls(
            enrollment_id=enrollment.enrollment_id,
            school_year=enrollment.school_year,
            school=enrollment.school,
            course_id=enrollment.course_id,
            household_id=enrollment.household_id,
            person_id=enrollment.person_id,
            status=enrollment.status,
            status_label=status_label(enrollment.status),
            rank=rank,
            current_pupil=enrollment.current_pupil,
            requested_at=enrollment.requested_at,
            status_changed_at=enrollment.status_changed_at,
            refusal_reason=enrollment.refusal_reason,
        )

    @classmethod
    def ranked(cls, ranked: RankedEnrollment) -> EnrollmentOut:
        return cls.of(ranked.enrollment, ranked.rank)


class EnrollmentList(_Model):
    school_year: str
    enrollments: list[EnrollmentOut]


class ReductionOut(_Model):
    code: str
    label: str
    percent: int
    amount_cents: int


class FeeLineOut(_Model):
    person_id: str
    course_id: str
    course_type: str
    label: str
    enrollment_id: str | None = Field(description="Null for a course not yet requested.")
    base_cents: int
    reductions: list[ReductionOut]
    amount_cents: int

    @classmethod
    def of(cls, line: FeeLine) -> FeeLineOut:
        item = line.item
        return cls(
            person_id=item.person_id,
            course_id=item.course_id,
            course_type=item.course_type,
            label=item.label,
            enrollment_id=item.enrollment_id,
            base_cents=line.base_cents,
            reductions=[ReductionOut(**reduction.__dict__) for reduction in line.reductions],
            amount_cents=line.amount_cents,
        )


class FeeQuoteOut(_Model):
    school_year: str
    quotient_familial: int | None = Field(
        description="Euros per month, as recorded by the portail famille; null when unknown, "
        "which prices at the default bracket."
    )
    bracket: str
    resident: bool = Field(description="Whether the household's commune is in the territory.")
    lines: list[FeeLineOut]
    total_cents: int = Field(description="Annual total of the lines.")

    @classmethod
    def of(cls, quote: FeeQuote) -> FeeQuoteOut:
        return cls(
            school_year=quote.school_year,
            quotient_familial=quote.quotient_familial,
            bracket=quote.bracket,
            resident=quote.resident,
            lines=[FeeLineOut.of(line) for line in quote.lines],
            total_cents=quote.total_cents,
        )


class EnrollmentReceiptOut(_Model):
    enrollment: EnrollmentOut
    quote: FeeQuoteOut = Field(
        description="Annual fees of the household's place-holding enrollments and this one."
    )


# Agents


class RosterEntryOut(_Model):
    enrollment: EnrollmentOut
    first_name: str | None = Field(description="Null if the person has left the household.")
    last_name: str | None
    birth_date: date | None


class RosterOut(_Model):
    school_year: str
    course_id: str
    capacity: int
    places_held: int
    places_left: int
    holders: list[RosterEntryOut] = Field(description="Requested, offered and confirmed.")
    waiting: list[RosterEntryOut] = Field(description="Waiting list, head first.")

    @classmethod
    def of(cls, roster: CourseRoster) -> RosterOut:
        def entry(enrollment: Enrollment, rank: int | None) -> RosterEntryOut:
            return _roster_entry(enrollment, rank, roster.persons.get(enrollment.person_id))

        seats = roster.seats
        return cls(
            school_year=seats.school_year,
            course_id=seats.course_id,
            capacity=seats.capacity,
            places_held=seats.places_held,
            places_left=seats.free_places,
            holders=[entry(e, None) for e in roster.holders],
            waiting=[entry(e, rank) for rank, e in enumerate(roster.waiting, start=1)],
        )


def _roster_entry(
    enrollment: Enrollment, rank: int | None, person: Person | None
) -> RosterEntryOut:
    return RosterEntryOut(
        enrollment=EnrollmentOut.of(enrollment, rank),
        first_name=None if person is None else person.first_name,
        last_name=None if person is None else person.last_name,
        birth_date=None if person is None else person.birth_date,
    )


class CapacityChangeOut(_Model):
    school_year: str
    course_id: str
    capacity: int
    places_held: int
    places_left: int
    promoted: list[EnrollmentOut] = Field(description="Waiting requests offered a new place.")

    @classmethod
    def of(cls, change: CapacityChange) -> CapacityChangeOut:
        seats = change.seats
        return cls(
            school_year=seats.school_year,
            course_id=seats.course_id,
            capacity=seats.capacity,
            places_held=seats.places_held,
            places_left=seats.free_places,
            promoted=[EnrollmentOut.of(e) for e in change.promoted],
        )


# Teachers and evaluations


class PupilOut(_Model):
    person_id: str
    first_name: str | None = Field(description="Null if the person has left the household.")
    last_name: str | None


class ClassListOut(_Model):
    school_year: str
    course_id: str
    pupils: list[PupilOut] = Field(description="Pupils whose enrollment is confirmed.")

    @classmethod
    def of(cls, school_year: str, class_list: ClassList) -> ClassListOut:
        return cls(
            school_year=school_year,
            course_id=class_list.course.course_id,
            pupils=[
                PupilOut(
                    person_id=pupil.enrollment.person_id,
                    first_name=None if pupil.person is None else pupil.person.first_name,
                    last_name=None if pupil.person is None else pupil.person.last_name,
                )
                for pupil in class_list.pupils
            ],
        )


class EvaluationOut(_Model):
    school_year: str
    course_id: str
    person_id: str
    term: Term
    appreciation: str
    level_reached: str
    posted_at: datetime
    amended_at: datetime | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationOut:
        key = evaluation.key
        return cls(
            school_year=key.school_year,
            course_id=key.course_id,
            person_id=key.person_id,
            term=key.term,
            appreciation=evaluation.appreciation,
            level_reached=evaluation.level_reached,
            posted_at=evaluation.posted_at,
            amended_at=evaluation.amended_at,
        )


class EvaluationList(_Model):
    school_year: str
    evaluations: list[EvaluationOut]
