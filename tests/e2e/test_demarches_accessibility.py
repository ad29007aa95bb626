"""Pages of the conservatoire, the portail famille and urbanism, checked by axe-core once
their content has loaded: no serious or critical issue."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from demarches import bootstrap
from demarches.famille.school_year import Month
from tests.e2e.test_accessibility import check_page
from tests.e2e.test_famille_pages import next_school_week, register_and_validate, school_year_of
from tests.e2e.test_urbanisme_pages import wait_until_awaiting
from tests.unit.urbanisme import payloads

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

YEAR = "2026-2027"
ENROLLMENT_OPEN = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
# A course of the demo teacher professeur.piano (teacher id ens-lambert), from 10 years old.
PIANO = "cons-piano-c2"


def test_conservatoire_pages_pass_axe(
    new_page, store_token, signed_in, new_family, api_as, clock_at, axe_violations
):
    clock_at(ENROLLMENT_OPEN)
    family = new_family(("Mia", date(2014, 10, 5)), ("Léo", date(2013, 1, 20)))
    enrollments = {}
    for name, person_id in family.child_ids.items():
        created = family.client.post(
            f"/conservatoire/{YEAR}/enrollments",
            json={"course_id": PIANO, "person_id": person_id},
        )
        assert created.status_code == 201, created.text
        enrollments[name] = created.json()["enrollment"]["enrollment_id"]
    agent = api_as("agent.conservatoire")
    confirmed = agent.post(f"/conservatoire/enrollments/{enrollments['Mia']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    posted = api_as("professeur.piano").request(
        "PUT",
        f"/conservatoire/{YEAR}/courses/{PIANO}/pupils/{family.child_ids['Mia']}"
        "/evaluations/trimestre_1",
        json={"level_reached": "Fin de cycle 2", "appreciation": "Travail régulier."},
    )
    assert posted.status_code == 200, posted.text

    resident = new_page()
    store_token(resident, family.token)
    problems = {
        **check_page(
            resident, f"/conservatoire/catalogue.html?annee={YEAR}", "table a", axe_violations
        ),
        **check_page(
            resident, f"/conservatoire/inscriptions.html?annee={YEAR}", "article", axe_violations
        ),
        **check_page(
            resident, f"/conservatoire/evaluations.html?annee={YEAR}", "dl", axe_violations
        ),
        **check_page(
            resident,
            f"/conservatoire/inscription.html?annee={YEAR}&cours={PIANO}",
            "input[name=person_id]",
            axe_violations,
        ),
    }
    resident.get_by_role("radio", name="Mia Test").check()
    resident.get_by_role("button", name="Voir le tarif").click()
    expect(resident.get_by_role("region", name="Tarif annuel avant confirmation")).to_be_visible()
    quote_problems = axe_violations(resident)

    staff = new_page()
    signed_in(staff, "agent.conservatoire")
    problems |= {
        **check_page(staff, f"/conservatoire/gestion.html?annee={YEAR}", "table a", axe_violations),
        **check_page(
            staff,
            f"/conservatoire/cours.html?annee={YEAR}&cours={PIANO}",
            "tbody tr",
            axe_violations,
        ),
    }
    staff.get_by_role("button", name="Refuser").first.click()
    expect(staff.get_by_role("dialog")).to_be_visible()
    dialog_problems = axe_violations(staff)

    teacher = new_page()
    signed_in(teacher, "professeur.piano")
    problems |= {
        **check_page(
            teacher, f"/conservatoire/classes.html?annee={YEAR}", ".carte a", axe_violations
        ),
        **check_page(
            teacher,
            f"/conservatoire/classe.html?annee={YEAR}&cours={PIANO}",
            "textarea",
            axe_violations,
        ),
    }

    assert problems == {}
    assert quote_problems == []
    assert dialog_problems == []


def test_famille_pages_pass_axe(
    new_page, store_token, signed_in, new_family, api_as, axe_violations
):
    monday = next_school_week()
    year = school_year_of(monday)
    agent = api_as("agent.periscolaire")
    family = new_family(("Nina", date(2016, 9, 9)))
    register_and_validate(family, agent, year)
    booked = family.client.post(
        "/famille/reservations",
        json={
            "child_id": family.child_ids["Nina"],
            "days": [{"day": monday.isoformat(), "activities": ["cantine", "garderie_soir"]}],
        },
    )
    assert booked.status_code == 200, booked.text
    billing = bootstrap.famille_billing()
    billing.issue_month(Month(monday.year, monday.month))
    billing.render_pending_pdfs(50)
    newcomer = new_family(("Sacha", date(2018, 2, 2)))
    submitted = newcomer.client.request(
        "PUT", f"/famille/registrations/{year}", json={"consents": {"rules": True}}
    )
    assert submitted.status_code == 200, submitted.text
    assert newcomer.client.post(f"/famille/registrations/{year}/submit").status_code == 200
    day = monday.isoformat()
    child = family.child_ids["Nina"]

    resident = new_page()
    store_token(resident, family.token)
    problems = {
        **check_page(
            resident, f"/famille/inscription.html?annee={year}", "#etat .etiquette", axe_violations
        ),
        **check_page(
            resident, f"/famille/quotient.html?annee={year}", "#accord-tardif", axe_violations
        ),
        **check_page(
            resident,
            f"/famille/calendrier.html?enfant={child}&mois={monday:%Y-%m}",
            "#jours input",
            axe_violations,
        ),
        **check_page(resident, "/famille/factures.html", "article", axe_violations),
        **check_page(resident, "/famille/semaine-type.html", "#semaine input", axe_violations),
    }

    staff = new_page()
    signed_in(staff, "agent.periscolaire")
    problems |= check_page(
        staff,
        f"/famille/agent-inscriptions.html?annee={year}&statut=submitted",
        "article",
        axe_violations,
    )
    staff.get_by_role("button", name="Renvoyer à la famille").first.click()
    expect(staff.get_by_role("dialog")).to_be_visible()
    dialog_problems = axe_violations(staff)
    problems |= {
        **check_page(
            staff,
            f"/famille/agent-presences.html?ecole=ecole-jacques-prevert&jour={day}&activite=cantine",
            "#enfants input",
            axe_violations,
        ),
        **check_page(staff, f"/famille/agent-repas.html?jour={day}", "table", axe_violations),
    }

    registration_form = new_page()
    draft_family = new_family(("Eli", date(2019, 5, 5)))
    store_token(registration_form, draft_family.token)
    problems |= check_page(
        registration_form,
        f"/famille/inscription.html?annee={year}",
        "input[name=pai]",
        axe_violations,
    )

    assert problems == {}
    assert dialog_problems == []


def dia_awaiting_signature(notary, agent) -> str:
    """File a complete DIA through the API and take it to the signatory; return its id."""
    created = notary.post("/urbanisme/dossiers", json={"request": payloads.dia_payload()})
    assert created.status_code == 201, created.text
    dossier_id = created.json()["dossier_id"]
    assert notary.post(f"/urbanisme/dossiers/{dossier_id}/submit").status_code == 201
    wait_until_awaiting(agent, dossier_id, "instruction")
    drafted = agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "draft_decision", "decision": {"kind": "renonciation"}},
    )
    assert drafted.status_code == 202, drafted.text
    wait_until_awaiting(agent, dossier_id, "signature")
    return dossier_id


def test_urbanisme_pages_pass_axe(new_page, signed_in, api_as, axe_violations):
    notary_api = api_as("notaire.durand")
    dossier_id = dia_awaiting_signature(notary_api, api_as("agent.urbanisme"))
    draft = notary_api.post("/urbanisme/dossiers", json={"request": {"type": "DIA"}}).json()

    notary = new_page()
    signed_in(notary, "notaire.durand")
    problems = {
        **check_page(notary, "/urbanisme/demande.html", "#type-DIA", axe_violations),
        **check_page(
            notary,
            f"/urbanisme/demande.html?dossier={draft['dossier_id']}",
            "#liste-pieces input",
            axe_violations,
        ),
        **check_page(notary, "/urbanisme/demandes.html", "tbody a", axe_violations),
        **check_page(
            notary,
            f"/urbanisme/dossier.html?dossier={dossier_id}",
            ".chronologie li",
            axe_violations,
        ),
    }
    resident = new_page()
    signed_in(resident, "camille.martin")
    problems |= check_page(resident, "/urbanisme/demande.html", "#type-CUb", axe_violations)
    expect(resident.locator("#choix-dia")).to_be_hidden()

    agent = new_page()
    signed_in(agent, "agent.urbanisme")
    problems |= {
        **check_page(agent, "/urbanisme/instruction.html", "tbody a", axe_violations),
        **check_page(
            agent,
            f"/urbanisme/instruction-dossier.html?dossier={dossier_id}",
            ".chronologie li",
            axe_violations,
        ),
    }
    signatory = new_page()
    signed_in(signatory, "elu.signataire")
    problems |= check_page(signatory, "/urbanisme/signature.html", "article form", axe_violations)

    assert problems == {}


def test_household_cannot_open_staff_pages(page, signed_in):
    signed_in(page, "camille.martin")
    for path in (
        "/conservatoire/gestion.html",
        "/famille/agent-presences.html",
        "/urbanisme/instruction.html",
    ):
        page.goto(path)
        expect(page.get_by_role("status")).to_contain_text("Accès réservé")
    page.goto("/index.html")
    expect(page.get_by_role("link", name="Calendrier").first).to_be_visible()
    expect(page.get_by_role("link", name="Dossiers à instruire")).to_have_count(0)
    expect(page.get_by_role("link", name="Gestion des cours")).to_have_count(0)
