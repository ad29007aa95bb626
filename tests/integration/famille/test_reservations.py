"""Reservations over HTTP: days and weekly patterns, deadlines to the second, retries, other
households' children, and the agents' lists and attendance."""

from __future__ import annotations

from datetime import date, time, timedelta

from tests.integration.famille.conftest import BEFORE_MARCH, paris

# Thursday 18 March 2027: the cantine deadline is two working days before at 10:00 (Tuesday
# 16 March, 10:00 Paris), the garderie deadline the day before at 18:00.
THURSDAY = date(2027, 3, 18)
CANTINE_DEADLINE = paris(date(2027, 3, 16), time(10, 0))


def book(family, child=0, **request):
    return family.client.post(
        "/famille/reservations", json={"child_id": family.child_ids[child], **request}
    )


def cancel(family, child=0, **request):
    return family.client.post(
        "/famille/reservations/cancellations", json={"child_id": family.child_ids[child], **request}
    )


def items(entries):
    return {(entry["day"], entry["activity"]) for entry in entries}


def test_days_booked_and_refused_with_reasons(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()

    response = book(
        family,
        days=[
            {"day": "2027-03-08", "activities": ["cantine", "garderie_soir"]},
            {"day": "2027-03-10", "activities": ["cantine"]},
            {"day": "2027-03-04", "activities": ["cantine"]},
            {"day": "2027-03-09", "activities": ["piscine"]},
        ],
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert items(body["booked"]) == {("2027-03-08", "cantine"), ("2027-03-08", "garderie_soir")}
    reasons = {(r["day"], r["activity"]): r for r in body["rejected"]}
    assert reasons[("2027-03-10", "cantine")]["reason"] == "not_school_day"
    assert reasons[("2027-03-10", "cantine")]["non_school_reason"] == "no_school_that_weekday"
    assert reasons[("2027-03-04", "cantine")]["non_school_reason"] == "school_holiday"
    assert reasons[("2027-03-09", "piscine")]["reason"] == "activity_unknown"


def test_weekly_pattern_books_school_days(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()

    response = book(
        family,
        pattern={
            "first_day": "2027-03-01",
            "last_day": "2027-03-21",
            "weekdays": {"monday": ["cantine"], "thursday": ["cantine", "garderie_matin"]},
        },
    )
    listed = family.client.get("/famille/reservations", params={"month": "2027-03"})

    body = response.json()
    assert items(body["booked"]) == {
        ("2027-03-08", "cantine"),
        ("2027-03-11", "cantine"),
        ("2027-03-11", "garderie_matin"),
        ("2027-03-15", "cantine"),
        ("2027-03-18", "cantine"),
        ("2027-03-18", "garderie_matin"),
    }
    assert sorted((r["day"], r["activity"], r["reason"]) for r in body["rejected"]) == [
        ("2027-03-01", "cantine", "not_school_day"),
        ("2027-03-04", "cantine", "not_school_day"),
        ("2027-03-04", "garderie_matin", "not_school_day"),
    ]
    assert len(listed.json()["reservations"]) == 6


def test_retried_request_books_nothing_twice(registered_family, agent, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()
    request = {"days": [{"day": "2027-03-09", "activities": ["cantine"]}]}

    first = book(family, **request)
    retry = book(family, **request)
    counts = agent.get("/famille/agent/meal-counts", params={"day": "2027-03-09"}).json()

    assert len(first.json()["booked"]) == 1
    assert retry.json()["booked"] == []
    assert [r["reason"] for r in retry.json()["rejected"]] == ["already_booked"]
    school = [s for s in counts["schools"] if s["school_id"] == family.school_id]
    assert school == [{"school_id": family.school_id, "meals": 1, "capacity": 120}]


def test_cancellation_deadline_to_the_second(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family(children=2)
    request = {"days": [{"day": THURSDAY.isoformat(), "activities": ["cantine"]}]}
    book(family, **request)

    clock_at(CANTINE_DEADLINE - timedelta(seconds=1))
    before = cancel(family, **request)
    rebooked = book(family, **request)
    clock_at(CANTINE_DEADLINE)
    at_deadline = cancel(family, **request)
    late_booking = book(family, child=1, **request)

    assert items(before.json()["cancelled"]) == {(THURSDAY.isoformat(), "cantine")}
    assert len(rebooked.json()["booked"]) == 1
    assert at_deadline.json()["cancelled"] == []
    rejected = at_deadline.json()["rejected"][0]
    assert rejected["reason"] == "deadline_passed"
    assert rejected["deadline"].startswith("2027-03-16T09:00:00")
    assert late_booking.json()["rejected"][0]["reason"] == "deadline_passed"


def test_garderie_deadline_is_day_before_evening(registered_family, clock_at):
    family = registered_family()
    request = {"days": [{"day": THURSDAY.isoformat(), "activities": ["garderie_soir"]}]}

    clock_at(paris(THURSDAY - timedelta(days=1), time(17, 59, 59)))
    in_time = book(family, **request)
    clock_at(paris(THURSDAY - timedelta(days=1), time(18, 0)))
    too_late = cancel(family, **request)

    assert len(in_time.json()["booked"]) == 1
    assert too_late.json()["rejected"][0]["reason"] == "deadline_passed"


def test_cancelling_unbooked_day_is_refused(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()

    response = cancel(family, days=[{"day": "2027-03-09", "activities": ["cantine"]}])

    assert response.json()["rejected"][0]["reason"] == "not_booked"


def test_other_household_child_not_found(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family, other = registered_family(), registered_family()
    book(other, days=[{"day": "2027-03-09", "activities": ["cantine"]}])
    foreign = {
        "child_id": other.child_ids[0],
        "days": [{"day": "2027-03-09", "activities": ["cantine"]}],
    }

    booked = family.client.post("/famille/reservations", json=foreign)
    cancelled = family.client.post("/famille/reservations/cancellations", json=foreign)
    guessed = family.client.post("/famille/reservations", json={**foreign, "child_id": "p-inconnu"})
    own_month = family.client.get("/famille/reservations", params={"month": "2027-03"})

    assert booked.status_code == 404
    assert booked.json()["code"] == "child_not_found"
    assert cancelled.status_code == 404
    assert guessed.status_code == 404
    assert own_month.json()["reservations"] == []


def test_unvalidated_registration_books_nothing(new_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = new_family()

    response = book(family, days=[{"day": "2027-03-09", "activities": ["cantine"]}])

    assert response.status_code == 200
    assert response.json()["booked"] == []
    assert response.json()["rejected"][0]["reason"] == "child_not_registered"


def test_agent_lists_and_attendance(registered_family, new_family, agent, clock_at):
    clock_at(BEFORE_MARCH)
    school = f"ecole-liste-{id(agent)}"
    first, second = registered_family(school_id=school), registered_family(school_id=school)
    stranger = new_family()
    for family in (first, second):
        book(family, days=[{"day": "2027-03-11", "activities": ["cantine", "garderie_soir"]}])
    cancel(second, days=[{"day": "2027-03-11", "activities": ["garderie_soir"]}])

    cantine = agent.get(
        "/famille/agent/sessions",
        params={"school_id": school, "day": "2027-03-11", "activity": "cantine"},
    ).json()
    soir = agent.get(
        "/famille/agent/sessions",
        params={"school_id": school, "day": "2027-03-11", "activity": "garderie_soir"},
    ).json()
    meals = agent.get("/famille/agent/meal-counts", params={"day": "2027-03-11"}).json()
    marked = agent.post(
        "/famille/agent/attendance",
        json={
            "school_id": school,
            "day": "2027-03-11",
            "activity": "cantine",
            "present": [first.child_ids[0]],
            "excused": [second.child_ids[0]],
            "absent": [stranger.child_ids[0]],
        },
    )
    after = agent.get(
        "/famille/agent/sessions",
        params={"school_id": school, "day": "2027-03-11", "activity": "cantine"},
    ).json()
    parent = first.client.get("/famille/agent/meal-counts", params={"day": "2027-03-11"})

    assert {c["child_id"] for c in cantine["children"]} == {first.child_ids[0], second.child_ids[0]}
    assert all(c["pai"] is False for c in cantine["children"])
    assert [c["child_id"] for c in soir["children"]] == [first.child_ids[0]]
    assert {"school_id": school, "meals": 2, "capacity": 120} in meals["schools"]
    assert marked.status_code == 200, marked.text
    assert set(marked.json()["recorded"]) == {first.child_ids[0], second.child_ids[0]}
    assert marked.json()["not_booked"] == [stranger.child_ids[0]]
    attendance = {c["child_id"]: (c["attended"], c["excused"]) for c in after["children"]}
    assert attendance == {first.child_ids[0]: (True, False), second.child_ids[0]: (False, True)}
    assert parent.status_code == 403
