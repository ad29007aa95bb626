"""Aquadrome pages in a browser: booking, ticket, check-in, cancellation and their errors."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, Route, expect

from demarches.clock import to_paris

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

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


def french_instant(iso: str) -> str:
    """The pages' wording of an instant: "samedi 5 décembre 2026 à 12:00", Paris time."""
    local = to_paris(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    day = FRENCH_DAYS[local.weekday()]
    month = FRENCH_MONTHS[local.month - 1]
    return f"{day} {local.day} {month} {local.year} à {local:%H:%M}"


def french_hour(text: str) -> str:
    """The pages' wording of a wall-clock time: "14 h" for 14:00, "7 h 30" for 07:30."""
    hours, minutes = text.split(":")
    return f"{int(hours)} h" if minutes == "00" else f"{int(hours)} h {minutes}"


def french_session_start(iso: str) -> str:
    """The start of a session as the ticket reads it: "samedi 5 décembre 2026, de 14 h"."""
    local = to_paris(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    day = FRENCH_DAYS[local.weekday()]
    month = FRENCH_MONTHS[local.month - 1]
    return f"{day} {local.day} {month} {local.year}, de {french_hour(f'{local:%H:%M}')} à "


def session_radio(start: str) -> re.Pattern[str]:
    """Accessible name of a session's radio button: "de 7 h 30 à 8 h · 50 places restantes"."""
    return re.compile(f"^de {french_hour(start)} à ")


def decode_qr(data_uri: str) -> list[str]:
    _, encoded = data_uri.split(",", 1)
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    return [code.text for code in zxingcpp.read_barcodes(image)]


def open_sessions(page: Page, slot_id: str) -> None:
    day, start = slot_id.split("T")
    page.goto(f"/aquadrome/seances.html?jour={day}")
    page.get_by_role("radio", name=session_radio(start)).check()


def slot_starts_at(client: Any, slot_id: str) -> datetime:
    slots = client.get("/aquadrome/slots", params={"day": slot_id.split("T")[0]}).json()["slots"]
    text = next(slot["starts_at"] for slot in slots if slot["slot_id"] == slot_id)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def household_bookings(client: Any, slot_id: str) -> list[dict[str, Any]]:
    bookings = client.get("/aquadrome/bookings").json()["bookings"]
    return [booking for booking in bookings if booking["slot_id"] == slot_id]


def test_resident_books_two_members_and_gets_ticket(page, sign_in, api_as, free_slot):
    day, start = free_slot.split("T")
    page.goto(f"/aquadrome/seances.html?jour={day}")
    expect(page).to_have_url(re.compile(r"/connexion\.html\?retour="))
    sign_in(page, "camille.martin")
    expect(page).to_have_url(re.compile(rf"/aquadrome/seances\.html\?jour={day}$"))

    page.get_by_role("radio", name=session_radio(start)).check()
    page.get_by_role("checkbox", name="Léa Martin").check()
    page.get_by_role("checkbox", name="Hugo Martin").check()
    page.get_by_role("button", name="Réserver").dblclick()

    result = page.get_by_role("status").filter(has_text="Réservation confirmée")
    expect(result).to_contain_text("pour Léa Martin, Hugo Martin")
    bookings = household_bookings(api_as("camille.martin"), free_slot)
    assert len(bookings) == 1
    assert sorted(bookings[0]["person_ids"]) == ["p-hugo-martin", "p-lea-martin"]
    expect(result).to_contain_text(french_instant(bookings[0]["cancel_until"]))

    result.get_by_role("link", name=re.compile("billet")).click()
    qr_code = page.get_by_role("img", name=re.compile("^QR code du billet"))
    expect(qr_code).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        french_session_start(bookings[0]["starts_at"])
    )
    expect(page.get_by_text("Entrée pour Léa Martin, Hugo Martin")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert reference.startswith(f"AQ1.{bookings[0]['booking_id']}.")
    assert decode_qr(qr_code.get_attribute("src") or "") == [reference]
    expect(page.get_by_role("button", name="Imprimer le billet")).to_be_visible()


def test_retry_after_lost_response_books_once(page, signed_in, api_as, free_slot):
    keys: list[str | None] = []

    def lose_first_response(route: Route) -> None:
        keys.append(route.request.header_value("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server books, then the browser loses the response
            route.abort("connectionreset")
        else:
            route.continue_()

    signed_in(page, "paul.weber")
    page.route("**/aquadrome/bookings", lose_first_response)
    open_sessions(page, free_slot)
    page.get_by_role("checkbox", name="Paul Weber").check()
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("alert")).to_contain_text("Le service est injoignable")
    page.get_by_role("button", name="Réserver").click()

    expect(page.get_by_role("status")).to_contain_text("Réservation confirmée")
    assert len(keys) == 2
    assert keys[0] is not None
    assert keys[0] == keys[1]
    assert len(household_bookings(api_as("paul.weber"), free_slot)) == 1


def test_double_booking_shown_next_to_person(page, signed_in, api_as, free_slot, axe_violations):
    sophie = api_as("sophie.nguyen")
    first = sophie.post(
        "/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": ["p-emma-nguyen"]}
    )
    assert first.status_code == 201

    signed_in(page, "sophie.nguyen")
    open_sessions(page, free_slot)
    page.get_by_role("checkbox", name="Sophie Nguyen").check()
    page.get_by_role("checkbox", name="Emma Nguyen").check()
    page.get_by_role("button", name="Réserver").click()

    emma = page.get_by_role("checkbox", name="Emma Nguyen")
    message = page.locator(".choix", has=emma).locator(".message-erreur")
    expect(message).to_have_text("Erreur : Cette personne a déjà une place à cette séance.")
    expect(emma).to_have_attribute("aria-invalid", "true")
    expect(emma).to_have_attribute("aria-describedby", re.compile(message.get_attribute("id")))
    expect(emma).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("La réservation n'a pas abouti.")
    expect(page.get_by_role("alert")).to_contain_text("Emma Nguyen — Cette personne")
    expect(page.get_by_role("checkbox", name="Sophie Nguyen")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    assert len(household_bookings(sophie, free_slot)) == 1
    assert axe_violations(page) == []


def test_closed_session_shown_next_to_session(page, signed_in, api_as, free_slot, clock_at):
    starts_at = slot_starts_at(api_as("paul.weber"), free_slot)
    signed_in(page, "paul.weber")
    open_sessions(page, free_slot)
    page.get_by_role("checkbox", name="Lucie Weber").focus()
    page.keyboard.press("Space")
    clock_at(starts_at + timedelta(minutes=1))

    page.get_by_role("button", name="Réserver").focus()
    page.keyboard.press("Enter")

    sessions = page.get_by_role("group", name="Séance")
    expect(sessions.locator(".message-erreur")).to_have_text(
        "Erreur : Les réservations pour cette séance sont closes. Choisissez une séance à venir."
    )
    expect(sessions.get_by_role("radio", checked=True)).to_be_focused()
    expect(page.get_by_role("group", name="Personnes qui viennent nager")).not_to_contain_text(
        "Erreur"
    )


def test_missing_choice_shown_before_sending(page, signed_in, free_slot):
    signed_in(page, "paul.weber")
    page.goto(f"/aquadrome/seances.html?jour={free_slot.split('T')[0]}")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method))
    expect(page.get_by_role("checkbox", name="Paul Weber")).to_be_visible()
    page.get_by_role("button", name="Réserver").click()

    sessions = page.get_by_role("group", name="Séance")
    expect(sessions.locator(".message-erreur")).to_contain_text("Choisissez une séance")
    assert "POST" not in requests


def test_resident_cancels_booking_before_deadline(page, signed_in, api_as, free_slot):
    camille = api_as("camille.martin")
    created = camille.post(
        "/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": ["p-julien-martin"]}
    ).json()

    signed_in(page, "camille.martin")
    page.goto("/aquadrome/reservations.html")
    booking = page.locator(
        "article", has=page.locator(f'[data-reservation="{created["booking_id"]}"]')
    )
    expect(booking).to_contain_text("Personnes : Julien Martin")
    expect(booking).to_contain_text(
        f"Annulation possible jusqu'au {french_instant(created['cancel_until'])}."
    )
    booking.get_by_role("button", name="Annuler la réservation").click()
    dialog = page.get_by_role("dialog", name="Annuler cette réservation ?")
    expect(dialog.get_by_role("button", name="Non, la garder")).to_be_focused()
    dialog.get_by_role("button", name="Oui, annuler la réservation").click()

    expect(page.get_by_role("status")).to_contain_text("est annulée")
    cancelled = page.locator("article", has=page.locator(f"#reservation-{created['booking_id']}"))
    expect(cancelled).to_contain_text("Annulée")
    expect(cancelled.get_by_role("button", name="Annuler la réservation")).to_have_count(0)
    stored = camille.get(f"/aquadrome/bookings/{created['booking_id']}").json()
    assert stored["status"] == "cancelled"


def test_agent_checks_ticket_in_once(page, sign_in, new_household, free_slot, clock_at):
    resident, persons = new_household(2)
    booking = resident.post(
        "/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": persons}
    ).json()
    reference = resident.get(f"/aquadrome/bookings/{booking['booking_id']}/ticket").json()[
        "reference"
    ]
    starts_at = datetime.fromisoformat(booking["starts_at"].replace("Z", "+00:00"))
    clock_at(starts_at - timedelta(minutes=10))

    sign_in(page, "agent.aquadrome")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Contrôle des entrées").click()
    ticket = page.get_by_label("Référence du billet")
    expect(ticket).to_be_focused()
    # Headless Chromium on Linux has no BarcodeDetector, so the camera is not offered.
    expect(page.get_by_role("button", name="Lire le QR code avec la caméra")).to_have_count(0)
    ticket.fill(reference)
    page.keyboard.press("Enter")

    result = page.locator("#resultat")
    expect(result).to_contain_text("Entrée acceptée : 2 personnes")
    expect(result).to_contain_text(f"Séance de {free_slot.split('T')[1]}")
    expect(ticket).to_have_value("")

    ticket.fill(reference)
    page.get_by_role("button", name="Valider l'entrée").click()
    expect(result).to_contain_text("Entrée refusée")
    expect(result).to_contain_text("ce billet a déjà servi pour une entrée")
    field_message = page.locator('[data-api-field="ticket"] .message-erreur')
    expect(field_message).to_contain_text("ce billet a déjà servi pour une entrée")
    expect(ticket).to_have_attribute("aria-invalid", "true")


# Stand-ins for a camera and for the browser's QR decoder, which headless Chromium on Linux
# lacks: the camera films a black canvas and the decoder reads `reference` at the first frame.
FAKE_CAMERA_SCRIPT = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return [{ rawValue: %s }]; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.getContext("2d").fillRect(0, 0, canvas.width, canvas.height);
  return canvas.captureStream();
};
"""


def test_camera_scan_checks_ticket_in(page, signed_in, new_household, free_slot, clock_at):
    resident, persons = new_household(1)
    booking = resident.post(
        "/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": persons}
    ).json()
    reference = resident.get(f"/aquadrome/bookings/{booking['booking_id']}/ticket").json()[
        "reference"
    ]
    starts_at = datetime.fromisoformat(booking["starts_at"].replace("Z", "+00:00"))
    clock_at(starts_at - timedelta(minutes=5))
    page.add_init_script(FAKE_CAMERA_SCRIPT % json.dumps(reference))

    signed_in(page, "agent.aquadrome")
    page.goto("/aquadrome/controle.html")
    page.get_by_role("button", name="Lire le QR code avec la caméra").click()

    expect(page.locator("#resultat")).to_contain_text("Entrée acceptée : 1 personne")
    expect(page.locator("#camera")).to_be_hidden()


def test_agent_sees_forged_ticket_rejected(page, signed_in):
    signed_in(page, "agent.aquadrome")
    page.goto("/aquadrome/controle.html")
    page.get_by_label("Référence du billet").fill("AQ1.0000.forged")
    page.get_by_role("button", name="Valider l'entrée").click()

    expect(page.locator("#resultat")).to_contain_text(
        "Billet refusé : ce n'est pas un billet de l'Aquadrome, ou il a été modifié."
    )


def test_occupancy_chart_and_table_agree(page, signed_in, new_household, free_slot):
    resident, persons = new_household(3)
    resident.post("/aquadrome/bookings", json={"slot_id": free_slot, "person_ids": persons})
    day, start = free_slot.split("T")

    signed_in(page, "agent.aquadrome")
    page.goto(f"/aquadrome/frequentation.html?semaine={day}")

    session_header = page.get_by_role(
        "rowheader", name=re.compile(f"^{french_day(day)}, de {french_hour(start)} à ")
    )
    cells = page.get_by_role("row").filter(has=session_header).get_by_role("cell")
    expect(cells).to_have_text(["50", "3", "0", "0", "47"])
    chart = page.get_by_role("img", name=re.compile("^Places réservées et entrées validées"))
    bar_group = chart.locator(f'[data-seance="{free_slot}"]')
    expect(bar_group.locator("title")).to_contain_text("3 réservées sur 50, 0 entrées validées")
    capacity_bar, booked_bar = bar_group.locator("rect").nth(0), bar_group.locator("rect").nth(1)
    capacity_height = float(capacity_bar.get_attribute("height") or "0")
    booked_height = float(booked_bar.get_attribute("height") or "0")
    assert booked_height == pytest.approx(capacity_height * 3 / 50)


def french_day(day: str) -> str:
    """The pages' wording of a day: "samedi 5 décembre 2026"."""
    parsed = datetime.fromisoformat(day)
    weekday = FRENCH_DAYS[parsed.weekday()]
    return f"{weekday} {parsed.day} {FRENCH_MONTHS[parsed.month - 1]} {parsed.year}"


def test_resident_cannot_open_agent_page(page, signed_in):
    signed_in(page, "camille.martin")
    page.goto("/index.html")
    expect(page.get_by_role("link", name="Mes réservations").first).to_be_visible()
    expect(page.get_by_role("link", name="Contrôle des entrées")).to_have_count(0)

    page.goto("/aquadrome/controle.html")

    expect(page.get_by_role("status")).to_contain_text("Accès réservé")


def test_day_beyond_horizon_says_when_published(page, signed_in):
    signed_in(page, "paul.weber")
    # The stack's test timetable publishes sessions three days ahead.
    far_day = date.today() + timedelta(days=10)
    page.goto(f"/aquadrome/seances.html?jour={far_day.isoformat()}")

    sessions = page.get_by_role("group", name="Séance")
    expect(sessions).to_contain_text("Les séances sont publiées 3 jours à l'avance")
    expect(page.locator("#jour-en-clair")).to_have_text(french_day(far_day.isoformat()))
    expect(page.get_by_role("checkbox", name="Paul Weber")).to_be_visible()
    expect(page.get_by_role("button", name="Réserver")).to_be_disabled()


def test_sessions_page_opens_on_bookable_day(page, signed_in, free_slot):
    signed_in(page, "paul.weber")
    page.goto("/aquadrome/seances.html")

    expect(page.get_by_role("checkbox", name="Paul Weber")).to_be_visible()
    expect(page.get_by_role("button", name="Réserver")).to_be_enabled()
    enabled = page.get_by_role("group", name="Séance").get_by_role("radio", disabled=False)
    expect(enabled.first).to_be_visible()
