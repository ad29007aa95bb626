"""Catalogue, enrollment, waiting list, promotion and agents' decisions through the HTTP API."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import ApiClient
from tests.integration.conservatoire.conftest import (
    YEAR,
    emails_to,
    enroll,
    roster,
    set_capacity,
)


def course_of(catalogue: dict, course_id: str) -> dict:
    courses = [c for school in catalogue["schools"] for c in school["courses"]]
    return next(c for c in courses if c["course_id"] == course_id)


def test_catalogue_is_public_with_places(api, agent, new_family, reset_course):
    reset_course("cons-violon-c2")
    set_capacity(agent, "cons-violon-c2", 1)
    for _ in range(3):
        assert enroll(new_family(), "cons-violon-c2").status_code == 201

    response = ApiClient(api).get(f"/conservatoire/{YEAR}/catalogue")

    assert response.status_code == 200
    catalogue = response.json()
    assert [s["school"] for s in catalogue["schools"]] == ["conservatoire", "atelier_art"]
    assert len(catalogue["schools"][0]["courses"]) == 16
    assert len(catalogue["schools"][1]["courses"]) == 7
    violin = course_of(catalogue, "cons-violon-c2")
    assert violin["capacity"] == 1
    assert violin["places_left"] == 0
    assert violin["waiting_list_length"] == 2
    assert violin["teacher"] == {"teacher_id": "ens-rousseau", "name": "Hélène Rousseau"}
    assert violin["slot"]["label"] == "vendredi 17:00-19:00"
    assert catalogue["schools"][0]["enrollment"]["open_to"] == "everyone"


def test_catalogue_of_unknown_year_is_not_found(api):
    response = ApiClient(api).get("/conservatoire/2031-2032/catalogue")

    assert response.status_code == 404
    assert response.json()["code"] == "school_year_not_found"
    assert response.json()["field"] == "school_year"


def test_enrollment_uses_stored_household(new_family, reset_course):
    reset_course("cons-fm-c1-a1")
    family = new_family()

    response = enroll(family, "cons-fm-c1-a1")

    assert response.status_code == 201
    body = response.json()
    assert body["enrollment"]["status"] == "requested"
    assert body["enrollment"]["household_id"] == family.household_id
    assert body["enrollment"]["person_id"] == family.children[0]
    assert body["enrollment"]["rank"] is None
    assert body["quote"]["lines"][0]["enrollment_id"] == body["enrollment"]["enrollment_id"]
    listed = family.client.get(f"/conservatoire/{YEAR}/enrollments").json()["enrollments"]
    assert [e["enrollment_id"] for e in listed] == [body["enrollment"]["enrollment_id"]]
    subjects = [sent.subject for sent in emails_to(family.email)]
    assert subjects == ["Demande d'inscription enregistrée : Formation musicale (Cycle 1, année 1)"]


def test_enrollment_rejects_bad_requests(new_family, reset_course):
    reset_course("cons-fm-c1-a2")
    family, stranger = new_family(), new_family()
    too_young = new_family(date(2021, 1, 1))
    assert enroll(family, "cons-fm-c1-a2").status_code == 201

    cases = [
        (enroll(family, "cons-fm-c1-a2", stranger.children[0]), 404, "person_not_found"),
        (enroll(family, "cons-inconnu"), 404, "course_not_found"),
        (enroll(too_young, "cons-fm-c1-a2"), 422, "age_out_of_range"),
        (enroll(family, "cons-fm-c1-a2"), 409, "enrollment_already_exists"),
        (enroll(family, "Pas un identifiant"), 422, "invalid_request"),
    ]

    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.json()["code"] == code
        assert response.json()["field"] in ("person_id", "course_id")


def test_full_course_waits_and_promotes_in_order(
    agent, new_family, reset_course, make_current_pupil, clock
):
    reset_course("cons-violon-c2")
    set_capacity(agent, "cons-violon-c2", 1)
    holder, first, second, pupil = (new_family() for _ in range(4))
    make_current_pupil(pupil, pupil.children[0])

    receipts = []
    for family in (holder, first, second, pupil):
        clock.instant += timedelta(minutes=1)
        receipts.append(enroll(family, "cons-violon-c2").json()["enrollment"])

    assert [r["status"] for r in receipts] == ["requested", "waiting", "waiting", "waiting"]
    assert [r["rank"] for r in receipts] == [None, 1, 2, 1]
    assert receipts[3]["current_pupil"] is True
    waiting = [e["enrollment"]["enrollment_id"] for e in roster(agent, "cons-violon-c2")["waiting"]]
    assert waiting == [
        receipts[3]["enrollment_id"],
        receipts[1]["enrollment_id"],
        receipts[2]["enrollment_id"],
    ]

    cancelled = holder.client.delete(f"/conservatoire/enrollments/{receipts[0]['enrollment_id']}")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    promoted = pupil.client.get(f"/conservatoire/enrollments/{receipts[3]['enrollment_id']}")
    assert promoted.json()["status"] == "offered"
    assert emails_to(pupil.email)[-1].subject.startswith("Une place s'est libérée")
    still_waiting = first.client.get(f"/conservatoire/enrollments/{receipts[1]['enrollment_id']}")
    assert still_waiting.json()["status"] == "waiting"
    assert still_waiting.json()["rank"] == 1

    raised = set_capacity(agent, "cons-violon-c2", 3)

    assert raised.status_code == 200
    promoted_ids = [e["enrollment_id"] for e in raised.json()["promoted"]]
    assert promoted_ids == [receipts[1]["enrollment_id"], receipts[2]["enrollment_id"]]
    assert raised.json()["places_left"] == 0
    for family in (first, second):
        assert emails_to(family.email)[-1].subject.startswith("Une place s'est libérée")
    assert roster(agent, "cons-violon-c2")["waiting"] == []


def test_agent_confirms_and_refuses(agent, new_family, reset_course):
    reset_course("cons-violon-c1")
    confirmed_family, refused_family = new_family(), new_family()
    first = enroll(confirmed_family, "cons-violon-c1").json()["enrollment"]["enrollment_id"]
    second = enroll(refused_family, "cons-violon-c1").json()["enrollment"]["enrollment_id"]

    confirmed = agent.post(f"/conservatoire/enrollments/{first}/confirm")
    refused = agent.post(
        f"/conservatoire/enrollments/{second}/refuse", json={"reason": "Dossier incomplet."}
    )

    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    assert refused.json()["refusal_reason"] == "Dossier incomplet."
    assert "Dossier incomplet." in emails_to(refused_family.email)[-1].text
    assert emails_to(confirmed_family.email)[-1].subject.startswith("Inscription confirmée")
    holders = roster(agent, "cons-violon-c1")["holders"]
    assert [(h["enrollment"]["enrollment_id"], h["first_name"]) for h in holders] == [
        (first, "Enfant1")
    ]


def test_agent_decisions_are_checked(agent, new_family, reset_course):
    reset_course("cons-orchestre-cordes")
    family = new_family()
    enrollment_id = enroll(family, "cons-orchestre-cordes").json()["enrollment"]["enrollment_id"]
    agent.post(f"/conservatoire/enrollments/{enrollment_id}/refuse", json={"reason": "Complet."})

    cases = [
        (
            agent.post(f"/conservatoire/enrollments/{enrollment_id}/confirm"),
            409,
            "enrollment_status_conflict",
        ),
        (
            agent.post(f"/conservatoire/enrollments/{enrollment_id}/refuse", json={"reason": " "}),
            422,
            "refusal_reason_invalid",
        ),
        (
            agent.post(f"/conservatoire/enrollments/{enrollment_id}/refuse", json={}),
            422,
            "invalid_request",
        ),
        (
            family.client.post(f"/conservatoire/enrollments/{enrollment_id}/confirm"),
            403,
            "role_required",
        ),
        (agent.post("/conservatoire/enrollments/inconnue/confirm"), 404, "enrollment_not_found"),
        (set_capacity(agent, "cons-orchestre-cordes", 501), 422, "invalid_request"),
        (set_capacity(family.client, "cons-orchestre-cordes", 30), 403, "role_required"),
    ]

    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.json()["code"] == code


def test_capacity_never_drops_below_places_held(agent, new_family, reset_course):
    reset_course("cons-flute-c1")
    for _ in range(2):
        enroll(new_family(), "cons-flute-c1")

    response = set_capacity(agent, "cons-flute-c1", 1)

    assert response.status_code == 409
    assert response.json()["code"] == "capacity_below_places_held"
    assert response.json()["field"] == "capacity"
    assert response.json()["details"] == {"places_held": 2}


def test_other_family_cannot_see_enrollment(new_family, reset_course):
    reset_course("cons-guitare-c1")
    owner, other = new_family(), new_family()
    enrollment_id = enroll(owner, "cons-guitare-c1").json()["enrollment"]["enrollment_id"]

    read = other.client.get(f"/conservatoire/enrollments/{enrollment_id}")
    cancelled = other.client.delete(f"/conservatoire/enrollments/{enrollment_id}")
    listed = other.client.get(f"/conservatoire/{YEAR}/enrollments")

    assert read.status_code == 404
    assert read.json()["code"] == "enrollment_not_found"
    assert cancelled.status_code == 404
    assert cancelled.json()["code"] == "enrollment_not_found"
    assert listed.json()["enrollments"] == []
    assert owner.client.get(f"/conservatoire/enrollments/{enrollment_id}").json()["status"] == (
        "requested"
    )
