"""Fixtures of the periscolaire integration tests: families with children at a school, their
registration through the API, and the stack's clock."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from demarches import bootstrap
from demarches.clock import FixedClock, SystemClock
from demarches.households.domain import Household, Person
from tests.conftest import ApiClient

YEAR = "2026-2027"
PARIS = ZoneInfo("Europe/Paris")
# Every test that books runs its clock before the sessions of March 2027 (school from 8 March).
BEFORE_MARCH = datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)


def paris(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS).astimezone(UTC)


@dataclass
class Family:
    client: ApiClient
    household_id: str
    child_ids: list[str]
    school_id: str
    adults: list[str] = field(default_factory=list)


@pytest.fixture
def clock_at() -> Iterator[Callable[[datetime], None]]:
    """Move the stack's clock to an instant for one test, then give the real time back."""

    def move(instant: datetime) -> None:
        bootstrap.use_clock(FixedClock(instant))

    yield move
    bootstrap.use_clock(SystemClock())


@pytest.fixture(scope="session")
def new_family(stack: Any, api: str) -> Callable[..., Family]:
    """Store a household with an adult and ``children`` children at ``school_id``."""

    def create(children: int = 1, school_id: str | None = None) -> Family:
        household_id = f"foyer-famille-{uuid.uuid4().hex[:10]}"
        school = school_id or f"ecole-test-{uuid.uuid4().hex[:8]}"
        adult = Person(f"{household_id}-parent", "Camille", "Essai", date(1985, 5, 4), "adult")
        kids = [
            Person(
                f"{household_id}-enfant{i}",
                f"Enfant{i}",
                "Essai",
                date(2017 + i, 2, 3),
                "child",
                school=school,
                school_class="CE1",
            )
            for i in range(children)
        ]
        bootstrap.household_directory().save(
            Household(
                household_id=household_id,
                name="Foyer Essai",
                address="2 rue des Tests",
                postcode="55100",
                commune_insee="55545",
                email=f"{household_id}@example.fr",
                persons=(adult, *kids),
            )
        )
        token = stack.issuer.issue(
            f"user-{household_id}",
            name="Camille Essai",
            email=f"{household_id}@example.fr",
            household_id=household_id,
        )
        return Family(
            ApiClient(api, token),
            household_id,
            [k.person_id for k in kids],
            school,
            [adult.person_id],
        )

    return create


@pytest.fixture(scope="session")
def agent(as_identity: Callable[[str], ApiClient]) -> ApiClient:
    return as_identity("agent.periscolaire")


def submit_registration(family: Family, *, quotient_consent: bool = True) -> dict[str, Any]:
    draft = family.client.request(
        "PUT",
        f"/famille/registrations/{YEAR}",
        json={
            "consents": {"rules": True, "quotient_retrieval": quotient_consent, "photo": False},
            "contact_phone": "03 29 00 00 00",
        },
    )
    assert draft.status_code == 200, draft.text
    submitted = family.client.post(f"/famille/registrations/{YEAR}/submit")
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


@pytest.fixture(scope="session")
def registered_family(new_family: Callable[..., Family], agent: ApiClient) -> Callable[..., Family]:
    """A family whose registration the agent validated, so its children can be booked."""

    def create(children: int = 1, school_id: str | None = None, **options: Any) -> Family:
        family = new_family(children, school_id)
        submit_registration(family, **options)
        response = agent.post(
            f"/famille/agent/registrations/{family.household_id}/{YEAR}/validation"
        )
        assert response.status_code == 200, response.text
        return family

    return create
