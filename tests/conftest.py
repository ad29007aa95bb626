"""Shared fixtures: one embedded stack per test process, demo identities and helpers."""

from __future__ import annotations

import itertools
import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
TEST_TIMETABLE = ROOT / "tests" / "data" / "timetable-test.json"


def load_event(source: str, case: str) -> dict[str, Any]:
    """Load a sample event from ``events/<source>/<case>.json``."""
    data: dict[str, Any] = json.loads((EVENTS / source / f"{case}.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The whole product on ephemeral ports: emulator, resources, demo data, API server."""
    from infra.local.stack import EmbeddedStack, StackOptions

    os.environ["DEMARCHES_AQUADROME_TIMETABLE"] = str(TEST_TIMETABLE)
    options = StackOptions(
        api_port=0,
        emulator_port=0,
        state_dir=tmp_path_factory.mktemp("state"),
        run_scheduler=False,
    )
    started = EmbeddedStack(options).start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def api(stack: Any) -> str:
    return str(stack.api_url)


class ApiClient:
    """A requests session bound to the stack's URL, optionally with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def as_identity(stack: Any, api: str) -> Callable[[str], ApiClient]:
    """Client signed in as a demo identity, e.g. ``as_identity("agent.aquadrome")``."""
    return lambda identity_id: ApiClient(api, stack.token(identity_id))


@pytest.fixture(scope="session")
def new_household(stack: Any, api: str) -> Callable[..., tuple[ApiClient, list[str]]]:
    """Create a household with ``persons`` members; return its client and person ids."""
    from demarches import bootstrap
    from demarches.households.domain import Household, Person

    def create(persons: int = 2) -> tuple[ApiClient, list[str]]:
        household_id = f"foyer-test-{uuid.uuid4().hex[:10]}"
        members = tuple(
            Person(
                person_id=f"{household_id}-p{i}",
                first_name=f"Prénom{i}",
                last_name="Test",
                birth_date=date(1980 + i, 1, 1),
                role="adult" if i == 0 else "child",
            )
            for i in range(persons)
        )
        bootstrap.household_directory().save(
            Household(
                household_id=household_id,
                name="Foyer de test",
                address="1 place de test",
                postcode="55100",
                commune_insee="55545",
                email=f"{household_id}@example.fr",
                persons=members,
            )
        )
        token = stack.issuer.issue(
            f"user-{household_id}",
            name="Test",
            email=f"{household_id}@example.fr",
            household_id=household_id,
        )
        return ApiClient(api, token), [p.person_id for p in members]

    return create


@pytest.fixture(scope="session")
def slot_ids(stack: Any) -> Iterator[str]:
    """Ids of sessions still open for booking, each handed out once per test process."""
    from demarches import bootstrap

    service = bootstrap.aquadrome_service()
    earliest = datetime.now(UTC) + timedelta(hours=2)
    today = date.today()
    ids = [
        slot.slot_id
        for offset in (1, 2)
        for slot in service.list_slots(today + timedelta(days=offset))
        if slot.starts_at > earliest and slot.places_left == slot.capacity
    ]
    return iter(ids)


@pytest.fixture
def free_slot(slot_ids: Iterator[str]) -> str:
    return next(slot_ids)


_counter = itertools.count()


def unique_key() -> str:
    return f"key-{next(_counter)}-{uuid.uuid4().hex[:8]}"
