"""Yearly registration over HTTP: built from the stored household, validated or returned."""

from __future__ import annotations

from datetime import datetime

from tests.integration.famille.conftest import BEFORE_MARCH, YEAR, submit_registration


def test_registration_built_from_profile(new_family, agent, clock_at):
    clock_at(BEFORE_MARCH)
    family = new_family(children=2)
    first, second = family.child_ids

    response = family.client.request(
        "PUT",
        f"/famille/registrations/{YEAR}",
        json={
            "pai": {first: True},
            "authorized_persons": [
                {
                    "first_name": "Odette",
                    "last_name": "Essai",
                    "phone": "06 00 00 00 00",
                    "relationship": "grand-mère",
                }
            ],
            "consents": {"rules": True, "quotient_retrieval": True, "photo": False},
        },
    )

    assert response.status_code == 200, response.text
    body = response.json()
    children = {child["child_id"]: child for child in body["children"]}
    assert set(children) == {first, second}
    assert children[first]["school_id"] == family.school_id
    assert children[first]["class_name"] == "CE1"
    assert children[first]["pai"] is True
    assert children[second]["pai"] is False
    assert body["guardians"][0]["email"] == f"{family.household_id}@example.fr"
    assert body["authorized_persons"][0]["relationship"] == "grand-mère"
    consents = {consent["kind"]: consent for consent in body["consents"]}
    assert consents["rules"]["given"] is True
    assert consents["photo"]["given"] is False
    assert datetime.fromisoformat(consents["quotient_retrieval"]["at"]) == BEFORE_MARCH
    assert body["status"] == "draft"


def test_agent_validates_submitted_registration(new_family, agent, clock_at):
    clock_at(BEFORE_MARCH)
    family = new_family()
    submit_registration(family)

    listed = agent.get(
        "/famille/agent/registrations", params={"school_year": YEAR, "status": "submitted"}
    )
    validated = agent.post(f"/famille/agent/registrations/{family.household_id}/{YEAR}/validation")
    again = agent.post(f"/famille/agent/registrations/{family.household_id}/{YEAR}/validation")

    assert listed.status_code == 200
    assert family.household_id in {r["household_id"] for r in listed.json()["registrations"]}
    assert validated.status_code == 200
    assert validated.json()["status"] == "validated"
    assert [h["to_status"] for h in validated.json()["history"]] == ["submitted", "validated"]
    assert validated.json()["history"][1]["by"] == "agent.periscolaire"
    assert again.status_code == 409
    assert again.json()["code"] == "registration_transition_invalid"


def test_agent_returns_registration_with_reason(new_family, agent, clock_at):
    clock_at(BEFORE_MARCH)
    family = new_family()
    submit_registration(family)
    path = f"/famille/agent/registrations/{family.household_id}/{YEAR}/return"

    returned = agent.post(path, json={"reason": "Ajoutez l'attestation d'assurance."})
    seen = family.client.get(f"/famille/registrations/{YEAR}")
    resubmitted = family.client.post(f"/famille/registrations/{YEAR}/submit")

    assert returned.status_code == 200
    assert seen.json()["status"] == "returned"
    assert seen.json()["return_reason"] == "Ajoutez l'attestation d'assurance."
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "submitted"


def test_submission_needs_rules_consent(new_family):
    family = new_family()
    family.client.request("PUT", f"/famille/registrations/{YEAR}", json={})

    response = family.client.post(f"/famille/registrations/{YEAR}/submit")

    assert response.status_code == 422
    assert response.json()["code"] == "registration_incomplete"
    assert response.json()["field"] == "consents.rules"


def test_consent_withdrawn_after_submission(new_family):
    family = new_family()
    submit_registration(family)

    response = family.client.post(
        f"/famille/registrations/{YEAR}/consents",
        json={"kind": "quotient_retrieval", "given": False},
    )

    assert response.status_code == 200
    latest = [c for c in response.json()["consents"] if c["kind"] == "quotient_retrieval"][-1]
    assert latest["given"] is False


def test_registration_rejects_health_notes_and_foreign_child(new_family):
    family, other = new_family(), new_family()
    path = f"/famille/registrations/{YEAR}"

    notes = family.client.request("PUT", path, json={"health_notes": "allergie"})
    foreign = family.client.request("PUT", path, json={"pai": {other.child_ids[0]: True}})

    assert notes.status_code == 422
    assert foreign.status_code == 404
    assert foreign.json()["code"] == "child_not_found"


def test_parent_cannot_validate(new_family):
    family = new_family()
    submit_registration(family)

    response = family.client.post(
        f"/famille/agent/registrations/{family.household_id}/{YEAR}/validation"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "role_required"
