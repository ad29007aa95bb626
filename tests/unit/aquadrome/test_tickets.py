"""Ticket references: genuine ones verify, any change is detected before a database read."""

from __future__ import annotations

import pytest

from demarches.aquadrome.errors import TicketForgedError
from demarches.aquadrome.tickets import sign_ticket, verify_ticket

SECRET = b"unit-test-secret-of-enough-length"


def test_genuine_ticket_returns_booking_id():
    assert verify_ticket(SECRET, sign_ticket(SECRET, "b123")) == "b123"


def test_ticket_signed_with_another_key_is_rejected():
    reference = sign_ticket(b"another-secret-of-enough-length", "b123")

    with pytest.raises(TicketForgedError):
        verify_ticket(SECRET, reference)


def test_ticket_with_swapped_booking_id_is_rejected():
    prefix, _, signature = sign_ticket(SECRET, "b123").split(".")

    with pytest.raises(TicketForgedError):
        verify_ticket(SECRET, f"{prefix}.b124.{signature}")


@pytest.mark.parametrize("reference", ["", "AQ1", "AQ1..x", "AQ2.b123.x", "b123"])
def test_malformed_ticket_is_rejected(reference):
    with pytest.raises(TicketForgedError):
        verify_ticket(SECRET, reference)
