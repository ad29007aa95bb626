"""Every page, checked by axe-core once its content has loaded: no serious or critical issue."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def check_page(page: Page, path: str, loaded: str, axe_violations) -> dict[str, list[str]]:
    """Open ``path``, wait for ``loaded`` (a selector), then check language, title and axe."""
    page.goto(path)
    expect(page.locator(loaded).first).to_be_visible()
    problems = list(axe_violations(page))
    if page.locator("html").get_attribute("lang") != "fr":
        problems.append("html lang is not fr")
    if not page.title().strip():
        problems.append("the page has no title")
    return {path: problems} if problems else {}


def test_sign_in_and_home_pages_pass_axe(page, axe_violations):
    problems = {
        **check_page(page, "/connexion.html", ".identites button", axe_violations),
        **check_page(page, "/index.html", ".cartes", axe_violations),
        **check_page(page, "/accessibilite.html", "footer a", axe_violations),
    }

    assert problems == {}


def test_footer_links_accessibility_statement(page):
    page.goto("/index.html")
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Accessibilité : partiellement conforme"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.get_by_role("main")).to_contain_text("axe-core")
    expect(page.get_by_role("heading", name="Limites connues")).to_be_visible()


def test_agent_home_describes_agent_pages(page, signed_in):
    signed_in(page, "agent.aquadrome")
    page.goto("/index.html")

    card = page.locator(".carte").filter(has=page.get_by_role("heading", name="Aquadrome"))
    expect(card).to_contain_text("Contrôler les billets à l'entrée")
    expect(card).not_to_contain_text("votre foyer")


def test_resident_pages_pass_axe(page, signed_in, api_as, free_slot, axe_violations):
    booking = (
        api_as("camille.martin")
        .post("/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": ["p-lea-martin"]})
        .json()
    )
    signed_in(page, "camille.martin")
    day = free_slot.split("T")[0]

    problems = {
        **check_page(page, "/index.html", ".cartes a", axe_violations),
        **check_page(page, "/profil.html", "table", axe_violations),
        **check_page(
            page, f"/aquadrome/seances.html?jour={day}", "input[name=person_ids]", axe_violations
        ),
        **check_page(page, "/aquadrome/reservations.html", "article", axe_violations),
        **check_page(
            page,
            f"/aquadrome/billet.html?reservation={booking['booking_id']}",
            "img",
            axe_violations,
        ),
    }
    page.goto("/aquadrome/reservations.html")
    page.get_by_role("button", name="Annuler la réservation").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    dialog_problems = axe_violations(page)

    assert problems == {}
    assert dialog_problems == []


def test_agent_pages_pass_axe(page, signed_in, axe_violations):
    signed_in(page, "agent.aquadrome")

    problems = {
        **check_page(page, "/aquadrome/frequentation.html", "#frequentation table", axe_violations),
        **check_page(page, "/aquadrome/controle.html", "#billet", axe_violations),
    }
    page.get_by_label("Référence du billet").fill("AQ1.inconnu.0")
    page.keyboard.press("Enter")
    expect(page.locator("#resultat")).to_contain_text("Entrée refusée")
    rejected_problems = axe_violations(page)

    assert problems == {}
    assert rejected_problems == []
