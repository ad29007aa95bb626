"""Fixtures of the periscolaire unit tests: example settings, calendar and an in-memory store."""

from __future__ import annotations

import pytest

from demarches.famille.activities import ActivityCatalogue
from demarches.famille.calendar import SchoolCalendar
from demarches.famille.settings import FamilleSettings, load_famille_settings
from tests.unit.famille.memory_store import InMemoryReservationStore


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
