"""E-mails to families at each step of an enrollment, sent as the ``EventPublisher`` port."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_lambda_powertools import Logger

from demarches.households.domain import Household
from demarches.notifications import Email, Mailer

from .catalogue import Course, School
from .config import YearConfig
from .enrollment import EnrollmentEvent, EventKind
from .ports import HouseholdReader

logger = Logger(service="demarches")

_SCHOOL_NAMES = {
    School.CONSERVATOIRE: "conservatoire de musique",
    School.ATELIER_ART: "atelier d'art",
}

_SUBJECTS = {
    EventKind.PLACE_RESERVED: "Demande d'inscription enregistrée",
    EventKind.WAITING_LIST_JOINED: "Inscription en liste d'attente",
    EventKind.PLACE_OFFERED: "Une place s'est libérée",
    EventKind.ENROLLMENT_CONFIRMED: "Inscription confirmée",
    EventKind.ENROLLMENT_REFUSED: "Inscription refusée",
    EventKind.ENROLLMENT_CANCELLED: "Inscription annulée",
}


def compose_email(event: EnrollmentEvent, household: Household, course: Course | None) -> Email:
    """Write the French e-mail that informs the household of one enrollment event."""
    person = household.person(event.person_id)
    pupil = person.first_name if person is not None else "la personne inscrite"
    label = event.course_id if course is None else f"{course.discipline} ({course.level_label})"
    school = _SCHOOL_NAMES[event.school]
    subject = f"{_SUBJECTS[event.kind]} : {label}"

    lines = ["Bonjour,", "", _body(event, pupil, label, school), ""]
    lines += [
        f"Numéro de la demande : {event.enrollment_id}",
        f"Année scolaire : {event.school_year}",
        "",
        "Vous pouvez suivre cette demande dans votre espace famille.",
        "",
        f"Le secrétariat du {school}",
    ]
    return Email(to=household.email, subject=subject, text="\n".join(lines))


def _body(event: EnrollmentEvent, pupil: str, label: str, school: str) -> str:
    course = f"au cours {label} du {school}"
    if event.kind is EventKind.PLACE_RESERVED:
        return (
            f"La demande d'inscription de {pupil} {course} est enregistrée et une place lui est "
            "réservée. Le secrétariat confirmera l'inscription."
        )
    if event.kind is EventKind.WAITING_LIST_JOINED:
        return (
            f"Le cours est complet : la demande d'inscription de {pupil} {course} est en liste "
            f"d'attente, au rang {event.rank}. Vous recevrez un message dès qu'une place lui "
            "sera proposée."
        )
    if event.kind is EventKind.PLACE_OFFERED:
        return (
            f"Une place s'est libérée {course} : elle est attribuée à {pupil}, qui était en "
            "liste d'attente. Le secrétariat confirmera l'inscription."
        )
    if event.kind is EventKind.ENROLLMENT_CONFIRMED:
        return f"L'inscription de {pupil} {course} est confirmée."
    if event.kind is EventKind.ENROLLMENT_REFUSED:
        return (
            f"L'inscription de {pupil} {course} est refusée, pour le motif suivant : {event.reason}"
        )
    return f"L'inscription de {pupil} {course} est annulée."


class EmailEventPublisher:
    """Sends one e-mail per enrollment event to the address of the household's profile."""

    def __init__(
        self, *, households: HouseholdReader, mailer: Mailer, years: Mapping[str, YearConfig]
    ) -> None:
        self._households = households
        self._mailer = mailer
        self._years = years

    def publish(self, events: Sequence[EnrollmentEvent]) -> None:
        """Send the e-mails, logging and skipping each failed send instead of raising.

        The enrollment is already stored when this runs, so an error response would wrongly
        report a stored request as failed.
        """
        for event in events:
            ids = {
                "enrollment_id": event.enrollment_id,
                "event": event.kind.value,
                "demarche": "conservatoire",
            }
            household = self._households.get(event.household_id)
            if household is None:
                logger.warning("enrollment e-mail skipped: household not found", extra=ids)
                continue
            email = compose_email(event, household, self._course(event))
            try:
                self._mailer.send(email)
            except Exception:
                logger.exception("enrollment e-mail failed", extra=ids)

    def _course(self, event: EnrollmentEvent) -> Course | None:
        config = self._years.get(event.school_year)
        return None if config is None else config.catalogue.find(event.course_id)
