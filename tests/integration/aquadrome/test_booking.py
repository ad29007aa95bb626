"""Booking, idempotent retry, refusals and cancellation through the HTTP API."""

from __future__ import annotations

from typing import Any

from tests.conftest import unique_key


def book(client: Any, slot_id: str, persons: list[str], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/aquadrome/bookings", json={"slot_id": slot_id, "person_ids": persons}, headers=headers
    )


def places_left(client: Any, slot_id: str) -> int:
    day = slot_id.split("T")[0]
    slots = client.get("/aquadrome/slots", params={"day": day}).json()["slots"]
    return next(s["places_left"] for s in slots if s["slot_id"] == slot_id)


def test_booking_takes_places_from_the_slot(new_household, free_slot):
    client, persons = new_household(3)

    response = book(client, free_slot, persons[:2])

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["person_ids"] == persons[:2]
    assert places_left(client, free_slot) == 48


def test_retry_with_same_key_returns_same_booking(new_household, free_slot):
    client, persons = new_household(2)
    key = unique_key()

    first = book(client, free_slot, persons, key)
    second = book(client, free_slot, persons, key)

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["booking_id"] == first.json()["booking_id"]
    assert places_left(client, free_slot) == 48


def test_same_key_for_another_request_is_rejected(new_household, slot_ids):
    client, persons = new_household(2)
    key = unique_key()
    book(client, next(slot_ids), persons, key)

    response = book(client, next(slot_ids), persons, key)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_person_cannot_hold_two_places_in_one_session(new_household, free_slot):
    client, persons = new_household(2)
    book(client, free_slot, [persons[0]])

    response = book(client, free_slot, persons)

    assert response.status_code == 409
    assert response.json()["code"] == "person_already_booked"
    assert response.json()["field"] == "person_ids[0]"
    assert places_left(client, free_slot) == 49


def test_person_of_another_household_is_rejected(new_household, free_slot):
    client, persons = new_household(1)
    _, strangers = new_household(1)

    response = book(client, free_slot, [persons[0], strangers[0]])

    assert response.status_code == 403
    assert response.json()["code"] == "person_not_in_household"
    assert response.json()["field"] == "person_ids[1]"
    assert places_left(client, free_slot) == 50


def test_weekly_household_quota_is_enforced(new_household, slot_ids):
    client, persons = new_household(5)
    first_slot, second_slot = next(slot_ids), next(slot_ids)
    while first_slot.split("T")[0] != second_slot.split("T")[0]:
        second_slot = next(slot_ids)
    assert book(client, first_slot, persons).status_code == 201

    response = book(client, second_slot, persons[:4])

    assert response.status_code == 409
    assert response.json()["code"] == "household_quota_exceeded"
    assert response.json()["details"] == {"used": 5, "quota": 8}
    assert book(client, second_slot, persons[:3]).status_code == 201


def test_unknown_slot_is_not_found(new_household):
    client, persons = new_household(1)

    response = book(client, "2026-01-01T03:17", persons)

    assert response.status_code == 404
    assert response.json()["code"] == "slot_not_found"


def test_past_slot_is_refused(new_household, stack):
    from datetime import date, timedelta

    client, persons = new_household(1)
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    response = book(client, f"{yesterday}T07:00", persons)

    assert response.status_code in (404, 410)
    assert response.json()["code"] in ("slot_not_found", "booking_closed")


def test_malformed_and_invalid_bodies_are_rejected(new_household, free_slot):
    client, persons = new_household(1)
    headers = {"Content-Type": "application/json"}

    malformed = client.post("/aquadrome/bookings", data=b"{not json", headers=headers)
    wrong_type = client.post("/aquadrome/bookings", json={"slot_id": 12, "person_ids": "x"})
    empty = client.post("/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": []})
    extra = client.post(
        "/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": persons, "x": 1}
    )

    assert malformed.status_code == 400
    assert malformed.json()["code"] == "malformed_json"
    assert wrong_type.status_code == 422
    assert wrong_type.json()["field"] == "slot_id"
    assert empty.status_code == 422
    assert empty.json()["field"] == "person_ids"
    assert extra.status_code == 422
    assert places_left(client, free_slot) == 50


def test_cancellation_frees_places_and_quota(new_household, free_slot):
    client, persons = new_household(2)
    booking = book(client, free_slot, persons).json()

    cancelled = client.delete(f"/aquadrome/bookings/{booking['booking_id']}")
    again = client.delete(f"/aquadrome/bookings/{booking['booking_id']}")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert places_left(client, free_slot) == 50
    assert again.status_code == 409
    assert again.json()["code"] == "booking_already_cancelled"
    assert book(client, free_slot, persons).status_code == 201


def test_household_lists_only_its_bookings(new_household, free_slot):
    client, persons = new_household(1)
    other, other_persons = new_household(1)
    mine = book(client, free_slot, persons).json()
    book(other, free_slot, other_persons)

    listed = client.get("/aquadrome/bookings").json()["bookings"]

    assert [b["booking_id"] for b in listed] == [mine["booking_id"]]


def test_another_households_booking_is_invisible(new_household, free_slot):
    client, persons = new_household(1)
    intruder, _ = new_household(1)
    booking_id = book(client, free_slot, persons).json()["booking_id"]

    read = intruder.get(f"/aquadrome/bookings/{booking_id}")
    cancel = intruder.delete(f"/aquadrome/bookings/{booking_id}")
    ticket = intruder.get(f"/aquadrome/bookings/{booking_id}/ticket")

    assert read.status_code == 404
    assert cancel.status_code == 404
    assert ticket.status_code == 404
    assert places_left(client, free_slot) == 49


def test_deeply_nested_body_is_malformed(new_household):
    client, _ = new_household(1)
    body = b"[" * 100_000 + b"]" * 100_000

    response = client.post(
        "/aquadrome/bookings", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["code"] in ("malformed_json", "body_too_large")


def test_oversized_body_is_rejected(new_household, free_slot):
    client, persons = new_household(1)
    padding = "x" * 300_000

    response = client.post(
        "/aquadrome/bookings",
        json={"slot_id": free_slot, "person_ids": persons, "padding": padding},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "body_too_large"


def test_overlong_person_id_is_invalid(new_household, free_slot):
    client, _ = new_household(1)

    response = book(client, free_slot, ["x" * 1100])

    assert response.status_code == 422
    assert response.json()["field"] == "person_ids.0"


def test_empty_idempotency_key_is_invalid(new_household, free_slot):
    client, persons = new_household(1)

    response = client.post(
        "/aquadrome/bookings",
        json={"slot_id": free_slot, "person_ids": persons},
        headers={"Idempotency-Key": ""},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert places_left(client, free_slot) == 50


def test_impossible_date_is_named_invalid(new_household):
    client, persons = new_household(1)

    response = book(client, "2026-13-45T09:00", persons)

    assert response.status_code == 422
    assert response.json()["message"] == "slot_id '2026-13-45T09:00' is not a valid date and time"


def test_unknown_route_answers_not_found(api):
    from tests.conftest import ApiClient

    response = ApiClient(api).get("/nope")
    long_name = ApiClient(api).get("/" + "a" * 300)

    assert response.status_code == 404
    assert response.json()["code"] == "route_not_found"
    assert long_name.status_code == 404
