"""Conservatoire de musique and atelier d'art routes: catalogue, enrollments, fees, evaluations.

Families act on their own household (the token's household claim), agents of the
``conservatoire_agent`` role on both schools, and teachers (``teacher`` role) on the courses
of their catalogue teacher id (the token's teacher claim).
"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from demarches.errors import ForbiddenError, InvalidRequestError

from .http import Call, Param, endpoint, logger

conservatoire = Blueprint(__name__)

TAG = "conservatoire"
AGENT_ROLE = "conservatoire_agent"
TEACHER_ROLE = "teacher"
_API = "demarches.conservatoire.api"

_YEAR = Param("school_year", "path", "School year, YYYY-YYYY, such as 2026-2027.", required=True)
_COURSE = Param("course_id", "path", "Course id from the catalogue.", required=True)
_ENROLLMENT = Param(
    "enrollment_id", "path", "Enrollment id (number of the request).", required=True
)
_PERSON = Param("person_id", "path", "Person id of the pupil.", required=True)
_TERM = Param(
    "term",
    "path",
    "Term of the school year.",
    required=True,
    schema={"type": "string", "enum": ["trimestre_1", "trimestre_2", "trimestre_3"]},
)
_PERSON_FILTER = Param("person_id", "query", "Only this person of your household.")


def _service() -> Any:
    from demarches.bootstrap import conservatoire_service

    return conservatoire_service()


def _parent(call: Call) -> Any:
    from demarches.conservatoire.actors import Actor

    return Actor.parent(call.identity.subject, call.identity.require_household())


def _agent(call: Call) -> Any:
    from demarches.conservatoire.actors import Actor
    from demarches.conservatoire.catalogue import School

    call.identity.require_role(AGENT_ROLE)
    return Actor.agent(call.identity.subject, frozenset(School))


def _teacher(call: Call) -> Any:
    from demarches.conservatoire.actors import Actor

    call.identity.require_role(TEACHER_ROLE)
    if not call.identity.teacher_id:
        raise ForbiddenError(
            "this teacher account is not linked to a teacher of the catalogue: the "
            "conservatoire must set its teacher id",
            code="teacher_id_required",
        )
    return Actor.teacher(call.identity.subject, call.identity.teacher_id)


def _parent_or_agent(call: Call) -> Any:
    return _agent(call) if AGENT_ROLE in call.identity.roles else _parent(call)


def _parent_or_teacher(call: Call) -> Any:
    return _teacher(call) if TEACHER_ROLE in call.identity.roles else _parent(call)


def _evaluation_key(call: Call) -> Any:
    from demarches.conservatoire.evaluations import EvaluationKey, Term

    term = call.path["term"]
    if term not in {t.value for t in Term}:
        raise InvalidRequestError(
            f"term {term!r} must be one of trimestre_1, trimestre_2, trimestre_3",
            field="term",
            code="term_invalid",
        )
    return EvaluationKey(
        school_year=call.path["school_year"],
        course_id=call.path["course_id"],
        person_id=call.path["person_id"],
        term=Term(term),
    )


def _log(message: str, **ids: Any) -> None:
    logger.info(message, extra={**ids, "demarche": TAG})


# Public catalogue and families


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/catalogue",
    "GET",
    summary="Courses of the conservatoire and the atelier d'art, with places left",
    tag=TAG,
    response=f"{_API}:CatalogueOut",
    auth=False,
    params=(_YEAR,),
    errors=(404,),
)
def get_catalogue(call: Call) -> Any:
    from demarches.conservatoire.api import CatalogueOut

    return CatalogueOut.of(_service().catalogue(school_year=call.path["school_year"]))


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/quote",
    "POST",
    summary="Annual fees of your household's courses and of the courses you plan",
    tag=TAG,
    request=f"{_API}:QuoteRequest",
    response=f"{_API}:FeeQuoteOut",
    params=(_YEAR,),
    errors=(403, 404),
)
def quote_fees(call: Call) -> Any:
    from demarches.conservatoire.api import FeeQuoteOut
    from demarches.conservatoire.usecases import PlannedCourse

    planned = [PlannedCourse(p.person_id, p.course_id) for p in call.body.planned]
    quote = _service().quote(_parent(call), school_year=call.path["school_year"], planned=planned)
    return FeeQuoteOut.of(quote)


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/enrollments",
    "POST",
    summary="Request a place for a member of your household, or a rank on the waiting list",
    tag=TAG,
    request=f"{_API}:EnrollmentCreate",
    response=f"{_API}:EnrollmentReceiptOut",
    status=201,
    params=(_YEAR,),
    errors=(403, 404, 409, 410, 422),
)
def create_enrollment(call: Call) -> Any:
    from demarches.conservatoire.api import EnrollmentOut, EnrollmentReceiptOut, FeeQuoteOut

    receipt = _service().enroll(
        _parent(call),
        school_year=call.path["school_year"],
        course_id=call.body.course_id,
        person_id=call.body.person_id,
    )
    enrollment = receipt.enrollment
    _log("enrollment requested", enrollment_id=enrollment.enrollment_id, status=enrollment.status)
    body = EnrollmentReceiptOut(
        enrollment=EnrollmentOut.of(enrollment, receipt.rank), quote=FeeQuoteOut.of(receipt.quote)
    )
    return Response(
        body=body.model_dump(mode="json"),
        status_code=201,
        headers={
            "Content-Type": "application/json",
            "Location": f"/conservatoire/enrollments/{enrollment.enrollment_id}",
        },
    )


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/enrollments",
    "GET",
    summary="List your household's enrollments of a school year",
    tag=TAG,
    response=f"{_API}:EnrollmentList",
    params=(_YEAR,),
    errors=(403, 404),
)
def list_enrollments(call: Call) -> Any:
    from demarches.conservatoire.api import EnrollmentList, EnrollmentOut

    year = call.path["school_year"]
    found = _service().list_enrollments(_parent(call), school_year=year)
    return EnrollmentList(school_year=year, enrollments=[EnrollmentOut.ranked(r) for r in found])


@endpoint(
    conservatoire,
    "/conservatoire/enrollments/{enrollment_id}",
    "GET",
    summary="Read an enrollment of your household (families) or of the schools (agents)",
    tag=TAG,
    response=f"{_API}:EnrollmentOut",
    params=(_ENROLLMENT,),
    errors=(403, 404),
)
def get_enrollment(call: Call) -> Any:
    from demarches.conservatoire.api import EnrollmentOut

    actor = _parent_or_agent(call)
    found = _service().get_enrollment(actor, enrollment_id=call.path["enrollment_id"])
    return EnrollmentOut.ranked(found)


@endpoint(
    conservatoire,
    "/conservatoire/enrollments/{enrollment_id}",
    "DELETE",
    summary="Cancel an enrollment; a freed place goes to the head of the waiting list",
    tag=TAG,
    response=f"{_API}:EnrollmentOut",
    params=(_ENROLLMENT,),
    errors=(403, 404, 409),
)
def cancel_enrollment(call: Call) -> Any:
    from demarches.conservatoire.api import EnrollmentOut

    actor = _parent_or_agent(call)
    cancelled = _service().cancel(actor, enrollment_id=call.path["enrollment_id"])
    _log("enrollment cancelled", enrollment_id=cancelled.enrollment_id)
    return EnrollmentOut.of(cancelled)


# Agents


@endpoint(
    conservatoire,
    "/conservatoire/enrollments/{enrollment_id}/confirm",
    "POST",
    summary="Confirm an enrollment that holds a place (conservatoire agents)",
    tag=TAG,
    response=f"{_API}:EnrollmentOut",
    params=(_ENROLLMENT,),
    errors=(403, 404, 409),
)
def confirm_enrollment(call: Call) -> Any:
    from demarches.conservatoire.api import EnrollmentOut

    confirmed = _service().confirm(_agent(call), enrollment_id=call.path["enrollment_id"])
    _log("enrollment confirmed", enrollment_id=confirmed.enrollment_id)
    return EnrollmentOut.of(confirmed)


@endpoint(
    conservatoire,
    "/conservatoire/enrollments/{enrollment_id}/refuse",
    "POST",
    summary="Refuse an enrollment with a reason sent to the family (conservatoire agents)",
    tag=TAG,
    request=f"{_API}:RefusalCreate",
    response=f"{_API}:EnrollmentOut",
    params=(_ENROLLMENT,),
    errors=(403, 404, 409),
)
def refuse_enrollment(call: Call) -> Any:
    from demarches.conservatoire.api import EnrollmentOut

    refused = _service().refuse(
        _agent(call), enrollment_id=call.path["enrollment_id"], reason=call.body.reason
    )
    _log("enrollment refused", enrollment_id=refused.enrollment_id)
    return EnrollmentOut.of(refused)


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/courses/{course_id}/capacity",
    "PUT",
    summary="Set a course's capacity; new places go to the waiting list (conservatoire agents)",
    tag=TAG,
    request=f"{_API}:CapacityUpdate",
    response=f"{_API}:CapacityChangeOut",
    params=(_YEAR, _COURSE),
    errors=(403, 404, 409),
)
def set_capacity(call: Call) -> Any:
    from demarches.conservatoire.api import CapacityChangeOut

    change = _service().change_capacity(
        _agent(call),
        school_year=call.path["school_year"],
        course_id=call.path["course_id"],
        capacity=call.body.capacity,
    )
    _log(
        "course capacity changed",
        course_id=call.path["course_id"],
        capacity=change.seats.capacity,
        promoted=len(change.promoted),
    )
    return CapacityChangeOut.of(change)


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/courses/{course_id}/roster",
    "GET",
    summary="Place holders and waiting list of a course (conservatoire agents)",
    tag=TAG,
    response=f"{_API}:RosterOut",
    params=(_YEAR, _COURSE),
    errors=(403, 404),
)
def get_roster(call: Call) -> Any:
    from demarches.conservatoire.api import RosterOut

    roster = _service().course_roster(
        _agent(call), school_year=call.path["school_year"], course_id=call.path["course_id"]
    )
    return RosterOut.of(roster)


# Teachers and evaluations


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/courses/{course_id}/pupils",
    "GET",
    summary="Confirmed pupils of one of your courses (teachers)",
    tag=TAG,
    response=f"{_API}:ClassListOut",
    params=(_YEAR, _COURSE),
    errors=(403, 404),
)
def list_pupils(call: Call) -> Any:
    from demarches.conservatoire.api import ClassListOut

    year = call.path["school_year"]
    found = _service().class_list(
        _teacher(call), school_year=year, course_id=call.path["course_id"]
    )
    return ClassListOut.of(year, found)


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/courses/{course_id}/pupils/{person_id}/evaluations/{term}",
    "PUT",
    summary="Post or amend a pupil's evaluation of a term (the course's teacher)",
    tag=TAG,
    request=f"{_API}:EvaluationWrite",
    response=f"{_API}:EvaluationOut",
    params=(_YEAR, _COURSE, _PERSON, _TERM),
    errors=(403, 404, 409),
)
def put_evaluation(call: Call) -> Any:
    from demarches.conservatoire.api import EvaluationOut

    teacher = _teacher(call)
    key = _evaluation_key(call)
    evaluation = _service().post_evaluation(
        teacher,
        key=key,
        appreciation=call.body.appreciation,
        level_reached=call.body.level_reached,
    )
    _log("evaluation posted", course_id=key.course_id, term=key.term.value)
    return EvaluationOut.of(evaluation)


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/courses/{course_id}/pupils/{person_id}/evaluations/{term}",
    "GET",
    summary="Read a pupil's evaluation of a term (the pupil's family or the course's teacher)",
    tag=TAG,
    response=f"{_API}:EvaluationOut",
    params=(_YEAR, _COURSE, _PERSON, _TERM),
    errors=(403, 404, 422),
)
def get_evaluation(call: Call) -> Any:
    from demarches.conservatoire.api import EvaluationOut

    actor = _parent_or_teacher(call)
    key = _evaluation_key(call)
    return EvaluationOut.of(_service().read_evaluation(actor, key=key))


@endpoint(
    conservatoire,
    "/conservatoire/{school_year}/evaluations",
    "GET",
    summary="Evaluations of your household's pupils for a school year",
    tag=TAG,
    response=f"{_API}:EvaluationList",
    params=(_YEAR, _PERSON_FILTER),
    errors=(403, 404),
)
def list_evaluations(call: Call) -> Any:
    from demarches.conservatoire.api import EvaluationList, EvaluationOut

    year = call.path["school_year"]
    found = _service().list_my_evaluations(
        _parent(call), school_year=year, person_id=call.query.get("person_id")
    )
    return EvaluationList(school_year=year, evaluations=[EvaluationOut.of(e) for e in found])
