from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from demarches.conservatoire import enrollment as rules
from demarches.conservatoire.actors import Actor
from demarches.conservatoire.catalogue import Course, School
from demarches.conservatoire.config import YearConfig
from demarches.conservatoire.enrollment import Enrollment, EnrollmentStatus, WaitingListPolicy
from demarches.conservatoire.errors import (
    EvaluationForbiddenError,
    EvaluationInvalidError,
    EvaluationNotFoundError,
    PupilNotFoundError,
)
from demarches.conservatoire.evaluations import (
    MAX_APPRECIATION_LENGTH,
    MAX_LEVEL_LENGTH,
    Access,
    Evaluation,
    EvaluationAction,
    EvaluationKey,
    Term,
    evaluation_access,
    require_evaluation_access,
    visible_evaluations,
    write_evaluation,
)

T0 = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
POST = EvaluationAction.POST
READ = EvaluationAction.READ

VIOLIN_TEACHER = Actor.teacher("user-rousseau", "ens-rousseau")
PIANO_TEACHER = Actor.teacher("user-lambert", "ens-lambert")
MARTIN = Actor.parent("user-martin", "foyer-martin")
DURAND = Actor.parent("user-durand", "foyer-durand")
AGENT = Actor.agent("agent-cons", frozenset({School.CONSERVATOIRE}))


@pytest.fixture
def violin(config: YearConfig) -> Course:
    return config.catalogue.course("cons-violon-c1")


@pytest.fixture
def piano(config: YearConfig) -> Course:
    return config.catalogue.course("cons-piano-c1")


def pupil_of(course: Course, status: EnrollmentStatus = EnrollmentStatus.CONFIRMED) -> Enrollment:
    made = rules.new_enrollment(
        enrollment_id="ins-lea",
        course=course,
        school_year="2026-2027",
        household_id="foyer-martin",
        person_id="lea",
        requested_at=T0 - timedelta(days=180),
        requested_by="user-martin",
        current_pupil=False,
        policy=WaitingListPolicy(),
    )
    return replace(made, status=status)


def evaluation_of(course: Course, household_id: str = "foyer-martin") -> Evaluation:
    key = EvaluationKey("2026-2027", course.course_id, "lea", Term.TRIMESTRE_1)
    return write_evaluation(
        None,
        key=key,
        household_id=household_id,
        appreciation="Bonne tenue de l'archet.",
        level_reached="Cycle 1, année 1",
        author_id="user-rousseau",
        at=T0,
    )


def test_course_teacher_may_post_for_confirmed_pupil(violin: Course) -> None:
    decision = evaluation_access(VIOLIN_TEACHER, POST, course=violin, pupil=pupil_of(violin))
    assert decision.allowed


def test_teacher_of_another_class_may_not_post(violin: Course) -> None:
    decision = evaluation_access(PIANO_TEACHER, POST, course=violin, pupil=pupil_of(violin))
    assert decision.access is Access.FORBIDDEN
    assert decision.reason == "not_course_teacher"


def test_teacher_cannot_post_for_pupil_of_another_course(violin: Course, piano: Course) -> None:
    decision = evaluation_access(PIANO_TEACHER, POST, course=piano, pupil=pupil_of(violin))
    assert decision.access is Access.NOT_FOUND
    assert decision.reason == "pupil_not_enrolled"


def test_guessed_person_id_is_not_found(violin: Course) -> None:
    decision = evaluation_access(VIOLIN_TEACHER, POST, course=violin, pupil=None)
    assert decision.access is Access.NOT_FOUND
    assert decision.reason == "pupil_not_enrolled"


def test_guessed_course_id_is_not_found() -> None:
    decision = evaluation_access(VIOLIN_TEACHER, POST, course=None, pupil=None)
    assert decision.access is Access.NOT_FOUND
    assert decision.reason == "course_not_found"


@pytest.mark.parametrize(
    "status",
    [
        EnrollmentStatus.REQUESTED,
        EnrollmentStatus.WAITING,
        EnrollmentStatus.OFFERED,
        EnrollmentStatus.CANCELLED,
        EnrollmentStatus.REFUSED,
    ],
)
def test_unconfirmed_pupil_cannot_be_evaluated(violin: Course, status: EnrollmentStatus) -> None:
    decision = evaluation_access(
        VIOLIN_TEACHER, POST, course=violin, pupil=pupil_of(violin, status)
    )
    assert decision.access is Access.NOT_FOUND


@pytest.mark.parametrize("actor", [MARTIN, AGENT], ids=["parent", "agent"])
def test_only_teachers_may_post(violin: Course, actor: Actor) -> None:
    decision = evaluation_access(actor, POST, course=violin, pupil=pupil_of(violin))
    assert decision.access is Access.FORBIDDEN
    assert decision.reason == "role_not_teacher"


def test_teacher_check_comes_before_pupil_check(violin: Course) -> None:
    # Another teacher learns nothing about who is enrolled: same decision with or without pupil.
    with_pupil = evaluation_access(PIANO_TEACHER, POST, course=violin, pupil=pupil_of(violin))
    without = evaluation_access(PIANO_TEACHER, POST, course=violin, pupil=None)
    assert with_pupil == without


def test_parent_reads_own_household_evaluation(violin: Course) -> None:
    assert evaluation_access(MARTIN, READ, course=violin, evaluation=evaluation_of(violin)).allowed


def test_another_family_cannot_read_evaluation(violin: Course) -> None:
    decision = evaluation_access(DURAND, READ, course=violin, evaluation=evaluation_of(violin))
    assert decision.access is Access.NOT_FOUND
    assert decision.reason == "other_household"


def test_another_family_gets_same_answer_as_missing(violin: Course) -> None:
    other = evaluation_access(DURAND, READ, course=violin, evaluation=evaluation_of(violin))
    missing = evaluation_access(DURAND, READ, course=violin, evaluation=None)
    assert other.access is missing.access


def test_course_teacher_reads_class_evaluation(violin: Course) -> None:
    decision = evaluation_access(
        VIOLIN_TEACHER, READ, course=violin, evaluation=evaluation_of(violin)
    )
    assert decision.allowed


def test_other_teacher_cannot_read_class_evaluation(violin: Course) -> None:
    decision = evaluation_access(
        PIANO_TEACHER, READ, course=violin, evaluation=evaluation_of(violin)
    )
    assert decision.access is Access.NOT_FOUND


def test_teacher_read_needs_matching_course(violin: Course, piano: Course) -> None:
    # The piano teacher passes the piano course, but the evaluation is of the violin course.
    decision = evaluation_access(
        PIANO_TEACHER, READ, course=piano, evaluation=evaluation_of(violin)
    )
    assert decision.access is Access.NOT_FOUND


def test_agent_cannot_read_evaluations(violin: Course) -> None:
    decision = evaluation_access(AGENT, READ, course=violin, evaluation=evaluation_of(violin))
    assert decision.access is Access.FORBIDDEN


def test_require_access_raises_forbidden_for_other_teacher(violin: Course) -> None:
    with pytest.raises(EvaluationForbiddenError) as caught:
        require_evaluation_access(PIANO_TEACHER, POST, course=violin, pupil=pupil_of(violin))
    assert caught.value.code == "evaluation_forbidden"


def test_require_access_raises_pupil_not_found_on_post(violin: Course) -> None:
    with pytest.raises(PupilNotFoundError) as caught:
        require_evaluation_access(VIOLIN_TEACHER, POST, course=violin, pupil=None)
    assert caught.value.code == "pupil_not_found"


def test_require_access_raises_evaluation_not_found_on_read(violin: Course) -> None:
    with pytest.raises(EvaluationNotFoundError):
        require_evaluation_access(DURAND, READ, course=violin, evaluation=evaluation_of(violin))


def test_visible_evaluations_keeps_own_household(violin: Course) -> None:
    own = evaluation_of(violin)
    other = evaluation_of(violin, household_id="foyer-durand")
    visible = visible_evaluations(MARTIN, [own, other], {violin.course_id: violin})
    assert visible == [own]


def test_write_evaluation_creates_with_author(violin: Course) -> None:
    made = evaluation_of(violin)
    assert made.posted_by == "user-rousseau"
    assert made.posted_at == T0
    assert made.amended_by is None


def test_write_evaluation_amends_keeping_first_author(violin: Course) -> None:
    first = evaluation_of(violin)
    amended = write_evaluation(
        first,
        key=first.key,
        household_id="ignored",
        appreciation="  Archet plus souple.  ",
        level_reached="Cycle 1, année 2",
        author_id="user-remplacant",
        at=T0 + timedelta(days=3),
    )
    assert amended.posted_by == "user-rousseau"
    assert amended.posted_at == T0
    assert amended.amended_by == "user-remplacant"
    assert amended.amended_at == T0 + timedelta(days=3)
    assert amended.appreciation == "Archet plus souple."
    assert amended.household_id == "foyer-martin"


@pytest.mark.parametrize(
    ("appreciation", "level", "field"),
    [
        ("", "Cycle 1", "appreciation"),
        ("x" * (MAX_APPRECIATION_LENGTH + 1), "Cycle 1", "appreciation"),
        ("Bien.", "  ", "level_reached"),
        ("Bien.", "x" * (MAX_LEVEL_LENGTH + 1), "level_reached"),
    ],
)
def test_write_evaluation_rejects_empty_or_long_text(
    violin: Course, appreciation: str, level: str, field: str
) -> None:
    with pytest.raises(EvaluationInvalidError) as caught:
        write_evaluation(
            None,
            key=EvaluationKey("2026-2027", violin.course_id, "lea", Term.TRIMESTRE_2),
            household_id="foyer-martin",
            appreciation=appreciation,
            level_reached=level,
            author_id="user-rousseau",
            at=T0,
        )
    assert caught.value.field == field


def test_write_evaluation_accepts_maximum_lengths(violin: Course) -> None:
    made = write_evaluation(
        None,
        key=EvaluationKey("2026-2027", violin.course_id, "lea", Term.TRIMESTRE_3),
        household_id="foyer-martin",
        appreciation="x" * MAX_APPRECIATION_LENGTH,
        level_reached="y" * MAX_LEVEL_LENGTH,
        author_id="user-rousseau",
        at=T0,
    )
    assert len(made.appreciation) == MAX_APPRECIATION_LENGTH
