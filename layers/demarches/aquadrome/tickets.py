"""Tickets: a booking reference signed with HMAC-SHA256, printed as a QR code.

The reference is ``AQ1.<booking_id>.<signature>``: the signature covers the version prefix
and the booking id, so an agent's scanner can reject a forged or altered ticket before any
database read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from .errors import TicketForgedError

_PREFIX = "AQ1"
_SIGNATURE_BYTES = 16


def _signature(secret: bytes, booking_id: str) -> str:
    digest = hmac.new(secret, f"{_PREFIX}.{booking_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_SIGNATURE_BYTES]).rstrip(b"=").decode()


def sign_ticket(secret: bytes, booking_id: str) -> str:
    return f"{_PREFIX}.{booking_id}.{_signature(secret, booking_id)}"


def verify_ticket(secret: bytes, reference: str) -> str:
    """Return the booking id of a genuine ticket reference, or raise ``TicketForgedError``."""
    parts = reference.strip().split(".")
    if len(parts) != 3 or parts[0] != _PREFIX or not parts[1]:
        raise TicketForgedError("the ticket is not an aquadrome ticket", field="ticket")
    expected = _signature(secret, parts[1])
    if not hmac.compare_digest(expected, parts[2]):
        raise TicketForgedError("the ticket signature is invalid", field="ticket")
    return parts[1]


def ticket_png_data_uri(reference: str) -> str:
    """Render the reference as a PNG QR code (error correction M) in a ``data:`` URI."""
    import segno  # only ticket views pay for this import

    return str(segno.make(reference, error="m").png_data_uri(scale=6, border=4))
