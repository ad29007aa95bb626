"""Household profile: adults and children sharing an address."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

Role = Literal["adult", "child"]


@dataclass(frozen=True)
class Person:
    person_id: str
    first_name: str
    last_name: str
    birth_date: date
    role: Role
    school: str | None = None
    school_class: str | None = None


@dataclass(frozen=True)
class Household:
    household_id: str
    name: str
    address: str
    postcode: str
    commune_insee: str
    email: str
    persons: tuple[Person, ...] = field(default=())

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.persons if p.person_id == person_id), None)


class HouseholdDirectory(Protocol):
    """Read access to stored household profiles."""

    def get(self, household_id: str) -> Household | None: ...

    def save(self, household: Household) -> None:
        """Store the profile and one membership item per person, replacing older ones."""
        ...
