"""An opening-minute rush: 500 attempts from 32 threads on one session of 50 places."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from demarches import bootstrap

ATTEMPTS = 500
THREADS = 32
HOUSEHOLDS = 100


@pytest.mark.slow
def test_rush_never_exceeds_capacity(new_household, free_slot, stack):
    clients = [new_household(ATTEMPTS // HOUSEHOLDS) for _ in range(HOUSEHOLDS)]
    attempts = [(client, person) for client, persons in clients for person in persons]

    def attempt(job):
        client, person = job
        response = client.post(
            "/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": [person]}
        )
        return response.status_code, response.json().get("code")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(attempt, attempts))

    statuses = Counter(status for status, _ in results)
    assert len(results) == ATTEMPTS
    assert statuses[201] == 50
    assert statuses[409] == ATTEMPTS - 50
    assert {code for status, code in results if status == 409} == {"slot_full"}
    assert not [s for s in statuses if s >= 500]

    config = bootstrap.settings()
    dynamodb = boto3.resource("dynamodb", endpoint_url=stack.emulator.endpoint_url)
    day, start = free_slot.split("T")
    slot_items = dynamodb.Table(config.aquadrome_slots_table).query(
        KeyConditionExpression=Key("day").eq(day)
    )["Items"]
    slot = next(i for i in slot_items if i["sk"] == f"SLOT#{start}")
    holds = [i for i in slot_items if i["sk"].startswith(f"HOLD#{start}#")]
    bookings = [
        b
        for b in bootstrap.aquadrome_service()._store.list_day_bookings(
            __import__("datetime").date.fromisoformat(day)
        )
        if b.slot_id == free_slot and b.status == "confirmed"
    ]
    assert slot["places_left"] == 0
    assert len(holds) == 50
    assert sum(b.places for b in bookings) == 50
