"""Term evaluations: the course's teacher posts them, the pupil's family alone reads them.

A family that guesses another family's ids gets 404, as for an id that does not exist.
"""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.integration.conservatoire.conftest import YEAR, enroll

COURSE = "cons-piano-c1"
TEXT = {"appreciation": "Travail régulier, belle sonorité.", "level_reached": "Cycle 1, année 2"}


def evaluation_path(person_id: str, term: str = "trimestre_1", course: str = COURSE) -> str:
    return f"/conservatoire/{YEAR}/courses/{course}/pupils/{person_id}/evaluations/{term}"


@pytest.fixture
def pupil(agent, new_family, reset_course):
    """A family whose child's enrollment in the piano course is confirmed."""
    reset_course(COURSE)
    family = new_family()
    enrollment_id = enroll(family, COURSE).json()["enrollment"]["enrollment_id"]
    assert agent.post(f"/conservatoire/enrollments/{enrollment_id}/confirm").status_code == 200
    return family


def test_teacher_posts_and_family_reads(pupil, piano_teacher):
    child = pupil.children[0]
    pupils = piano_teacher.get(f"/conservatoire/{YEAR}/courses/{COURSE}/pupils")

    posted = piano_teacher.request("PUT", evaluation_path(child), json=TEXT)

    assert [p["person_id"] for p in pupils.json()["pupils"]] == [child]
    assert posted.status_code == 200, posted.text
    assert posted.json()["appreciation"] == TEXT["appreciation"]
    assert posted.json()["amended_at"] is None
    read = pupil.client.get(evaluation_path(child))
    assert read.status_code == 200
    assert read.json() == posted.json()
    listed = pupil.client.get(f"/conservatoire/{YEAR}/evaluations").json()["evaluations"]
    assert listed == [posted.json()]
    assert piano_teacher.get(evaluation_path(child)).json() == posted.json()


def test_teacher_amends_evaluation(pupil, piano_teacher):
    child = pupil.children[0]
    first = piano_teacher.request("PUT", evaluation_path(child), json=TEXT).json()

    amended = piano_teacher.request(
        "PUT", evaluation_path(child), json={**TEXT, "appreciation": "Progrès nets."}
    ).json()

    assert amended["appreciation"] == "Progrès nets."
    assert amended["posted_at"] == first["posted_at"]
    assert amended["amended_at"] is not None


def test_other_family_sees_nothing(pupil, piano_teacher, new_family):
    child = pupil.children[0]
    piano_teacher.request("PUT", evaluation_path(child), json=TEXT)
    other = new_family()

    read = other.client.get(evaluation_path(child))
    listed = other.client.get(f"/conservatoire/{YEAR}/evaluations")
    filtered = other.client.get(f"/conservatoire/{YEAR}/evaluations", params={"person_id": child})
    missing = pupil.client.get(evaluation_path(child, "trimestre_2"))

    assert read.status_code == 404
    assert read.json()["code"] == "evaluation_not_found"
    assert missing.status_code == 404
    assert missing.json() == read.json()
    assert listed.json()["evaluations"] == []
    assert filtered.status_code == 404
    assert filtered.json()["code"] == "person_not_found"


def test_other_teacher_has_no_access(pupil, piano_teacher, violin_teacher):
    child = pupil.children[0]
    piano_teacher.request("PUT", evaluation_path(child), json=TEXT)

    posted = violin_teacher.request("PUT", evaluation_path(child), json=TEXT)
    read = violin_teacher.get(evaluation_path(child))
    pupils = violin_teacher.get(f"/conservatoire/{YEAR}/courses/{COURSE}/pupils")

    assert posted.status_code == 403
    assert posted.json()["code"] == "evaluation_forbidden"
    assert read.status_code == 404
    assert read.json()["code"] == "evaluation_not_found"
    assert pupils.status_code == 403
    assert pupils.json()["code"] == "action_forbidden"


def test_evaluation_needs_confirmed_pupil(piano_teacher, new_family, reset_course):
    reset_course(COURSE)
    requested = new_family()
    enroll(requested, COURSE)
    stranger = new_family()

    for person_id in (requested.children[0], stranger.children[0]):
        response = piano_teacher.request("PUT", evaluation_path(person_id), json=TEXT)

        assert response.status_code == 404
        assert response.json()["code"] == "pupil_not_found"
        assert response.json()["field"] == "person_id"


def test_evaluation_requests_are_checked(pupil, piano_teacher, stack, api, agent):
    child = pupil.children[0]
    unlinked = ApiClient(
        api,
        stack.issuer.issue("user-x", name="X", email="x@example.fr", roles=("teacher",)),
    )
    cases = [
        (
            piano_teacher.request("PUT", evaluation_path(child, "trimestre_4"), json=TEXT),
            422,
            "term_invalid",
        ),
        (
            piano_teacher.request("PUT", evaluation_path(child), json={**TEXT, "appreciation": ""}),
            422,
            "invalid_request",
        ),
        (
            piano_teacher.request(
                "PUT", evaluation_path(child), json={**TEXT, "level_reached": "   "}
            ),
            422,
            "evaluation_invalid",
        ),
        (pupil.client.request("PUT", evaluation_path(child), json=TEXT), 403, "role_required"),
        (unlinked.request("PUT", evaluation_path(child), json=TEXT), 403, "teacher_id_required"),
        (agent.get(evaluation_path(child)), 403, "household_required"),
    ]

    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.json()["code"] == code
