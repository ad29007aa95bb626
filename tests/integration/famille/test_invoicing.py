"""Monthly invoicing through the scheduled handlers, the invoice PDF, and payment through the
PayFiP stand-in with repeated notifications."""

from __future__ import annotations

import io
from datetime import time

import boto3
import pikepdf
import pytest
import requests

from demarches import bootstrap
from tests.integration.famille.conftest import BEFORE_MARCH, YEAR, paris
from tests.integration.famille.test_quotient import DUPONT

APRIL_FIRST = paris(__import__("datetime").date(2027, 4, 1), time(6, 0))
# Bracket T2 (QF 612) of the example settings, in cents.
MATIN, CANTINE, SOIR = 130, 290, 160


def book(family, child, day, *activities):
    response = family.client.post(
        "/famille/reservations",
        json={
            "child_id": family.child_ids[child],
            "days": [{"day": day, "activities": activities}],
        },
    )
    assert len(response.json()["booked"]) == len(activities), response.text


def family_with_march_sessions(registered_family, agent):
    family = registered_family(children=2)
    quotient = family.client.post(
        f"/famille/quotient/{YEAR}/retrieval", json={"allocataire": DUPONT}
    )
    assert quotient.json()["quotient"]["bracket"] == "T2"
    book(family, 0, "2027-03-08", "garderie_matin", "cantine", "garderie_soir")
    book(family, 0, "2027-03-09", "cantine")
    book(family, 1, "2027-03-08", "cantine")
    book(family, 1, "2027-03-11", "cantine")
    cancelled = family.client.post(
        "/famille/reservations/cancellations",
        json={
            "child_id": family.child_ids[1],
            "days": [{"day": "2027-03-11", "activities": ["cantine"]}],
        },
    )
    assert len(cancelled.json()["cancelled"]) == 1
    marked = agent.post(
        "/famille/agent/attendance",
        json={
            "school_id": family.school_id,
            "day": "2027-03-09",
            "activity": "cantine",
            "excused": [family.child_ids[0]],
        },
    )
    assert marked.json()["recorded"] == [family.child_ids[0]]
    return family


@pytest.fixture
def invoiced_family(registered_family, agent, stack, clock_at):
    clock_at(BEFORE_MARCH)
    family = family_with_march_sessions(registered_family, agent)
    clock_at(APRIL_FIRST)
    first = stack.scheduler.fire_by_name("famille_issue_invoices")
    return family, first


def test_invoice_run_twice_issues_once(invoiced_family, stack):
    family, first = invoiced_family

    second = stack.scheduler.fire_by_name("famille_issue_invoices")
    invoices = family.client.get("/famille/invoices").json()["invoices"]

    assert first["month"] == "2027-03"
    assert first["issued"] >= 1
    assert second["issued"] == 0
    assert second["already_issued"] == first["issued"] + first["already_issued"]
    assert len(invoices) == 1
    invoice = invoices[0]
    assert invoice["month"] == "2027-03"
    assert invoice["status"] == "issued"
    # Excused absence and cancelled meal are not due; booked and attended sessions are.
    assert sorted(
        (line["day"], line["activity"], line["amount_cents"]) for line in invoice["lines"]
    ) == [
        ("2027-03-08", "cantine", CANTINE),
        ("2027-03-08", "cantine", CANTINE),
        ("2027-03-08", "garderie_matin", MATIN),
        ("2027-03-08", "garderie_soir", SOIR),
    ]
    assert invoice["total_cents"] == 2 * CANTINE + MATIN + SOIR
    assert {line["bracket"] for line in invoice["lines"]} == {"T2"}


def test_invoice_pdf_rendered_once(invoiced_family, stack):
    family, _ = invoiced_family
    number = family.client.get("/famille/invoices").json()["invoices"][0]["invoice_number"]

    rendered = stack.scheduler.fire_by_name("famille_render_invoice_pdfs")
    again = stack.scheduler.fire_by_name("famille_render_invoice_pdfs")
    invoice = family.client.get(f"/famille/invoices/{number}").json()
    link = family.client.get(f"/famille/invoices/{number}/pdf").json()
    pdf = requests.get(link["url"], timeout=10).content

    assert rendered["rendered"] >= 1
    assert again["rendered"] == 0
    assert invoice["pdf_ready"] is True
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
    s3 = boto3.client("s3", endpoint_url=stack.emulator.endpoint_url, region_name="eu-west-3")
    listed = s3.list_object_versions(
        Bucket=bootstrap.settings().documents_bucket, Prefix=f"famille/invoices/2027-03/{number}"
    )
    assert len(listed["Versions"]) == 1


def test_repeated_notification_pays_once(invoiced_family, stack, api):
    family, _ = invoiced_family
    number = family.client.get("/famille/invoices").json()["invoices"][0]["invoice_number"]
    payfip = stack.outside_services[1]

    created = family.client.post(
        f"/famille/invoices/{number}/payments", json={"return_url": "http://127.0.0.1:9/retour"}
    )
    payment_id = created.json()["payment_id"]
    page = requests.get(created.json()["redirect_url"], timeout=10)
    paid = requests.post(
        f"{payfip.base_url}/tpa/paiement",
        data={"idop": payment_id, "choix": "payer"},
        allow_redirects=False,
        timeout=10,
    )
    after_first = family.client.get(f"/famille/invoices/{number}").json()
    repeats = [
        requests.post(
            f"{api}/famille/payments/notifications", data={"idOp": payment_id}, timeout=10
        )
        for _ in range(2)
    ]
    after_repeats = family.client.get(f"/famille/invoices/{number}").json()
    new_payment = family.client.post(
        f"/famille/invoices/{number}/payments", json={"return_url": "http://127.0.0.1:9/retour"}
    )
    forged = requests.post(
        f"{api}/famille/payments/notifications", data={"idOp": "inconnu"}, timeout=10
    )

    assert created.status_code == 201, created.text
    assert page.status_code == 200
    assert paid.status_code == 303
    assert payfip.server.notifications_sent == [payment_id]
    assert after_first["status"] == "paid"
    assert [r.json() for r in repeats] == [{"status": "paid", "newly_paid": False}] * 2
    assert after_repeats["paid_at"] == after_first["paid_at"]
    assert new_payment.status_code == 409
    assert new_payment.json()["code"] == "invoice_already_paid"
    assert forged.status_code == 422
    assert forged.json()["code"] == "payment_notification_invalid"


def test_other_household_invoice_not_found(invoiced_family, new_family):
    family, _ = invoiced_family
    number = family.client.get("/famille/invoices").json()["invoices"][0]["invoice_number"]
    other = new_family()

    read = other.client.get(f"/famille/invoices/{number}")
    pdf = other.client.get(f"/famille/invoices/{number}/pdf")
    pay = other.client.post(
        f"/famille/invoices/{number}/payments", json={"return_url": "http://127.0.0.1:9/retour"}
    )

    assert read.status_code == 404
    assert read.json()["code"] == "invoice_not_found"
    assert pdf.status_code == 404
    assert pay.status_code == 404
    assert other.client.get("/famille/invoices").json()["invoices"] == []
