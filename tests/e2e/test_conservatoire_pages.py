"""Conservatoire pages in a browser: enrollment with its fee quote, waiting list, errors."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

YEAR = "2026-2027"
# Inside the general enrollment window of the 2026-2027 demo configuration (15 June to
# 18 September 2026), so that anyone may enroll.
ENROLLMENT_OPEN = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
# Open from 10 years old on 31 December 2026; no other test of this process uses it.
COURSE = "cons-violon-c2"


def euros(cents: int) -> str:
    """The pages' wording of an amount: "1 234,50 €", with Intl's narrow no-break spaces."""
    text = f"{cents / 100:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0€"


def request_quote(page: Page, child: str) -> None:
    page.get_by_label("Cours").select_option(COURSE)
    page.get_by_role("radio", name=child).check()
    page.get_by_role("button", name="Voir le tarif").click()


def test_family_enrolls_child_then_waits(page, store_token, new_family, api_as, clock_at):
    clock_at(ENROLLMENT_OPEN)
    family = new_family(("Lina", date(2016, 5, 3)), ("Noé", date(2015, 2, 1)))
    store_token(page, family.token)
    page.goto(f"/conservatoire/inscription.html?annee={YEAR}&cours={COURSE}")
    expect(page.get_by_label("Cours")).to_have_value(COURSE)

    page.get_by_role("radio", name="Lina Test").check()
    page.get_by_role("button", name="Voir le tarif").click()

    quote = family.client.post(
        f"/conservatoire/{YEAR}/quote",
        json={"planned": [{"course_id": COURSE, "person_id": family.child_ids["Lina"]}]},
    ).json()
    summary = page.get_by_role("region", name="Tarif annuel avant confirmation")
    expect(summary).to_contain_text("Violon, cycle 2 pour Lina Test")
    expect(summary).to_contain_text("Une place est libre")
    expect(summary.get_by_role("row", name=re.compile("^Lina Test"))).to_contain_text(
        "cette demande"
    )
    expect(summary.get_by_role("row", name=re.compile("^Total annuel"))).to_contain_text(
        euros(quote["total_cents"])
    )
    assert family.client.get(f"/conservatoire/{YEAR}/enrollments").json()["enrollments"] == []

    summary.get_by_role("button", name="Confirmer la demande d'inscription").click()
    result = page.get_by_role("status").filter(has_text="enregistrée")
    expect(result).to_contain_text("Une place du cours Violon, cycle 2 est réservée pour Lina")
    expect(summary).to_be_hidden()

    agent = api_as("agent.conservatoire")
    roster = agent.get(f"/conservatoire/{YEAR}/courses/{COURSE}/roster").json()
    full = agent.request(
        "PUT",
        f"/conservatoire/{YEAR}/courses/{COURSE}/capacity",
        json={"capacity": roster["places_held"]},
    )
    assert full.status_code == 200, full.text

    page.reload()
    expect(page.get_by_label("Cours")).to_contain_text(
        "Violon, cycle 2 · vendredi 17:00-19:00 · complet"
    )
    request_quote(page, "Noé Test")
    expect(summary).to_contain_text("Ce cours est complet")
    expect(summary).to_contain_text("en première position")
    summary.get_by_role("button", name="Confirmer la demande d'inscription").click()
    expect(result).to_contain_text("la demande pour Noé Test est sur la liste d'attente, au rang 1")

    page.get_by_role("link", name="Voir mes inscriptions").click()
    waiting = page.locator("article").filter(has_text="Noé Test")
    expect(waiting.get_by_role("heading")).to_contain_text("Liste d'attente")
    expect(waiting).to_contain_text("au rang 1 de la liste d'attente")
    holding = page.locator("article").filter(has_text="Lina Test")
    expect(holding.get_by_role("heading")).to_contain_text("Place réservée, à confirmer")
    enrollments = family.client.get(f"/conservatoire/{YEAR}/enrollments").json()["enrollments"]
    assert sorted(e["status"] for e in enrollments) == ["requested", "waiting"]


def test_age_error_shown_next_to_person(page, store_token, new_family, clock_at):
    clock_at(ENROLLMENT_OPEN)
    family = new_family(("Zoé", date(2020, 9, 14)))
    store_token(page, family.token)
    page.goto(f"/conservatoire/inscription.html?annee={YEAR}")
    page.get_by_role("button", name="Voir le tarif").click()
    expect(page.get_by_label("Cours")).to_be_focused()
    expect(page.locator('[data-api-field="course_id"] .message-erreur')).to_have_text(
        "Erreur : Choisissez un cours dans la liste."
    )

    # The quote checks the age as the enrollment would, so the error comes before any request.
    request_quote(page, "Zoé Test")

    persons = page.get_by_role("group", name="Personne à inscrire")
    expect(persons.locator(".message-erreur")).to_have_text(
        "Erreur : Ce cours n'est pas ouvert à cet âge : la personne aura 6 ans au jour de "
        "référence du catalogue (ouvert à partir de 10 ans)."
    )
    expect(persons.get_by_role("radio", name="Zoé Test")).to_be_focused()
    expect(persons.get_by_role("radio", name="Zoé Test")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Le tarif n'a pas pu être calculé.")
    assert family.client.get(f"/conservatoire/{YEAR}/enrollments").json()["enrollments"] == []
