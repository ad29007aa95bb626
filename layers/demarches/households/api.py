"""Response model of the caller's profile."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from .domain import Household


class PersonOut(BaseModel):
    person_id: str
    first_name: str
    last_name: str
    birth_date: date
    role: str
    school: str | None = None
    school_class: str | None = None


class HouseholdOut(BaseModel):
    household_id: str
    name: str
    address: str
    postcode: str
    commune_insee: str
    email: str
    persons: list[PersonOut]


class ProfileOut(BaseModel):
    subject: str
    name: str | None
    email: str | None
    roles: list[str]
    office_id: str | None
    household: HouseholdOut | None

    @classmethod
    def of(cls, identity: Any, household: Household | None) -> ProfileOut:
        return cls(
            subject=identity.subject,
            name=identity.name,
            email=identity.email,
            roles=sorted(identity.roles),
            office_id=identity.office_id,
            household=None
            if household is None
            else HouseholdOut(
                **{k: v for k, v in household.__dict__.items() if k != "persons"},
                persons=[PersonOut(**p.__dict__) for p in household.persons],
            ),
        )
