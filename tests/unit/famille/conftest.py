"""Fixtures of the periscolaire unit tests: example settings, calendar and an in-memory store."""

from __future__ import annotations

import os

import pytest

from demarches.famille.activities import ActivityCatalogue
from demarches.famille.calendar import SchoolCalendar
from demarches.famille.settings import FamilleSettings, load_famille_settings
from tests.unit.famille.memory_store import InMemoryReservationStore


@pytest.fixture(autouse=True)
def _no_ambient_famille_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide FAMILLE_* variables, which the embedded stack sets in a shared test process."""
    for name in list(os.environ):
        if name.startswith("FAMILLE_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def settings() -> FamilleSettings:
    return load_famille_settings()


@pytest.fixture(scope="session")
def calendar(settings: FamilleSettings) -> SchoolCalendar:
    return SchoolCalendar(settings.calendar)


@pytest.fixture(scope="session")
def catalogue(settings: FamilleSettings) -> ActivityCatalogue:
    return settings.catalogue()


@pytest.fixture
def store() -> InMemoryReservationStore:
    return InMemoryReservationStore()
