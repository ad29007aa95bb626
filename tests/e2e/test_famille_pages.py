"""Portail famille pages in a browser: a week of cantine booked, then seen in the calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from demarches import bootstrap
from demarches.famille.calendar import SchoolCalendar

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PARIS = ZoneInfo("Europe/Paris")
FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_day(day: date) -> str:
    """The pages' wording of a day: "lundi 11 janvier 2027"."""
    return f"{FRENCH_DAYS[day.weekday()]} {day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def school_year_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def next_school_week() -> date:
    """Monday of the first week, two weeks ahead or more, whose Monday to Friday lie in one
    month and whose Monday, Tuesday, Thursday and Friday are school days: past every booking
    deadline, and free of holidays."""
    calendar = SchoolCalendar(bootstrap.famille_settings().calendar)
    monday = date.today() + timedelta(days=14)
    monday -= timedelta(days=monday.weekday())
    for _ in range(40):
        days = [monday + timedelta(days=offset) for offset in (0, 1, 3, 4)]
        one_month = monday.month == (monday + timedelta(days=4)).month
        if one_month and all(calendar.is_school_day(day) for day in days):
            return monday
        monday += timedelta(days=7)
    raise AssertionError("no full school week in the coming forty weeks")


def register_and_validate(family, agent, school_year: str) -> None:
    saved = family.client.request(
        "PUT", f"/famille/registrations/{school_year}", json={"consents": {"rules": True}}
    )
    assert saved.status_code == 200, saved.text
    submitted = family.client.post(f"/famille/registrations/{school_year}/submit")
    assert submitted.status_code == 200, submitted.text
    validated = agent.post(
        f"/famille/agent/registrations/{family.household_id}/{school_year}/validation"
    )
    assert validated.status_code == 200, validated.text


def test_parent_books_week_of_cantine(page, store_token, new_family, api_as):
    family = new_family(("Lina", date(2017, 4, 2)))
    monday = next_school_week()
    friday = monday + timedelta(days=4)
    register_and_validate(family, api_as("agent.periscolaire"), school_year_of(monday))
    store_token(page, family.token)
    page.goto("/famille/semaine-type.html")
    page.get_by_label("Enfant").select_option(label="Lina Test")
    for weekday in ("lundi", "mardi", "mercredi", "jeudi", "vendredi"):
        page.get_by_role("checkbox", name=f"Cantine, {weekday}").check()
    page.get_by_label("Premier jour").fill(friday.isoformat())
    page.get_by_label("Dernier jour").fill(monday.isoformat())
    page.get_by_role("button", name="Réserver ces jours").click()

    last_day = page.locator('[data-api-field="last_day"]')
    expect(last_day.locator(".message-erreur")).to_have_text(
        "Erreur : La période doit finir après son premier jour, dans la même année scolaire."
    )
    expect(page.get_by_label("Dernier jour")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("La réservation n'a pas abouti.")

    page.get_by_label("Premier jour").fill(monday.isoformat())
    page.get_by_label("Dernier jour").fill(friday.isoformat())
    page.get_by_role("button", name="Réserver ces jours").click()

    result = page.get_by_role("status")
    expect(result).to_contain_text("Lina Test : 4 séances réservées, 1 refusée.")
    wednesday = monday + timedelta(days=2)
    expect(result.get_by_role("listitem").filter(has_text=french_day(wednesday))).to_have_text(
        f"{french_day(wednesday)} : Cantine, pas d'école ce jour de la semaine"
    )
    expect(last_day.locator(".message-erreur")).to_have_count(0)

    result.get_by_role("link", name="Voir le calendrier du mois").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Réservations de Lina Test")
    for offset in (0, 1, 3, 4):
        day = monday + timedelta(days=offset)
        cantine = page.get_by_role("checkbox", name=f"Cantine, {french_day(day)}")
        expect(cantine).to_be_checked()
        morning = page.get_by_role("checkbox", name=f"Garderie du matin, {french_day(day)}")
        expect(morning).not_to_be_checked()
    wednesday_row = page.get_by_role("row").filter(has_text=french_day(wednesday))
    expect(wednesday_row).to_contain_text("pas d'école le mercredi")
    expect(wednesday_row.get_by_role("checkbox")).to_have_count(0)

    # The deadline of each session is shown under its box: cantine closes two working days
    # before at 10:00, so Monday's booked cantine can be cancelled until the Thursday before.
    cantine_rule = bootstrap.famille_settings().catalogue().get("cantine").booking_deadline
    deadline = SchoolCalendar(bootstrap.famille_settings().calendar).deadline(monday, cantine_rule)
    deadline_day = deadline.astimezone(PARIS).day
    monday_cantine = page.get_by_role("checkbox", name=f"Cantine, {french_day(monday)}")
    expect(monday_cantine).to_be_enabled()
    expect(monday_cantine).to_have_accessible_description(
        re.compile(rf"^Annulable jusqu'au \w+\. {deadline_day} \S+ à 10 h$")
    )
    expect(page.locator("#delais")).to_contain_text(
        "Cantine : réservation et annulation 2 jours ouvrés avant, avant 10 h."
    )
    month = family.client.get("/famille/reservations", params={"month": f"{monday:%Y-%m}"})
    booked = [row for row in month.json()["reservations"] if row["status"] == "booked"]
    assert sorted(row["day"] for row in booked) == [
        (monday + timedelta(days=offset)).isoformat() for offset in (0, 1, 3, 4)
    ]
