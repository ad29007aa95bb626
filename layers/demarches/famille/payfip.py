"""Online payment of invoices through PayFiP, the DGFiP's payment service for public bodies.

PayFiP is mandatory for public bodies that collect at least 5,000 EUR a year from users. The
flow: create a payment for an invoice, redirect the payer to the returned URL, then read the
outcome when PayFiP notifies the callback URL. The notification only names the operation; the
outcome is read back from PayFiP, so that a forged notification cannot mark an invoice paid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from demarches.famille.errors import PaymentNotificationInvalidError, PaymentRequestInvalidError

# An invoice reference is sent as PayFiP's ``refdet``: letters, digits and hyphens only.
_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,29}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PayfipSettings(BaseModel):
    """Connection to PayFiP; empty values leave online payment off."""

    base_url: str = ""
    client_number: str = Field(default="", description="PayFiP client number (numcli).")
    notification_url: str = Field(
        default="", description="Callback URL that PayFiP posts the outcome notification to."
    )
    environment: Literal["test", "production"] = "test"


class PaymentStatus(StrEnum):
    PAID = "paid"
    REFUSED = "refused"
    CANCELLED = "cancelled"


# PayFiP result codes (``resultrans``). NOTE: P and V (paid), R (refused) and A (abandoned
# by the payer) are the codes of the PayFiP web service as commonly integrated; check them
# against the specification attached to the body's PayFiP agreement before production.
RESULT_CODES: Mapping[str, PaymentStatus] = {
    "P": PaymentStatus.PAID,
    "V": PaymentStatus.PAID,
    "R": PaymentStatus.REFUSED,
    "A": PaymentStatus.CANCELLED,
}


@dataclass(frozen=True)
class PaymentRequest:
    """A payment to create for one invoice."""

    invoice_number: str
    amount_cents: int
    payer_email: str
    return_url: str


@dataclass(frozen=True)
class CreatedPayment:
    """PayFiP's operation id and the page the payer is redirected to."""

    payment_id: str
    redirect_url: str


@dataclass(frozen=True)
class PaymentOutcome:
    """Result of one payment. ``transaction_id`` is the bank authorisation number, set only when
    the payment is paid."""

    payment_id: str
    status: PaymentStatus
    invoice_number: str
    amount_cents: int
    transaction_id: str | None = None


def validate_payment_request(request: PaymentRequest) -> None:
    """Raise PaymentRequestInvalidError on the first value PayFiP would reject."""
    if request.amount_cents <= 0:
        raise PaymentRequestInvalidError(
            f"invalid amount {request.amount_cents} cents: a payment must be positive",
            field="amount_cents",
        )
    if not _REFERENCE.match(request.invoice_number):
        raise PaymentRequestInvalidError(
            f"invalid invoice reference {request.invoice_number!r}: expected 6 to 30 capital "
            "letters, digits or hyphens",
            field="invoice_number",
        )
    if not _EMAIL.match(request.payer_email):
        raise PaymentRequestInvalidError("invalid payer e-mail address", field="payer_email")
    parts = urlsplit(request.return_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PaymentRequestInvalidError(
            f"invalid return URL {request.return_url!r}: expected an absolute http(s) URL",
            field="return_url",
        )


def status_from_result_code(code: str) -> PaymentStatus:
    try:
        return RESULT_CODES[code]
    except KeyError:
        raise PaymentNotificationInvalidError(
            f"unknown PayFiP result code {code!r}: expected one of {', '.join(RESULT_CODES)}",
            field="resultrans",
        ) from None


def payment_id_from_notification(form: Mapping[str, str]) -> str:
    """Return the operation id of a PayFiP notification (form field ``idOp`` or ``idop``)."""
    payment_id = form.get("idOp") or form.get("idop")
    if not payment_id:
        raise PaymentNotificationInvalidError(
            "the PayFiP notification has no idOp field", field="idOp"
        )
    return payment_id


class PayfipGateway(Protocol):
    """Port to PayFiP."""

    def create_payment(self, request: PaymentRequest) -> CreatedPayment:
        """Create a payment and return its id and the URL to redirect the payer to.

        The adapter sends its configured notification URL with the payment. Raises
        PaymentRequestInvalidError on invalid values and PaymentServiceUnavailableError when
        PayFiP fails or times out.
        """
        ...

    def read_outcome(self, notification: Mapping[str, str]) -> PaymentOutcome:
        """Read the outcome of the payment named by a notification's form fields.

        The adapter takes only the operation id from the notification and fetches the result
        from PayFiP. Raises PaymentNotificationInvalidError when the id or result code is
        missing or unknown.
        """
        ...
