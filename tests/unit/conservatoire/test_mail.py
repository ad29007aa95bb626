"""E-mails sent to families for enrollment events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demarches.conservatoire.catalogue import School
from demarches.conservatoire.config import YearConfig
from demarches.conservatoire.enrollment import EnrollmentEvent, EventKind
from demarches.conservatoire.mail import EmailEventPublisher, compose_email
from demarches.errors import UnavailableError
from demarches.notifications import Email

from .conftest import YEAR, martin_household
from .fakes import DictHouseholds


def event(kind: EventKind, **changes: object) -> EnrollmentEvent:
    fields: dict[str, object] = {
        "kind": kind,
        "enrollment_id": "ins-0001",
        "school_year": YEAR,
        "school": School.CONSERVATOIRE,
        "course_id": "cons-violon-c1",
        "household_id": "foyer-martin",
        "person_id": "lea",
        "occurred_at": datetime(2026, 6, 25, 8, 0, tzinfo=UTC),
        "actor_id": "user-martin",
    }
    fields.update(changes)
    return EnrollmentEvent(**fields)  # type: ignore[arg-type]


class RecordingMailer:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[Email] = []
        self.attempts = 0
        self.fail = fail

    def send(self, email: Email) -> str:
        self.attempts += 1
        if self.fail:
            raise UnavailableError("the e-mail could not be sent")
        self.sent.append(email)
        return f"message-{len(self.sent)}"


def test_waiting_list_email_gives_rank(config: YearConfig) -> None:
    course = config.catalogue.course("cons-violon-c1")

    email = compose_email(event(EventKind.WAITING_LIST_JOINED, rank=3), martin_household(), course)

    assert email.to == "foyer-martin@example.org"
    assert email.subject == "Inscription en liste d'attente : Violon (Cycle 1)"
    assert "au rang 3" in email.text
    assert "Léa" in email.text
    assert "ins-0001" in email.text


def test_refusal_email_gives_reason(config: YearConfig) -> None:
    course = config.catalogue.course("cons-violon-c1")
    refused = event(EventKind.ENROLLMENT_REFUSED, reason="Le dossier est incomplet.")

    email = compose_email(refused, martin_household(), course)

    assert email.subject.startswith("Inscription refusée")
    assert "Le dossier est incomplet." in email.text


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_event_has_an_email(config: YearConfig, kind: EventKind) -> None:
    email = compose_email(event(kind, rank=1, reason="Motif."), martin_household(), None)

    assert email.subject
    assert "cons-violon-c1" in email.text


def test_publisher_sends_one_email_per_event(config: YearConfig) -> None:
    mailer = RecordingMailer()
    publisher = EmailEventPublisher(
        households=DictHouseholds(martin_household()), mailer=mailer, years={YEAR: config}
    )

    publisher.publish([event(EventKind.ENROLLMENT_CANCELLED), event(EventKind.PLACE_OFFERED)])

    assert [e.subject.split(" : ")[0] for e in mailer.sent] == [
        "Inscription annulée",
        "Une place s'est libérée",
    ]


def test_publisher_survives_mail_failure_and_unknown_household(config: YearConfig) -> None:
    mailer = RecordingMailer(fail=True)
    publisher = EmailEventPublisher(
        households=DictHouseholds(martin_household()), mailer=mailer, years={YEAR: config}
    )
    unknown = event(EventKind.PLACE_RESERVED, household_id="foyer-x")

    publisher.publish([event(EventKind.PLACE_RESERVED), unknown, event(EventKind.PLACE_OFFERED)])

    assert mailer.attempts == 2
    assert mailer.sent == []
