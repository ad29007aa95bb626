"""Demo households and identities of the embedded stack (fictitious people)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from demarches.households.domain import Household, Person, Role

DEMO_FILE = Path(__file__).with_name("demo-data.json")


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return data


def demo_households() -> list[Household]:
    households = []
    for raw in demo_data()["households"]:
        persons = tuple(
            Person(
                person_id=p["person_id"],
                first_name=p["first_name"],
                last_name=p["last_name"],
                birth_date=date.fromisoformat(p["birth_date"]),
                role=_role(p["role"]),
                school=p.get("school"),
                school_class=p.get("school_class"),
            )
            for p in raw["persons"]
        )
        fields = {k: v for k, v in raw.items() if k != "persons"}
        households.append(Household(**fields, persons=persons))
    return households


def _role(value: str) -> Role:
    if value not in ("adult", "child"):
        raise ValueError(f"unknown person role {value!r}")
    return "adult" if value == "adult" else "child"


def demo_identities() -> dict[str, dict[str, Any]]:
    return {identity["id"]: identity for identity in demo_data()["identities"]}
