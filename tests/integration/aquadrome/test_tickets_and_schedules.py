"""Tickets, check-in, no-shows, occupancy and the scheduled jobs, on the embedded stack."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from demarches import bootstrap
from demarches.clock import FixedClock, SystemClock
from tests.integration.aquadrome.test_booking import book


@pytest.fixture
def clock_at() -> Iterator[Any]:
    """Move the stack's clock to a given instant for one test."""

    def move(instant: datetime) -> None:
        bootstrap.use_clock(FixedClock(instant))

    yield move
    bootstrap.use_clock(SystemClock())


def starts_at(client: Any, booking_id: str) -> datetime:
    text = client.get(f"/aquadrome/bookings/{booking_id}").json()["starts_at"]
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ticket_of(client: Any, booking_id: str) -> str:
    response = client.get(f"/aquadrome/bookings/{booking_id}/ticket")
    assert response.status_code == 200
    return str(response.json()["reference"])


def test_ticket_qr_code_decodes_to_reference(new_household, free_slot):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]

    ticket = client.get(f"/aquadrome/bookings/{booking_id}/ticket").json()
    prefix, encoded = ticket["qr_png"].split(",", 1)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(encoded))))

    assert prefix == "data:image/png;base64"
    assert [code.text for code in decoded] == [ticket["reference"]]
    assert ticket["reference"].startswith("AQ1." + booking_id + ".")


def test_check_in_admits_ticket_once_on_its_day(new_household, free_slot, as_identity, clock_at):
    client, persons = new_household(2)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    reference = ticket_of(client, booking_id)
    agent = as_identity("agent.aquadrome")
    clock_at(starts_at(client, booking_id) - timedelta(minutes=10))

    first = agent.post("/aquadrome/check-in", json={"ticket": reference})
    second = agent.post("/aquadrome/check-in", json={"ticket": reference})

    assert first.status_code == 200
    assert first.json()["persons"] == 2
    assert second.status_code == 409
    assert second.json()["code"] == "ticket_already_used"


def test_check_in_rejects_forged_ticket(as_identity, new_household, free_slot):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    reference = ticket_of(client, booking_id)
    forged = reference[:-2] + ("AA" if not reference.endswith("AA") else "BB")
    agent = as_identity("agent.aquadrome")

    altered = agent.post("/aquadrome/check-in", json={"ticket": forged})
    foreign = agent.post("/aquadrome/check-in", json={"ticket": "https://example.fr/x"})

    assert altered.status_code == 422
    assert altered.json()["code"] == "ticket_invalid"
    assert foreign.status_code == 422
    assert foreign.json()["code"] == "ticket_invalid"


def test_check_in_rejects_cancelled_ticket(as_identity, new_household, free_slot, clock_at):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    reference = ticket_of(client, booking_id)
    client.delete(f"/aquadrome/bookings/{booking_id}")
    clock_at(starts_at(client, booking_id) - timedelta(minutes=5))

    response = as_identity("agent.aquadrome").post(
        "/aquadrome/check-in", json={"ticket": reference}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "ticket_cancelled"


def test_check_in_rejects_ticket_of_another_day(as_identity, new_household, free_slot, clock_at):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    reference = ticket_of(client, booking_id)
    clock_at(starts_at(client, booking_id) - timedelta(days=2))

    response = as_identity("agent.aquadrome").post(
        "/aquadrome/check-in", json={"ticket": reference}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "ticket_wrong_day"


def test_check_in_window_follows_the_session(as_identity, new_household, free_slot, clock_at):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    reference = ticket_of(client, booking_id)
    agent = as_identity("agent.aquadrome")
    session_start = starts_at(client, booking_id)

    clock_at(session_start - timedelta(minutes=31))
    early = agent.post("/aquadrome/check-in", json={"ticket": reference})
    clock_at(session_start + timedelta(minutes=30))
    ended = agent.post("/aquadrome/check-in", json={"ticket": reference})

    assert early.status_code == 409
    assert early.json()["code"] == "ticket_too_early"
    assert ended.status_code == 409
    assert ended.json()["code"] == "ticket_session_ended"


def test_checked_in_booking_cannot_be_cancelled(as_identity, new_household, free_slot, clock_at):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    reference = ticket_of(client, booking_id)

    clock_at(starts_at(client, booking_id) - timedelta(minutes=5))
    bootstrap.aquadrome_service().check_in(reference)
    clock_at(starts_at(client, booking_id) - timedelta(hours=3))
    response = client.delete(f"/aquadrome/bookings/{booking_id}")

    assert response.status_code == 409
    assert response.json()["code"] == "booking_not_cancellable"
    assert response.json()["details"] == {"status": "checked_in"}


def test_check_in_needs_agent_role(new_household, free_slot):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]

    response = client.post("/aquadrome/check-in", json={"ticket": ticket_of(client, booking_id)})

    assert response.status_code == 403
    assert response.json()["code"] == "role_required"


def test_cancellation_closes_before_session(new_household, free_slot, clock_at):
    client, persons = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]
    clock_at(starts_at(client, booking_id) - timedelta(minutes=59))

    response = client.delete(f"/aquadrome/bookings/{booking_id}")

    assert response.status_code == 410
    assert response.json()["code"] == "cancellation_closed"


def test_no_show_schedule_marks_unchecked_bookings(stack, new_household, slot_ids, clock_at):
    client, persons = new_household(2)
    missed_slot, attended_slot = next(slot_ids), next(slot_ids)
    missed = book(client, missed_slot, [persons[0]]).json()["booking_id"]
    attended = book(client, attended_slot, [persons[1]]).json()["booking_id"]
    agent_reference = ticket_of(client, attended)
    clock_at(starts_at(client, attended) - timedelta(minutes=1))
    bootstrap.aquadrome_service().check_in(agent_reference)
    after_both = max(starts_at(client, missed), starts_at(client, attended)) + timedelta(hours=1)
    clock_at(after_both)

    first = stack.scheduler.fire_by_name("aquadrome_record_no_shows")
    second = stack.scheduler.fire_by_name("aquadrome_record_no_shows")

    assert first["marked"] >= 1
    assert second == {"marked": 0}
    assert client.get(f"/aquadrome/bookings/{missed}").json()["status"] == "no_show"
    assert client.get(f"/aquadrome/bookings/{attended}").json()["status"] == "checked_in"


def test_slot_generation_fired_twice_creates_nothing_twice(stack):
    first = stack.scheduler.fire_by_name("aquadrome_generate_slots")
    second = stack.scheduler.fire_by_name("aquadrome_generate_slots")

    assert first == {"added": 0}
    assert second == {"added": 0}


def test_slot_generation_adds_new_days_as_time_passes(stack, clock_at):
    clock_at(datetime.now(UTC) + timedelta(days=1))

    moved = stack.scheduler.fire_by_name("aquadrome_generate_slots")
    again = stack.scheduler.fire_by_name("aquadrome_generate_slots")

    assert moved == {"added": 30}
    assert again == {"added": 0}


def test_occupancy_counts_bookings_for_agents(as_identity, new_household, free_slot):
    client, persons = new_household(3)
    book(client, free_slot, persons)
    day = free_slot.split("T")[0]

    rows = as_identity("agent.aquadrome").get("/aquadrome/occupancy", params={"day": day})
    resident = client.get("/aquadrome/occupancy", params={"day": day})

    assert rows.status_code == 200
    row = next(r for r in rows.json()["slots"] if r["slot_id"] == free_slot)
    assert row["booked"] == 3
    assert row["places_left"] == 47
    assert resident.status_code == 403
