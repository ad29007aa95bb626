"""Yearly administrative registration of a household to the periscolaire service.

A registration goes draft -> submitted -> validated, or submitted -> returned (with a reason)
-> submitted again. The family edits it only while it is a draft or returned; an agent
validates or returns it. Every change of status is kept with who made it and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from demarches.famille.errors import RegistrationIncompleteError, RegistrationTransitionError
from demarches.famille.school_year import SchoolYear


class RegistrationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    RETURNED = "returned"


class ConsentKind(StrEnum):
    QUOTIENT_RETRIEVAL = "quotient_retrieval"
    PHOTO = "photo"
    RULES = "rules"


# Status changes allowed, with the role that makes them.
_TRANSITIONS: dict[tuple[RegistrationStatus, RegistrationStatus], str] = {
    (RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED): "family",
    (RegistrationStatus.RETURNED, RegistrationStatus.SUBMITTED): "family",
    (RegistrationStatus.SUBMITTED, RegistrationStatus.VALIDATED): "agent",
    (RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED): "agent",
}
_EDITABLE = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.RETURNED})


@dataclass(frozen=True)
class Guardian:
    """Legal guardian (responsable légal) of the children, contact for the service."""

    person_id: str
    first_name: str
    last_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Child:
    """A child registered for the school year.

    ``pai`` flags a projet d'accueil individualisé (allergy, chronic illness).
    ``health_notes`` is kept out of ``repr`` so that it never reaches a log line; agents read it
    in the registration screen only.
    """

    child_id: str
    first_name: str
    last_name: str
    birth_date: date
    school_id: str
    class_name: str
    pai: bool = False
    health_notes: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AuthorizedPerson:
    """Adult other than a guardian allowed to pick the children up."""

    first_name: str
    last_name: str
    phone: str
    relationship: str


@dataclass(frozen=True)
class Consent:
    """The family's response to one consent request, and its instant (aware UTC)."""

    kind: ConsentKind
    given: bool
    at: datetime


@dataclass(frozen=True)
class StatusChange:
    from_status: RegistrationStatus
    to_status: RegistrationStatus
    at: datetime
    by: str
    reason: str | None = None


@dataclass(frozen=True)
class Registration:
    """A household's registration for one school year."""

    registration_id: str
    household_id: str
    school_year: SchoolYear
    guardians: tuple[Guardian, ...] = ()
    children: tuple[Child, ...] = ()
    authorized_persons: tuple[AuthorizedPerson, ...] = ()
    consents: tuple[Consent, ...] = ()
    status: RegistrationStatus = RegistrationStatus.DRAFT
    return_reason: str | None = None
    history: tuple[StatusChange, ...] = ()

    def consent(self, kind: ConsentKind) -> Consent | None:
        """Return the latest response to ``kind``, or None if the family never responded."""
        responses = [consent for consent in self.consents if consent.kind is kind]
        if not responses:
            return None
        return max(responses, key=lambda consent: consent.at)

    def has_consented(self, kind: ConsentKind) -> bool:
        latest = self.consent(kind)
        return latest is not None and latest.given

    def children_schools(self) -> dict[str, str]:
        """Map each child id to its school id, the input reservations check against."""
        return {child.child_id: child.school_id for child in self.children}

    def log_summary(self) -> dict[str, object]:
        """Return the fields that may appear in a log line: ids, status and PAI flags only."""
        return {
            "registration_id": self.registration_id,
            "household_id": self.household_id,
            "school_year": self.school_year.label,
            "status": self.status.value,
            "children": len(self.children),
            "children_with_pai": sum(1 for child in self.children if child.pai),
        }


def _check_editable(registration: Registration) -> None:
    if registration.status not in _EDITABLE:
        raise RegistrationTransitionError(
            f"registration {registration.registration_id} is {registration.status.value}: "
            "only a draft or a returned registration can be changed",
            field="status",
        )


def _check_aware(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError(f"instant {at.isoformat()} has no time zone: pass an aware datetime")


def update_household(
    registration: Registration,
    *,
    guardians: tuple[Guardian, ...] | None = None,
    children: tuple[Child, ...] | None = None,
    authorized_persons: tuple[AuthorizedPerson, ...] | None = None,
) -> Registration:
    """Replace the given parts of a draft or returned registration."""
    _check_editable(registration)
    return replace(
        registration,
        guardians=registration.guardians if guardians is None else guardians,
        children=registration.children if children is None else children,
        authorized_persons=(
            registration.authorized_persons if authorized_persons is None else authorized_persons
        ),
    )


def record_consent(
    registration: Registration, kind: ConsentKind, *, given: bool, at: datetime
) -> Registration:
    """Add the family's response to a consent request. Earlier responses stay in the record.

    The quotient retrieval and photo consents can be withdrawn at any time, whatever the
    status, because consent must be as easy to withdraw as to give (article 7 of the GDPR).
    """
    _check_aware(at)
    if given:
        _check_editable(registration)
    return replace(registration, consents=(*registration.consents, Consent(kind, given, at)))


def _missing_for_submission(registration: Registration) -> list[str]:
    missing: list[str] = []
    if not registration.guardians:
        missing.append("guardians")
    if not registration.children:
        missing.append("children")
    for index, child in enumerate(registration.children):
        if not child.school_id:
            missing.append(f"children[{index}].school_id")
        if not child.class_name:
            missing.append(f"children[{index}].class_name")
    if not registration.has_consented(ConsentKind.RULES):
        missing.append("consents.rules")
    return missing


def _transition(
    registration: Registration,
    to_status: RegistrationStatus,
    *,
    role: str,
    by: str,
    at: datetime,
    reason: str | None = None,
) -> Registration:
    _check_aware(at)
    expected_role = _TRANSITIONS.get((registration.status, to_status))
    if expected_role is None or expected_role != role:
        raise RegistrationTransitionError(
            f"registration {registration.registration_id} cannot go from "
            f"{registration.status.value} to {to_status.value} by the {role}",
            field="status",
            details={"from": registration.status.value, "to": to_status.value},
        )
    change = StatusChange(registration.status, to_status, at, by, reason)
    return replace(
        registration,
        status=to_status,
        return_reason=reason if to_status is RegistrationStatus.RETURNED else None,
        history=(*registration.history, change),
    )


def submit(registration: Registration, *, by: str, at: datetime) -> Registration:
    """Submit the registration to the service; the family can no longer edit it.

    Raises RegistrationIncompleteError naming the first missing value. A guardian, a child with
    a school and a class, and the acceptance of the service rules are required.
    """
    missing = _missing_for_submission(registration)
    if missing:
        raise RegistrationIncompleteError(
            f"registration {registration.registration_id} is incomplete: {', '.join(missing)}",
            field=missing[0],
            details={"missing": missing},
        )
    return _transition(registration, RegistrationStatus.SUBMITTED, role="family", by=by, at=at)


def validate(registration: Registration, *, agent_id: str, at: datetime) -> Registration:
    """Validate a submitted registration: the children may then be booked."""
    return _transition(registration, RegistrationStatus.VALIDATED, role="agent", by=agent_id, at=at)


def return_to_family(
    registration: Registration, *, agent_id: str, reason: str, at: datetime
) -> Registration:
    """Send a submitted registration back to the family with the reason to show them."""
    if not reason.strip():
        raise RegistrationIncompleteError(
            "give the reason the family will read, e.g. the missing document", field="reason"
        )
    return _transition(
        registration,
        RegistrationStatus.RETURNED,
        role="agent",
        by=agent_id,
        at=at,
        reason=reason.strip(),
    )
