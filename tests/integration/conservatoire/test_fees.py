"""Fee quotes before confirmation: brackets of the quotient_familial, residency, reductions.

Fees of the 2026-2027 schedule, in cents. An instrument course costs residents 12,000 in
bracket A (quotient up to 550 EUR), 16,000 in B (up to 800), 20,000 in C (up to 1,100), 24,000
in D (up to 1,500) and 28,000 in E. E is also the default bracket when no quotient is known.
Non-residents pay 42,000 whatever the bracket. From the second child, each child's lines get
20 % off. A person's second instrument or atelier course gets 30 % off. Only the larger
reduction applies to a line.
"""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.integration.conservatoire.conftest import (
    BAR_LE_DUC,
    TEN_YEARS_OLD,
    YEAR,
    enroll,
)


def quote(family, *planned):
    body = {"planned": [{"person_id": p, "course_id": c} for p, c in planned]}
    response = family.client.post(f"/conservatoire/{YEAR}/quote", json=body)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("quotient", "bracket", "fee"),
    [
        (None, "E", 28000),
        (550, "A", 12000),
        (551, "B", 16000),
        (800, "B", 16000),
        (1100, "C", 20000),
        (1500, "D", 24000),
        (1501, "E", 28000),
    ],
)
def test_resident_fee_by_bracket(new_family, set_quotient, quotient, bracket, fee):
    family = new_family()
    if quotient is not None:
        set_quotient(family.household_id, quotient)

    result = quote(family, (family.children[0], "cons-piano-c1"))

    assert result["quotient_familial"] == quotient
    assert result["bracket"] == bracket
    assert result["resident"] is True
    assert result["total_cents"] == fee


def test_non_resident_pays_flat_fee(new_family, set_quotient):
    family = new_family(commune_insee=BAR_LE_DUC)
    set_quotient(family.household_id, 400)

    result = quote(family, (family.children[0], "cons-piano-c1"))

    assert result["resident"] is False
    assert result["bracket"] == "A"
    assert result["total_cents"] == 42000


def test_second_child_and_second_course_reductions(new_family, set_quotient):
    family = new_family(TEN_YEARS_OLD, TEN_YEARS_OLD)
    set_quotient(family.household_id, 700)
    first, second = family.children

    result = quote(
        family,
        (first, "cons-piano-c1"),
        (first, "cons-violon-c1"),
        (second, "cons-fm-c1-a1"),
    )

    lines = {(line["person_id"], line["course_id"]): line for line in result["lines"]}
    piano = lines[(first, "cons-piano-c1")]
    violin = lines[(first, "cons-violon-c1")]
    solfege = lines[(second, "cons-fm-c1-a1")]
    assert (piano["base_cents"], piano["reductions"]) == (16000, [])
    assert violin["base_cents"] == 16000
    assert [(r["code"], r["amount_cents"]) for r in violin["reductions"]] == [
        ("second_course", 4800)
    ]
    assert solfege["base_cents"] == 8000
    assert [(r["code"], r["amount_cents"]) for r in solfege["reductions"]] == [
        ("second_child", 1600)
    ]
    assert result["total_cents"] == 16000 + 11200 + 6400


def test_enrollment_receipt_prices_held_places(new_family, set_quotient, reset_course):
    reset_course("art-dessin-enfants")
    reset_course("art-peinture-enfants")
    family = new_family()
    set_quotient(family.household_id, 1000)
    enroll(family, "art-dessin-enfants")

    receipt = enroll(family, "art-peinture-enfants").json()

    amounts = sorted(line["amount_cents"] for line in receipt["quote"]["lines"])
    assert receipt["quote"]["bracket"] == "C"
    assert amounts == [5600, 8000]
    assert receipt["quote"]["total_cents"] == 13600


def test_quote_rejects_persons_of_other_households(new_family):
    family, stranger = new_family(), new_family()

    response = family.client.post(
        f"/conservatoire/{YEAR}/quote",
        json={"planned": [{"person_id": stranger.children[0], "course_id": "cons-piano-c1"}]},
    )

    assert response.status_code == 404
    assert response.json()["code"] == "person_not_found"
    assert response.json()["field"] == "person_id"


def test_quote_rejects_course_outside_age_range(stack):
    client = ApiClient(stack.api_url, stack.token("camille.martin"))

    response = client.post(
        "/conservatoire/2026-2027/quote",
        json={"planned": [{"course_id": "art-modele-vivant", "person_id": "p-hugo-martin"}]},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "age_out_of_range"
