"""Use cases of the conservatoire and atelier d'art: enroll, decide, price and evaluate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from demarches.clock import Clock
from demarches.households.domain import Household, Person
from demarches.territory import Territory

from . import enrollment as rules
from .actors import Actor, require_agent_of, require_parent, require_teacher_of
from .catalogue import Course, previous_school_year
from .config import YearConfig
from .enrollment import CourseSeats, Enrollment
from .errors import (
    AgeOutOfRangeError,
    EnrollmentNotFoundError,
    HouseholdNotFoundError,
    PersonNotFoundError,
    SchoolYearNotFoundError,
)
from .evaluations import (
    Evaluation,
    EvaluationAction,
    EvaluationKey,
    require_evaluation_access,
    visible_evaluations,
    write_evaluation,
)
from .fees import FeeQuote, QuoteItem, is_resident, quote_fees
from .ports import (
    CapacityChange,
    CourseAvailability,
    EnrollmentStore,
    EvaluationStore,
    EventPublisher,
    HouseholdReader,
    IdGenerator,
    QuotientReader,
)
from .windows import require_enrollment_open


@dataclass(frozen=True)
class EnrollmentReceipt:
    """Stored enrollment, its waiting-list rank if it waits, and the household's fee quote."""

    enrollment: Enrollment
    rank: int | None
    quote: FeeQuote


@dataclass(frozen=True)
class RankedEnrollment:
    enrollment: Enrollment
    rank: int | None


@dataclass(frozen=True)
class CourseRoster:
    """Places of a course, and its enrollments: place holders and the waiting list in order.

    ``persons`` maps the person id of each enrollment to its household profile entry. A person
    who has left their household since enrolling is missing from it.
    """

    seats: CourseSeats
    holders: tuple[Enrollment, ...]
    waiting: tuple[Enrollment, ...]
    persons: Mapping[str, Person] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogueView:
    """Both catalogues of a school year, the places of each course and the instant of reading."""

    config: YearConfig
    availability: Mapping[str, CourseAvailability]
    read_at: datetime


@dataclass(frozen=True)
class Pupil:
    enrollment: Enrollment
    person: Person | None


@dataclass(frozen=True)
class ClassList:
    """Confirmed pupils of a course, for its teacher."""

    course: Course
    pupils: tuple[Pupil, ...]


@dataclass(frozen=True)
class PlannedCourse:
    """Course that a family considers for a person, priced before any request is made."""

    person_id: str
    course_id: str


class ConservatoireService:
    """Use cases over the ports, for one or more configured school years."""

    def __init__(
        self,
        *,
        years: Mapping[str, YearConfig],
        territory: Territory,
        households: HouseholdReader,
        quotients: QuotientReader,
        enrollments: EnrollmentStore,
        evaluations: EvaluationStore,
        events: EventPublisher,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._years = years
        self._territory = territory
        self._households = households
        self._quotients = quotients
        self._enrollments = enrollments
        self._evaluations = evaluations
        self._events = events
        self._clock = clock
        self._ids = ids

    def enroll(
        self, actor: Actor, *, school_year: str, course_id: str, person_id: str
    ) -> EnrollmentReceipt:
        """Request a place for a person of the caller's household, or a rank on the waiting list.

        Current pupils of the school may enroll from the re-enrollment window on, everyone else
        from the general window. The age is checked on the catalogue's reference date.
        """
        household_id = require_parent(actor)
        config = self._year(school_year)
        course = config.catalogue.course(course_id)
        household, person = self._person(household_id, person_id)

        now = self._clock.now()
        current_pupil = self._admit(config, course, person, now)
        request = rules.new_enrollment(
            enrollment_id=self._ids.new_id(),
            course=course,
            school_year=school_year,
            household_id=household_id,
            person_id=person_id,
            requested_at=now,
            requested_by=actor.user_id,
            current_pupil=current_pupil,
            policy=config.waiting_lists[course.school],
        )
        placement = self._enrollments.place(request, course.capacity)
        self._events.publish([rules.event_for(placement.enrollment, placement.rank)])
        quote = self._quote(config, household, [placement.enrollment], [])
        return EnrollmentReceipt(placement.enrollment, placement.rank, quote)

    def cancel(self, actor: Actor, *, enrollment_id: str) -> Enrollment:
        """Cancel an enrollment of the caller's household (parent) or school (agent).

        A freed place goes at once to the head of the waiting list.
        """
        stored = self._visible_enrollment(actor, enrollment_id)
        cancelled = rules.cancel(stored, actor_id=actor.user_id, at=self._clock.now())
        promoted = self._enrollments.end(cancelled, stored.status)
        self._events.publish(rules.events_for((cancelled, *promoted)))
        return cancelled

    def confirm(self, actor: Actor, *, enrollment_id: str) -> Enrollment:
        """Confirm, as an agent of the course's school, an enrollment that holds a place."""
        stored = self._visible_enrollment(actor, enrollment_id)
        require_agent_of(actor, stored.school)
        confirmed = rules.confirm(stored, agent_id=actor.user_id, at=self._clock.now())
        self._enrollments.update_status(confirmed, stored.status)
        self._events.publish([rules.event_for(confirmed)])
        return confirmed

    def refuse(self, actor: Actor, *, enrollment_id: str, reason: str) -> Enrollment:
        """Refuse, as an agent of the school, a requested, offered or waiting enrollment.

        The reason is sent to the family. A freed place goes to the head of the waiting list.
        """
        stored = self._visible_enrollment(actor, enrollment_id)
        require_agent_of(actor, stored.school)
        refused = rules.refuse(stored, agent_id=actor.user_id, reason=reason, at=self._clock.now())
        promoted = self._enrollments.end(refused, stored.status)
        self._events.publish(rules.events_for((refused, *promoted)))
        return refused

    def change_capacity(
        self, actor: Actor, *, school_year: str, course_id: str, capacity: int
    ) -> CapacityChange:
        """Set a course's capacity, as an agent of its school; new places go to the queue.

        The capacity goes from 0 to 500 places and cannot drop below the places held.
        """
        course = self._year(school_year).catalogue.course(course_id)
        require_agent_of(actor, course.school)
        rules.validate_capacity(capacity)

        change = self._enrollments.set_capacity(
            school_year,
            course_id,
            capacity=capacity,
            default_capacity=course.capacity,
            at=self._clock.now(),
        )
        self._events.publish(rules.events_for(change.promoted))
        return change

    def list_enrollments(self, actor: Actor, *, school_year: str) -> list[RankedEnrollment]:
        """List the enrollments of the caller's household, with the rank of waiting ones."""
        household_id = require_parent(actor)
        self._year(school_year)
        found = self._enrollments.list_for_household(household_id, school_year)
        return [RankedEnrollment(e, self._rank(e)) for e in found]

    def course_roster(self, actor: Actor, *, school_year: str, course_id: str) -> CourseRoster:
        """List a course's place holders and waiting list, for an agent of its school."""
        course = self._year(school_year).catalogue.course(course_id)
        require_agent_of(actor, course.school)
        seats = self._enrollments.seats(school_year, course_id, course.capacity)
        found = self._enrollments.list_for_course(school_year, course_id)
        holders = tuple(e for e in found if e.status.holds_place)
        waiting = tuple(rules.order_waiting_list(found))
        return CourseRoster(seats, holders, waiting, self._persons_of([*holders, *waiting]))

    def catalogue(self, *, school_year: str) -> CatalogueView:
        """Return both catalogues of the school year with each course's places and waiting list."""
        config = self._year(school_year)
        capacities = {course.course_id: course.capacity for course in _all_courses(config)}
        availability = self._enrollments.availability(school_year, capacities)
        return CatalogueView(config, availability, self._clock.now())

    def get_enrollment(self, actor: Actor, *, enrollment_id: str) -> RankedEnrollment:
        """Return an enrollment of the caller's household (parent) or school (agent)."""
        found = self._visible_enrollment(actor, enrollment_id)
        return RankedEnrollment(found, self._rank(found))

    def class_list(self, actor: Actor, *, school_year: str, course_id: str) -> ClassList:
        """List the confirmed pupils of a course, for the course's teacher only."""
        course = self._year(school_year).catalogue.course(course_id)
        require_teacher_of(actor, course)

        found = self._enrollments.list_for_course(school_year, course_id)
        confirmed = [e for e in found if e.status is rules.EnrollmentStatus.CONFIRMED]
        persons = self._persons_of(confirmed)
        pupils = tuple(Pupil(e, persons.get(e.person_id)) for e in confirmed)
        return ClassList(course, pupils)

    def quote(
        self, actor: Actor, *, school_year: str, planned: Sequence[PlannedCourse]
    ) -> FeeQuote:
        """Price the household's current enrollments together with the courses it plans.

        A planned course outside the person's age range is rejected as enrollment would be.
        """
        household_id = require_parent(actor)
        config = self._year(school_year)
        household = self._household(household_id)
        items = []
        for plan in planned:
            _, person = self._person(household_id, plan.person_id)
            course = config.catalogue.course(plan.course_id)
            _check_age(config, course, person)
            items.append(
                _quote_item(course, person_id=person.person_id, is_child=person.role == "child")
            )
        return self._quote(config, household, [], items)

    def post_evaluation(
        self,
        actor: Actor,
        *,
        key: EvaluationKey,
        appreciation: str,
        level_reached: str,
    ) -> Evaluation:
        """Post or amend, as the course's teacher, the term evaluation of a confirmed pupil."""
        course = self._year(key.school_year).catalogue.find(key.course_id)
        enrolled = self._enrollments.list_for_person(key.person_id, key.school_year)
        pupil = next((e for e in enrolled if _is_pupil_of(e, key.course_id)), None)
        require_evaluation_access(actor, EvaluationAction.POST, course=course, pupil=pupil)
        assert pupil is not None  # the policy allows posting only for an enrolled pupil

        evaluation = write_evaluation(
            self._evaluations.get(key),
            key=key,
            household_id=pupil.household_id,
            appreciation=appreciation,
            level_reached=level_reached,
            author_id=actor.user_id,
            at=self._clock.now(),
        )
        self._evaluations.save(evaluation)
        return evaluation

    def read_evaluation(self, actor: Actor, *, key: EvaluationKey) -> Evaluation:
        """Return one evaluation to a parent of the pupil's household or to the course's teacher.

        Anyone else gets the error of a missing evaluation, so that guessed keys reveal nothing.
        """
        config = self._year(key.school_year)
        evaluation = self._evaluations.get(key)
        course = config.catalogue.find(key.course_id)
        require_evaluation_access(
            actor, EvaluationAction.READ, course=course, evaluation=evaluation
        )
        assert evaluation is not None  # the policy allows reading only a stored evaluation
        return evaluation

    def list_my_evaluations(
        self, actor: Actor, *, school_year: str, person_id: str | None = None
    ) -> list[Evaluation]:
        """List the evaluations of the caller's household, or of one person of it, by term."""
        household_id = require_parent(actor)
        config = self._year(school_year)
        if person_id is not None:
            self._person(household_id, person_id)

        found = self._evaluations.list_for_household(household_id, school_year)
        courses = {c.course_id: c for c in _all_courses(config)}
        visible = visible_evaluations(actor, found, courses)
        chosen = [e for e in visible if person_id is None or e.key.person_id == person_id]
        return sorted(chosen, key=lambda e: (e.key.person_id, e.key.term, e.key.course_id))

    def _year(self, school_year: str) -> YearConfig:
        config = self._years.get(school_year)
        if config is None:
            raise SchoolYearNotFoundError(
                f"Aucun catalogue n'est publié pour l'année {school_year}.", field="school_year"
            )
        return config

    def _household(self, household_id: str) -> Household:
        household = self._households.get(household_id)
        if household is None:
            raise HouseholdNotFoundError(
                "Votre foyer n'est pas encore enregistré : complétez votre profil."
            )
        return household

    def _person(self, household_id: str, person_id: str) -> tuple[Household, Person]:
        household = self._household(household_id)
        person = household.person(person_id)
        if person is None:
            raise PersonNotFoundError(
                f"La personne {person_id!r} ne fait pas partie de votre foyer.", field="person_id"
            )
        return household, person

    def _persons_of(self, enrollments: Sequence[Enrollment]) -> dict[str, Person]:
        """Map the person id of each enrollment to its entry in the stored household profile."""
        wanted = {(e.household_id, e.person_id) for e in enrollments}
        persons: dict[str, Person] = {}
        for household_id in sorted({household_id for household_id, _ in wanted}):
            household = self._households.get(household_id)
            if household is None:
                continue
            for person in household.persons:
                if (household_id, person.person_id) in wanted:
                    persons[person.person_id] = person
        return persons

    def _visible_enrollment(self, actor: Actor, enrollment_id: str) -> Enrollment:
        # Another household's enrollment raises the same error as a missing one, so that
        # enrollment ids cannot be probed.
        found = self._enrollments.get(enrollment_id)
        if found is None or not (
            actor.is_parent_of(found.household_id) or actor.is_agent_of(found.school)
        ):
            raise EnrollmentNotFoundError(
                f"L'inscription {enrollment_id!r} n'existe pas.", field="enrollment_id"
            )
        return found

    def _admit(self, config: YearConfig, course: Course, person: Person, now: datetime) -> bool:
        """Raise unless the person may enroll in the course now; return if a current pupil."""
        previous_year = previous_school_year(config.school_year)
        previous = self._enrollments.list_for_person(person.person_id, previous_year)
        current_pupil = rules.is_current_pupil(previous, course.school)
        require_enrollment_open(config.windows[course.school], now, current_pupil=current_pupil)
        _check_age(config, course, person)
        return current_pupil

    def _rank(self, enrollment: Enrollment) -> int | None:
        if enrollment.status is not rules.EnrollmentStatus.WAITING:
            return None
        return self._enrollments.waiting_rank(enrollment)

    def _quote(
        self,
        config: YearConfig,
        household: Household,
        subjects: Iterable[Enrollment],
        planned: Sequence[QuoteItem],
    ) -> FeeQuote:
        """Price the household's place-holding enrollments, ``subjects`` and ``planned``.

        ``subjects`` are priced even while they wait, so that the family gets the price of a
        place before an agent confirms it.
        """
        stored = self._enrollments.list_for_household(household.household_id, config.school_year)
        priced = {e.enrollment_id: e for e in stored if e.status.holds_place}
        priced.update({e.enrollment_id: e for e in subjects})

        items = [_enrollment_item(config, household, e) for e in priced.values()]
        return quote_fees(
            config.fees,
            [*items, *planned],
            quotient_familial=self._quotients.quotient_familial(
                household.household_id, config.school_year
            ),
            resident=is_resident(self._territory, household.commune_insee),
        )


def _check_age(config: YearConfig, course: Course, person: Person) -> None:
    age = config.catalogue.age_of(person.birth_date)
    if not course.ages.contains(age):
        raise AgeOutOfRangeError(
            f"Le cours {course.discipline} ({course.level_label}) est ouvert {course.ages.label} "
            f"au {config.catalogue.age_reference_date:%d/%m/%Y} ; "
            f"{person.first_name} aura alors {age} ans.",
            field="person_id",
            details={"age": age, "minimum": course.ages.minimum, "maximum": course.ages.maximum},
        )


def _is_pupil_of(enrollment: Enrollment, course_id: str) -> bool:
    confirmed = enrollment.status is rules.EnrollmentStatus.CONFIRMED
    return confirmed and enrollment.course_id == course_id


def _all_courses(config: YearConfig) -> list[Course]:
    return [c for catalogue in config.catalogue.catalogues.values() for c in catalogue.courses]


def _quote_item(
    course: Course, *, person_id: str, is_child: bool, enrollment_id: str | None = None
) -> QuoteItem:
    return QuoteItem(
        person_id=person_id,
        is_child=is_child,
        course_id=course.course_id,
        course_type=course.course_type,
        label=f"{course.discipline} ({course.level_label})",
        enrollment_id=enrollment_id,
    )


def _enrollment_item(config: YearConfig, household: Household, enrollment: Enrollment) -> QuoteItem:
    person = household.person(enrollment.person_id)
    # A person who has left the household since enrolling loses the child reduction.
    is_child = person is not None and person.role == "child"
    return _quote_item(
        config.catalogue.course(enrollment.course_id),
        person_id=enrollment.person_id,
        is_child=is_child,
        enrollment_id=enrollment.enrollment_id,
    )
