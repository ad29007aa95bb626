"""A child's month over HTTP: non-school days and their reasons, deadlines to the second, the
reservation status, the activities list and other households' children."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tests.integration.famille.conftest import BEFORE_MARCH, paris

# Thursday 18 March 2027: cantine closes two working days before at 10:00 (Tuesday 16 March,
# 10:00 Paris), the evening garderie the day before at 18:00.
THURSDAY = "2027-03-18"
CANTINE_DEADLINE = paris(date(2027, 3, 16), time(10, 0))
GARDERIE_DEADLINE = paris(date(2027, 3, 17), time(18, 0))


def month_of(family, month="2027-03", child=0):
    return family.client.get(
        "/famille/calendar", params={"month": month, "child_id": family.child_ids[child]}
    )


def day_of(body, day):
    return next(entry for entry in body["days"] if entry["day"] == day)


def activity_of(entry, code):
    return next(activity for activity in entry["activities"] if activity["code"] == code)


def instant(text):
    return datetime.fromisoformat(text)


def test_calendar_lists_every_day_of_month(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()

    response = month_of(family)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["month"] == "2027-03"
    assert body["registered"] is True
    assert body["school_id"] == family.school_id
    assert body["days"][0]["day"] == "2027-03-01"
    assert len(body["days"]) == 31


def test_calendar_non_school_reasons(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()

    body = month_of(family).json()

    winter = day_of(body, "2027-03-04")
    assert winter["school_day"] is False
    assert winter["non_school_reason"] == "school_holiday"
    assert winter["holiday_name"] == "Vacances d'hiver"
    assert winter["activities"] == []
    easter_monday = day_of(body, "2027-03-29")
    assert easter_monday["non_school_reason"] == "public_holiday"
    assert easter_monday["holiday_name"] == "Lundi de Pâques"
    wednesday = day_of(body, "2027-03-10")
    assert wednesday["non_school_reason"] == "no_school_that_weekday"
    assert wednesday["weekend"] is False
    saturday = day_of(body, "2027-03-13")
    assert saturday["non_school_reason"] == "no_school_that_weekday"
    assert saturday["weekend"] is True
    monday = day_of(body, "2027-03-08")
    assert monday["school_day"] is True
    assert monday["non_school_reason"] is None
    assert [a["code"] for a in monday["activities"]] == [
        "garderie_matin",
        "cantine",
        "garderie_soir",
    ]
    assert activity_of(monday, "cantine")["label"] == "Cantine"


def test_calendar_deadline_exact_boundary(registered_family, clock_at):
    family = registered_family()

    clock_at(CANTINE_DEADLINE - timedelta(seconds=1))
    before = day_of(month_of(family).json(), THURSDAY)
    clock_at(CANTINE_DEADLINE)
    at_deadline = day_of(month_of(family).json(), THURSDAY)

    cantine_before = activity_of(before, "cantine")
    assert instant(cantine_before["booking_deadline"]) == CANTINE_DEADLINE
    assert instant(cantine_before["cancellation_deadline"]) == CANTINE_DEADLINE
    assert cantine_before["can_book"] is True
    assert cantine_before["can_cancel"] is True
    cantine_at = activity_of(at_deadline, "cantine")
    assert cantine_at["can_book"] is False
    assert cantine_at["can_cancel"] is False
    garderie_at = activity_of(at_deadline, "garderie_soir")
    assert instant(garderie_at["booking_deadline"]) == GARDERIE_DEADLINE
    assert garderie_at["can_book"] is True


def test_calendar_shows_reservation_status(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()
    child_id = family.child_ids[0]
    booked = family.client.post(
        "/famille/reservations",
        json={"child_id": child_id, "days": [{"day": THURSDAY, "activities": ["cantine"]}]},
    )
    assert booked.status_code == 200, booked.text
    cancelled = family.client.post(
        "/famille/reservations",
        json={"child_id": child_id, "days": [{"day": "2027-03-19", "activities": ["cantine"]}]},
    )
    assert cancelled.status_code == 200, cancelled.text
    family.client.post(
        "/famille/reservations/cancellations",
        json={"child_id": child_id, "days": [{"day": "2027-03-19", "activities": ["cantine"]}]},
    )

    body = month_of(family).json()

    assert activity_of(day_of(body, THURSDAY), "cantine")["status"] == "booked"
    assert activity_of(day_of(body, "2027-03-19"), "cantine")["status"] == "cancelled"
    assert activity_of(day_of(body, THURSDAY), "garderie_soir")["status"] is None


def test_calendar_unregistered_child_cannot_book(new_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = new_family()

    response = month_of(family)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["registered"] is False
    assert body["school_id"] is None
    cantine = activity_of(day_of(body, THURSDAY), "cantine")
    assert cantine["can_book"] is False
    assert instant(cantine["booking_deadline"]) == CANTINE_DEADLINE


def test_calendar_other_household_child_not_found(registered_family, clock_at):
    clock_at(BEFORE_MARCH)
    family = registered_family()
    other = registered_family()

    response = family.client.get(
        "/famille/calendar", params={"month": "2027-03", "child_id": other.child_ids[0]}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "child_not_found"


def test_calendar_invalid_month_rejected(registered_family):
    family = registered_family()

    response = family.client.get(
        "/famille/calendar", params={"month": "2027-3", "child_id": family.child_ids[0]}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "month_invalid"


def test_activities_list_deadline_rules(registered_family):
    family = registered_family()

    response = family.client.get("/famille/activities")

    assert response.status_code == 200, response.text
    activities = {a["code"]: a for a in response.json()["activities"]}
    assert list(activities) == ["garderie_matin", "cantine", "garderie_soir"]
    cantine = activities["cantine"]
    assert cantine["label"] == "Cantine"
    assert cantine["booking_deadline"]["days_before"] == 2
    assert cantine["booking_deadline"]["day_kind"] == "working"
    assert cantine["booking_deadline"]["at"] == "10:00"
    assert cantine["booking_deadline"]["text"] == "2 jours ouvrés avant, avant 10 h"
    assert cantine["cancellation_deadline"] == cantine["booking_deadline"]
    assert activities["garderie_soir"]["booking_deadline"]["text"] == "la veille, avant 18 h"
