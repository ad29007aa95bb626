"""Response model of the caller's profile."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from .domain import Household

TERRITORY_FILE = Path(__file__).parent.parent / "territories" / "grand-verdun.json"


@cache
def _commune_names() -> dict[str, str]:
    territory = json.loads(TERRITORY_FILE.read_text(encoding="utf-8"))
    return {commune["code_insee"]: commune["nom"] for commune in territory["communes"]}


def commune_name(code_insee: str) -> str | None:
    """Return the name of a commune of the territory from its INSEE code, or None outside it."""
    return _commune_names().get(code_insee)


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
    commune_name: str | None = Field(
        default=None, description="Name of the commune, None outside the territory."
    )
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
                commune_name=commune_name(household.commune_insee),
                persons=[PersonOut(**p.__dict__) for p in household.persons],
            ),
        )
