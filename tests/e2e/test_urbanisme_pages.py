"""Urbanism pages in a browser: a notary's DIA from the draft to the signed decision."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
from fpdf import FPDF
from playwright.sync_api import Page, expect

from demarches import bootstrap
from demarches.urbanisme.signature import verify

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

REGISTRATION_NUMBER = re.compile(r"DIA-055545-\d{4}-\d{6}")


def pdf_bytes(pages: int) -> bytes:
    document = FPDF()
    document.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        document.add_page()
        document.cell(text=f"Plan cadastral - page {number}")
    return bytes(document.output())


def wait_until_awaiting(client: Any, dossier_id: str, step: str, timeout: float = 20) -> None:
    """Poll the dossier until the instruction workflow waits on ``step``."""
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = client.get(f"/urbanisme/dossiers/{dossier_id}").json()
        if body.get("awaiting") == step:
            return
        time.sleep(0.1)
    raise AssertionError(f"dossier {dossier_id} waits on {body.get('awaiting')}, not {step}")


def fill_address(scope: Any, street: str, postcode: str, city: str) -> None:
    scope.get_by_label("Numéro et voie").fill(street)
    scope.get_by_label("Code postal").fill(postcode)
    scope.get_by_label("Commune", exact=True).fill(city)


def file_dia_draft(page: Page) -> str:
    """Create a DIA draft from the type choice and return its dossier id."""
    page.goto("/urbanisme/demande.html")
    page.get_by_role("radio", name="Déclaration d'intention d'aliéner (DIA)").check()
    page.get_by_role("button", name="Commencer la demande").click()
    expect(page).to_have_url(re.compile(r"demande\.html\?dossier=urb-[0-9a-f]{24}$"))
    return page.url.rsplit("=", 1)[1]


def test_dia_from_notary_draft_to_signed_decision(new_page, signed_in, api_as, stack):
    notary = new_page()
    signed_in(notary, "notaire.durand")
    dossier_id = file_dia_draft(notary)
    expect(notary.get_by_label("Nom de l'office")).to_have_value("Office notarial Durand")

    owner = notary.get_by_role("region", name="Propriétaire du bien")
    owner.get_by_role("radio", name="d'une personne", exact=True).check()
    owner.get_by_label("Nom", exact=True).fill("Lefèvre")
    owner.get_by_label("Prénom", exact=True).fill("Anaïs")
    fill_address(owner.get_by_role("group", name="Adresse"), "3 rue Saint-Paul", "551", "Verdun")
    bien = notary.get_by_role("region", name="Bien vendu")
    bien.get_by_label("Code INSEE de la commune").fill("55545")
    fill_address(
        bien.get_by_role("group", name="Adresse du bien"), "12 rue Mazel", "55100", "Verdun"
    )
    bien.get_by_label("Superficie du terrain, en m²").fill("1250")
    bien.get_by_role("group", name="Le bien est-il bâti ?").get_by_label("Non").check()
    sale = notary.get_by_role("region", name="Prix et conditions de la vente")
    sale.get_by_label("Prix de vente, en euros").fill("185 000")
    sale.get_by_label("Modalités de paiement").select_option("comptant")
    notary.get_by_role("button", name="Déposer la demande").click()

    postcode = owner.locator('[data-api-field="owner.address.postcode"]')
    expect(postcode.locator(".message-erreur")).to_have_text(
        "Erreur : Un code postal français compte 5 chiffres."
    )
    expect(postcode.get_by_role("textbox")).to_be_focused()
    expect(notary.get_by_role("alert").first).to_contain_text("La demande n'a pas été déposée.")

    postcode.get_by_role("textbox").fill("55100")
    notary.get_by_role("button", name="Déposer la demande").click()
    parcels = bien.locator('[data-api-field="bien.parcels"]')
    expect(parcels.locator(".message-erreur")).to_have_text(
        "Erreur : Indiquez au moins une parcelle cadastrale."
    )
    expect(parcels.get_by_role("textbox")).to_be_focused()
    expect(notary.get_by_role("alert").first).to_contain_text(
        "Parcelles cadastrales — Indiquez au moins une parcelle cadastrale."
    )
    parcels.get_by_role("textbox").fill("55545 000 AB 0123")

    uploads: list[tuple[str, int]] = []
    notary.on(
        "requestfinished",
        lambda request: (
            uploads.append((request.url, request.response().status))
            if request.method == "POST" and "/demarches-documents-" in request.url
            else None
        ),
    )
    plan = notary.get_by_role("article").filter(has_text="Plan cadastral du bien")
    plan.get_by_label("Fichier PDF : Plan cadastral du bien").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)}]
    )
    plan.get_by_role("button", name="Envoyer la pièce").click()
    expect(plan.get_by_role("status")).to_contain_text("plan.pdf : Acceptée", timeout=20_000)
    expect(plan.get_by_role("status")).to_contain_text("Document accepté (2 pages).")
    assert len(uploads) == 1
    upload_origin = urlsplit(uploads[0][0])
    assert upload_origin.port != urlsplit(notary.url).port  # storage is another origin
    assert uploads[0][1] == 204

    notary.get_by_role("button", name="Déposer la demande").click()
    receipt = notary.get_by_role("status").filter(has_text="Demande déposée")
    expect(receipt).to_contain_text(REGISTRATION_NUMBER)
    number = REGISTRATION_NUMBER.search(receipt.inner_text()).group(0)

    agent_api = api_as("agent.urbanisme")
    wait_until_awaiting(agent_api, dossier_id, "instruction")
    agent = new_page()
    signed_in(agent, "agent.urbanisme")
    agent.goto("/urbanisme/instruction.html")
    agent.get_by_role("link", name=number).click()
    visit = agent.get_by_role("form", name="Demander une visite du bien")
    visit.get_by_label("Message au notaire").fill("Visite souhaitée mardi matin.")
    visit.get_by_role("button", name="Demander la visite").click()
    recorded = agent.get_by_role("form", name="Enregistrer la visite")
    recorded.get_by_role("button", name="Visite effectuée").click()
    decision = agent.get_by_role("form", name="Rédiger la décision")
    decision.get_by_role("radio", name="Renoncer à préempter").check()
    decision.get_by_role("button", name="Rédiger et transmettre pour signature").click()
    expect(agent.get_by_role("region", name="Action attendue")).to_contain_text(
        "La décision attend la signature de l'élu."
    )
    expect(agent.locator(".chronologie")).to_contain_text("Visite du bien effectuée")

    signatory = new_page()
    signed_in(signatory, "elu.signataire")
    signatory.goto("/urbanisme/signature.html")
    card = signatory.get_by_role("article").filter(has_text=number)
    card.get_by_role("button", name="Signer la décision").click()
    expect(signatory.get_by_role("status").first).to_contain_text(
        f"Décision du dossier {number} signée : Renonciation à la préemption."
    )

    notary.goto(f"/urbanisme/dossier.html?dossier={dossier_id}")
    expect(notary.get_by_role("heading", level=1)).to_have_text(f"Demande n° {number}")
    expect(notary.locator(".chronologie")).to_contain_text("Décision signée")
    with notary.expect_download() as download_info:
        notary.get_by_role("button", name="Télécharger : Décision signée (PDF)").click()
    decision_pdf = download_info.value.path().read_bytes()
    assert decision_pdf.startswith(b"%PDF-")
    # pyHanko's validation runs its own event loop, which cannot run in Playwright's thread.
    root = bootstrap.urbanisme_local_ca().root_certificate
    with ThreadPoolExecutor(max_workers=1) as executor:
        checked = executor.submit(verify, decision_pdf, root).result()
    assert checked.acceptable
    assert checked.signer_name == "Samuel Hazard"
