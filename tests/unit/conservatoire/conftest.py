"""Fixtures of the conservatoire unit tests: the bundled Grand Verdun configuration and a
service wired to in-memory ports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from demarches.clock import FixedClock, paris_datetime
from demarches.conservatoire.actors import Actor
from demarches.conservatoire.catalogue import School
from demarches.conservatoire.config import YearConfig, load_year_config
from demarches.conservatoire.enrollment import Enrollment, EnrollmentStatus
from demarches.conservatoire.usecases import ConservatoireService
from demarches.households.domain import Household
from demarches.territory import load_territory

from .fakes import (
    DictHouseholds,
    DictQuotients,
    InMemoryEnrollmentStore,
    InMemoryEvaluationStore,
    RecordingPublisher,
    SequentialIds,
    household,
    person,
)

YEAR = "2026-2027"
PREVIOUS_YEAR = "2025-2026"
VERDUN = "55545"
BAR_LE_DUC = "55029"  # outside the agglomeration

# Instants of the demo configuration, Europe/Paris.
BEFORE_REENROLLMENT = paris_datetime(date(2026, 5, 20), time(12, 0))
REENROLLMENT = paris_datetime(date(2026, 5, 28), time(10, 0))
GENERAL = paris_datetime(date(2026, 6, 25), time(10, 0))  # both schools
AFTER_CLOSE = paris_datetime(date(2026, 10, 5), time(10, 0))


DEMO_FILE = (
    Path(__file__).parents[3] / "layers/demarches/conservatoire/config/grand-verdun-2026-2027.json"
)


@pytest.fixture(scope="session")
def config() -> YearConfig:
    return load_year_config("grand-verdun-2026-2027")


@pytest.fixture
def raw() -> dict[str, Any]:
    """Fresh mapping of the demo configuration file, for tests that break one value."""
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return data


@dataclass
class World:
    """Service wired to in-memory ports, with two households and one actor per role."""

    service: ConservatoireService
    store: InMemoryEnrollmentStore
    evaluations: InMemoryEvaluationStore
    publisher: RecordingPublisher
    households: DictHouseholds
    quotients: DictQuotients
    clock: FixedClock

    martin = Actor.parent("user-martin", "foyer-martin")
    durand = Actor.parent("user-durand", "foyer-durand")
    conservatoire_agent = Actor.agent("agent-cons", frozenset({School.CONSERVATOIRE}))
    atelier_agent = Actor.agent("agent-art", frozenset({School.ATELIER_ART}))
    violin_teacher = Actor.teacher("user-rousseau", "ens-rousseau")
    piano_teacher = Actor.teacher("user-lambert", "ens-lambert")

    def at(self, instant: datetime) -> None:
        self.clock.instant = instant

    def make_current_pupil(self, person_id: str, household_id: str, school: School) -> None:
        """Store a confirmed enrollment of the previous school year in ``school``."""
        instant = paris_datetime(date(2025, 6, 20), time(10, 0))
        self.store.seed(
            Enrollment(
                enrollment_id=f"old-{person_id}-{school}",
                school_year=PREVIOUS_YEAR,
                school=school,
                course_id="old-course",
                household_id=household_id,
                person_id=person_id,
                requested_at=instant,
                requested_by="someone",
                current_pupil=False,
                queue_key="",
                status=EnrollmentStatus.CONFIRMED,
                status_changed_at=instant,
                status_changed_by="agent",
            )
        )

    def add_family(self, index: int, commune_insee: str = VERDUN) -> Actor:
        """Add a household with one child aged 10 on 31 December 2026; return its parent."""
        household_id = f"foyer-{index:03d}"
        self.households.add(
            household(household_id, commune_insee, person(f"p-{index:03d}", date(2016, 4, 1)))
        )
        return Actor.parent(f"user-{index:03d}", household_id)


def martin_household() -> Household:
    return household(
        "foyer-martin",
        VERDUN,
        person("lea", date(2015, 3, 10), first_name="Léa"),  # 11 on 31 December 2026
        person("hugo", date(2018, 9, 1), first_name="Hugo"),  # 8
        person("claire", date(1985, 1, 20), role="adult", first_name="Claire"),
    )


def durand_household() -> Household:
    return household("foyer-durand", BAR_LE_DUC, person("tom", date(2016, 5, 5), first_name="Tom"))


@pytest.fixture
def world(config: YearConfig) -> World:
    store = InMemoryEnrollmentStore()
    evaluations = InMemoryEvaluationStore()
    publisher = RecordingPublisher()
    households = DictHouseholds(martin_household(), durand_household())
    quotients = DictQuotients({"foyer-martin": 700})
    clock = FixedClock(GENERAL)
    service = ConservatoireService(
        years={YEAR: config},
        territory=load_territory(config.territory),
        households=households,
        quotients=quotients,
        enrollments=store,
        evaluations=evaluations,
        events=publisher,
        clock=clock,
        ids=SequentialIds(),
    )
    return World(service, store, evaluations, publisher, households, quotients, clock)
