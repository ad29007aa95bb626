"""Term evaluations of pupils, and who may post, amend or read them.

A teacher posts one evaluation per pupil, course and term: an appreciation and the level
reached. Only the teacher of the course, as named in the catalogue, may post or amend it. A
parent reads only the evaluations of the persons of their own household. Agents have no access
to evaluations.

The access policy returns "not found" whenever a "forbidden" would confirm that a pupil or an
evaluation exists, so that guessed ids reveal nothing. The one exception is a teacher posting
into another teacher's course: the catalogue is public, so "forbidden" reveals nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from .actors import Actor, Role
from .catalogue import Course
from .enrollment import Enrollment, EnrollmentStatus
from .errors import (
    EvaluationForbiddenError,
    EvaluationInvalidError,
    EvaluationNotFoundError,
    PupilNotFoundError,
)

MAX_APPRECIATION_LENGTH = 2000
MAX_LEVEL_LENGTH = 120


class Term(StrEnum):
    """Term of the school year; the conservatoire and the atelier d'art both count three."""

    TRIMESTRE_1 = "trimestre_1"
    TRIMESTRE_2 = "trimestre_2"
    TRIMESTRE_3 = "trimestre_3"


@dataclass(frozen=True)
class EvaluationKey:
    """Identity of an evaluation: one per pupil, course and term of a school year."""

    school_year: str
    course_id: str
    person_id: str
    term: Term


@dataclass(frozen=True)
class Evaluation:
    """Evaluation of a pupil, with its first author and its latest amendment.

    ``household_id`` is copied from the pupil's enrollment so that a parent's query can be
    limited to their own household.
    """

    key: EvaluationKey
    household_id: str
    appreciation: str
    level_reached: str
    posted_by: str
    posted_at: datetime
    amended_by: str | None = None
    amended_at: datetime | None = None


class EvaluationAction(StrEnum):
    POST = "post"  # create, or amend an existing evaluation
    READ = "read"


class Access(StrEnum):
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class AccessDecision:
    """Decision of the access policy and its stable reason code."""

    access: Access
    reason: str

    @property
    def allowed(self) -> bool:
        return self.access is Access.ALLOWED


_ALLOWED = AccessDecision(Access.ALLOWED, "allowed")


def evaluation_access(
    actor: Actor,
    action: EvaluationAction,
    *,
    course: Course | None,
    pupil: Enrollment | None = None,
    evaluation: Evaluation | None = None,
) -> AccessDecision:
    """Decide whether ``actor`` may post or read an evaluation of ``course``.

    Posting needs the course teacher and a ``pupil`` enrollment confirmed in that course.
    Reading needs the stored ``evaluation``, and either the parent of its household or the
    teacher of its course. ``course`` is None when the requested course id is unknown.
    """
    if action is EvaluationAction.POST:
        return _post_access(actor, course, pupil)
    return _read_access(actor, course, evaluation)


def _post_access(actor: Actor, course: Course | None, pupil: Enrollment | None) -> AccessDecision:
    if actor.role is not Role.TEACHER:
        return AccessDecision(Access.FORBIDDEN, "role_not_teacher")
    if course is None:
        return AccessDecision(Access.NOT_FOUND, "course_not_found")
    if course.teacher.teacher_id != actor.teacher_id:
        return AccessDecision(Access.FORBIDDEN, "not_course_teacher")
    if (
        pupil is None
        or pupil.course_id != course.course_id
        or pupil.status is not EnrollmentStatus.CONFIRMED
    ):
        return AccessDecision(Access.NOT_FOUND, "pupil_not_enrolled")
    return _ALLOWED


def _read_access(
    actor: Actor, course: Course | None, evaluation: Evaluation | None
) -> AccessDecision:
    if actor.role is Role.AGENT:
        return AccessDecision(Access.FORBIDDEN, "role_without_access")
    if evaluation is None:
        return AccessDecision(Access.NOT_FOUND, "evaluation_not_found")
    if actor.role is Role.PARENT:
        if actor.household_id == evaluation.household_id:
            return _ALLOWED
        return AccessDecision(Access.NOT_FOUND, "other_household")
    if course is None or course.course_id != evaluation.key.course_id:
        return AccessDecision(Access.NOT_FOUND, "course_not_found")
    if course.teacher.teacher_id == actor.teacher_id:
        return _ALLOWED
    return AccessDecision(Access.NOT_FOUND, "not_course_teacher")


def require_evaluation_access(
    actor: Actor,
    action: EvaluationAction,
    *,
    course: Course | None,
    pupil: Enrollment | None = None,
    evaluation: Evaluation | None = None,
) -> None:
    """Raise the error matching the decision of ``evaluation_access`` unless it allows."""
    decision = evaluation_access(actor, action, course=course, pupil=pupil, evaluation=evaluation)
    if decision.access is Access.FORBIDDEN:
        raise EvaluationForbiddenError(
            "Seul l'enseignant du cours peut publier ou modifier cette évaluation.",
            details={"reason": decision.reason},
        )
    if decision.access is Access.NOT_FOUND and action is EvaluationAction.POST:
        raise PupilNotFoundError("Cet élève n'est pas inscrit à ce cours.", field="person_id")
    if decision.access is Access.NOT_FOUND:
        raise EvaluationNotFoundError("Cette évaluation n'existe pas.")


def visible_evaluations(
    actor: Actor, evaluations: Iterable[Evaluation], courses: Mapping[str, Course]
) -> list[Evaluation]:
    """Keep the evaluations that ``actor`` may read; ``courses`` maps course ids to courses."""
    return [
        evaluation
        for evaluation in evaluations
        if evaluation_access(
            actor,
            EvaluationAction.READ,
            course=courses.get(evaluation.key.course_id),
            evaluation=evaluation,
        ).allowed
    ]


def write_evaluation(
    existing: Evaluation | None,
    *,
    key: EvaluationKey,
    household_id: str,
    appreciation: str,
    level_reached: str,
    author_id: str,
    at: datetime,
) -> Evaluation:
    """Build a new evaluation, or amend ``existing`` while keeping its first author and date.

    ``author_id`` is the user id of the teacher, recorded for the audit trail.

    The appreciation contains 1 to 2,000 characters and the level reached 1 to 120, after
    surrounding spaces are removed.
    """
    text = _checked_text(appreciation, "appreciation", MAX_APPRECIATION_LENGTH)
    level = _checked_text(level_reached, "level_reached", MAX_LEVEL_LENGTH)
    instant = at.astimezone(UTC)
    if existing is None:
        return Evaluation(key, household_id, text, level, posted_by=author_id, posted_at=instant)
    return Evaluation(
        key,
        existing.household_id,
        text,
        level,
        posted_by=existing.posted_by,
        posted_at=existing.posted_at,
        amended_by=author_id,
        amended_at=instant,
    )


def _checked_text(value: str, field: str, maximum: int) -> str:
    text = value.strip()
    if not text or len(text) > maximum:
        raise EvaluationInvalidError(
            f"Le champ {field} est obligatoire et ne dépasse pas {maximum} caractères.",
            field=field,
            details={"length": len(text), "maximum": maximum},
        )
    return text
