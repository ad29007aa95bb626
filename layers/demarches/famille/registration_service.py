"""Use cases of the yearly registration: the family fills it from its stored household, the
agents validate it or return it with a reason."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace

from demarches.clock import Clock
from demarches.famille.errors import (
    ChildNotFoundError,
    HouseholdNotFoundError,
    RegistrationNotFoundError,
    SchoolYearInvalidError,
)
from demarches.famille.ports import QuotientRequest, RegistrationRepository, StoredRegistration
from demarches.famille.registration import (
    AuthorizedPerson,
    Child,
    ConsentKind,
    Guardian,
    Registration,
    RegistrationStatus,
    record_consent,
    return_to_family,
    submit,
    update_household,
    validate,
)
from demarches.famille.school_year import SchoolYear
from demarches.households.domain import Household, HouseholdDirectory

logger = logging.getLogger(__name__)


def parse_school_year(label: str) -> SchoolYear:
    try:
        return SchoolYear.parse(label)
    except ValueError as exc:
        raise SchoolYearInvalidError(str(exc), field="school_year") from exc


def children_of(household: Household) -> dict[str, Child]:
    """Build the registration's children from the stored profile: school and class included,
    so the family types nothing twice."""
    return {
        person.person_id: Child(
            child_id=person.person_id,
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            school_id=person.school or "",
            class_name=person.school_class or "",
        )
        for person in household.persons
        if person.role == "child"
    }


class RegistrationService:
    def __init__(
        self, repository: RegistrationRepository, households: HouseholdDirectory, clock: Clock
    ) -> None:
        self._repository = repository
        self._households = households
        self._clock = clock

    def household(self, household_id: str) -> Household:
        household = self._households.get(household_id)
        if household is None:
            raise HouseholdNotFoundError(
                f"household {household_id} has no stored profile; complete your profile first",
                field="household_id",
            )
        return household

    def find(self, household_id: str, school_year: SchoolYear) -> StoredRegistration | None:
        return self._repository.get(household_id, school_year)

    def get(self, household_id: str, school_year: SchoolYear) -> StoredRegistration:
        stored = self._repository.get(household_id, school_year)
        if stored is None:
            raise RegistrationNotFoundError(
                f"no registration for the school year {school_year}; create it first",
                field="school_year",
            )
        return stored

    def save_draft(
        self,
        household_id: str,
        school_year: SchoolYear,
        *,
        pai: Mapping[str, bool],
        authorized_persons: Sequence[AuthorizedPerson],
        consents: Mapping[ConsentKind, bool],
        contact_phone: str,
    ) -> StoredRegistration:
        """Create or replace the draft from the stored household and the family's responses.

        Children, their school and class come from the profile. ``pai`` flags children with a
        projet d'accueil individualisé; a child id outside the household is not found (404).
        A consent is recorded with the current instant only when the response changes.
        """
        household = self.household(household_id)
        children = children_of(household)
        unknown = sorted(set(pai) - set(children))
        if unknown:
            raise ChildNotFoundError(f"no child {unknown[0]} in your household", field="pai")

        stored = self._repository.get(household_id, school_year)
        registration = (
            stored.registration
            if stored
            else Registration(uuid.uuid4().hex, household_id, school_year)
        )
        guardians = tuple(
            Guardian(p.person_id, p.first_name, p.last_name, household.email, contact_phone)
            for p in household.persons
            if p.role == "adult"
        )
        registration = update_household(
            registration,
            guardians=guardians,
            children=tuple(replace(c, pai=pai.get(c.child_id, False)) for c in children.values()),
            authorized_persons=tuple(authorized_persons),
        )
        registration = self._record_consents(registration, consents)

        version = self._repository.save(
            registration, expected_version=stored.version if stored else 0
        )
        logger.info("registration saved", extra=registration.log_summary())
        return StoredRegistration(
            registration, version, stored.quotient_request if stored else None
        )

    def _record_consents(
        self, registration: Registration, consents: Mapping[ConsentKind, bool]
    ) -> Registration:
        now = self._clock.now()
        for kind, given in consents.items():
            latest = registration.consent(kind)
            if latest is None or latest.given != given:
                registration = record_consent(registration, kind, given=given, at=now)
        return registration

    def set_consent(
        self, household_id: str, school_year: SchoolYear, kind: ConsentKind, given: bool
    ) -> StoredRegistration:
        """Give or withdraw one consent; a withdrawal is accepted whatever the status."""
        stored = self.get(household_id, school_year)
        registration = self._record_consents(stored.registration, {kind: given})
        return self._save(stored, registration)

    def submit(self, household_id: str, school_year: SchoolYear, by: str) -> StoredRegistration:
        stored = self.get(household_id, school_year)
        registration = submit(stored.registration, by=by, at=self._clock.now())
        return self._save(stored, registration)

    def validate(
        self, household_id: str, school_year: SchoolYear, agent: str
    ) -> StoredRegistration:
        stored = self.get(household_id, school_year)
        registration = validate(stored.registration, agent_id=agent, at=self._clock.now())
        return self._save(stored, registration)

    def return_to_family(
        self, household_id: str, school_year: SchoolYear, agent: str, reason: str
    ) -> StoredRegistration:
        stored = self.get(household_id, school_year)
        registration = return_to_family(
            stored.registration, agent_id=agent, reason=reason, at=self._clock.now()
        )
        return self._save(stored, registration)

    def set_quotient_request(
        self, household_id: str, school_year: SchoolYear, request: QuotientRequest
    ) -> None:
        self._repository.set_quotient_request(household_id, school_year, request)

    def list_by_status(
        self, school_year: SchoolYear, status: RegistrationStatus
    ) -> list[StoredRegistration]:
        return [
            stored
            for page in self._repository.pages_by_status(school_year, status)
            for stored in page
        ]

    def _save(self, stored: StoredRegistration, registration: Registration) -> StoredRegistration:
        version = self._repository.save(registration, expected_version=stored.version)
        logger.info("registration saved", extra=registration.log_summary())
        return StoredRegistration(registration, version, stored.quotient_request)
