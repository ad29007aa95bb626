"""Capacity under concurrency: households racing through HTTP for the last places of a
session never push it past its capacity, and a request racing with its own retry books once."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.integration.famille.conftest import BEFORE_MARCH

# garderie_matin has a default capacity of 30 children per school and day.
CAPACITY = 30
FILLED = 27
RACERS = 10
DAY = "2027-03-12"


def request_for(child_id: str) -> dict[str, object]:
    return {"child_id": child_id, "days": [{"day": DAY, "activities": ["garderie_matin"]}]}


def test_last_places_never_overbooked(registered_family, agent, clock_at):
    clock_at(BEFORE_MARCH)
    school = f"ecole-course-{uuid.uuid4().hex[:8]}"
    filler = registered_family(children=FILLED, school_id=school)
    for child_id in filler.child_ids:
        response = filler.client.post("/famille/reservations", json=request_for(child_id))
        assert len(response.json()["booked"]) == 1, response.text
    racers = [registered_family(school_id=school) for _ in range(RACERS)]

    def race(family):
        response = family.client.post(
            "/famille/reservations", json=request_for(family.child_ids[0])
        )
        body = response.json()
        return response.status_code, len(body["booked"]), [r["reason"] for r in body["rejected"]]

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(race, racers))

    assert {status for status, _, _ in results} == {200}
    assert sum(booked for _, booked, _ in results) == CAPACITY - FILLED
    refusals = Counter(reason for _, _, reasons in results for reason in reasons)
    assert refusals == Counter({"full": RACERS - (CAPACITY - FILLED)})
    expected = agent.get(
        "/famille/agent/sessions",
        params={"school_id": school, "day": DAY, "activity": "garderie_matin"},
    ).json()
    assert len(expected["children"]) == CAPACITY


def test_request_racing_its_retry_books_once(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()
    request = request_for(family.child_ids[0])

    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(
            pool.map(lambda _: family.client.post("/famille/reservations", json=request), range(4))
        )

    booked = [len(r.json()["booked"]) for r in responses]
    reasons = [reason["reason"] for r in responses for reason in r.json()["rejected"]]
    month = family.client.get("/famille/reservations", params={"month": "2027-03"}).json()
    assert sum(booked) == 1
    assert reasons == ["already_booked"] * 3
    assert len(month["reservations"]) == 1
