"""Callers of the conservatoire use cases: parents, agents of a school, and teachers.

The HTTP edge builds an ``Actor`` from the verified identity token. The use cases never trust
an id sent in a request body for these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .catalogue import Course, School
from .errors import ActionForbiddenError


class Role(StrEnum):
    PARENT = "parent"
    AGENT = "agent"
    TEACHER = "teacher"


@dataclass(frozen=True)
class Actor:
    """Authenticated caller.

    ``household_id`` is set for parents, ``schools`` for agents (the services they work for),
    and ``teacher_id`` for teachers, matching the teacher ids of the catalogue.
    """

    user_id: str
    role: Role
    household_id: str | None = None
    schools: frozenset[School] = field(default_factory=frozenset)
    teacher_id: str | None = None

    @classmethod
    def parent(cls, user_id: str, household_id: str) -> Actor:
        return cls(user_id=user_id, role=Role.PARENT, household_id=household_id)

    @classmethod
    def agent(cls, user_id: str, schools: frozenset[School]) -> Actor:
        return cls(user_id=user_id, role=Role.AGENT, schools=schools)

    @classmethod
    def teacher(cls, user_id: str, teacher_id: str) -> Actor:
        return cls(user_id=user_id, role=Role.TEACHER, teacher_id=teacher_id)

    def is_agent_of(self, school: School) -> bool:
        return self.role is Role.AGENT and school in self.schools

    def is_parent_of(self, household_id: str) -> bool:
        return self.role is Role.PARENT and self.household_id == household_id


def require_parent(actor: Actor) -> str:
    """Return the parent's household id, or raise ActionForbiddenError for any other role."""
    if actor.role is not Role.PARENT or actor.household_id is None:
        raise ActionForbiddenError("Cette action est réservée aux familles.")
    return actor.household_id


def require_agent_of(actor: Actor, school: School) -> None:
    if not actor.is_agent_of(school):
        raise ActionForbiddenError(
            f"Cette action est réservée aux agents du service {school.value}.",
            details={"school": school.value},
        )


def require_teacher_of(actor: Actor, course: Course) -> None:
    """Raise ActionForbiddenError unless the caller is the course's teacher in the catalogue."""
    if actor.role is not Role.TEACHER or actor.teacher_id != course.teacher.teacher_id:
        raise ActionForbiddenError(
            "Cette action est réservée à l'enseignant du cours.",
            details={"course_id": course.course_id},
        )
