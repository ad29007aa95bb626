"""Errors of the conservatoire and atelier d'art démarche, each in a shared family with a code.

Messages reach families, teachers and agents, so they are in French.
"""

from __future__ import annotations

from demarches.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidRequestError,
    NotFoundError,
)


class SchoolYearNotFoundError(NotFoundError):
    """No catalogue is configured for the requested school year."""

    code = "school_year_not_found"


class CourseNotFoundError(NotFoundError):
    """The course id is in no catalogue of the school year."""

    code = "course_not_found"


class HouseholdNotFoundError(NotFoundError):
    """The caller's household profile is missing."""

    code = "household_not_found"


class PersonNotFoundError(NotFoundError):
    """The person is not in the caller's household, or does not exist."""

    code = "person_not_found"


class EnrollmentNotFoundError(NotFoundError):
    """The enrollment does not exist, or belongs to a household the caller may not see."""

    code = "enrollment_not_found"


class AgeOutOfRangeError(InvalidRequestError):
    """The person's age on the catalogue's reference date is outside the course's age range."""

    code = "age_out_of_range"


class EnrollmentAlreadyExistsError(ConflictError):
    """The person already has an active enrollment (holding a place or waiting) in the course."""

    code = "enrollment_already_exists"


class EnrollmentStatusConflictError(ConflictError):
    """The enrollment's current status does not allow the requested change."""

    code = "enrollment_status_conflict"


class RefusalReasonInvalidError(InvalidRequestError):
    """A refusal has no reason, or a reason longer than the maximum length."""

    code = "refusal_reason_invalid"


class CapacityInvalidError(InvalidRequestError):
    """A course capacity is negative or above the maximum."""

    code = "capacity_invalid"


class CapacityBelowPlacesHeldError(ConflictError):
    """A new capacity is lower than the number of places already held in the course."""

    code = "capacity_below_places_held"


class ActionForbiddenError(ForbiddenError):
    """The caller's role, or the school the caller works for, does not allow this action."""

    code = "action_forbidden"


class EnrollmentNotOpenError(ConflictError):
    """No enrollment window of the school is open yet at this instant."""

    code = "enrollment_not_open"


class ReenrollmentReservedError(ForbiddenError):
    """Only current pupils may enroll while the re-enrollment window alone is open."""

    code = "reenrollment_reserved_for_current_pupils"


class EnrollmentClosedError(GoneError):
    """The general enrollment window of the school year has closed."""

    code = "enrollment_closed"


class EvaluationForbiddenError(ForbiddenError):
    """The caller is not the teacher of the course that the evaluation is for."""

    code = "evaluation_forbidden"


class PupilNotFoundError(NotFoundError):
    """The person has no confirmed enrollment in the course, or the caller may not know it."""

    code = "pupil_not_found"


class EvaluationNotFoundError(NotFoundError):
    """The evaluation does not exist, or the caller may not know that it exists."""

    code = "evaluation_not_found"


class EvaluationChangedError(ConflictError):
    """Another request created the same evaluation between this request's read and its write."""

    code = "evaluation_changed"


class EvaluationInvalidError(InvalidRequestError):
    """An appreciation or a level reached is empty or longer than its maximum length."""

    code = "evaluation_invalid"
