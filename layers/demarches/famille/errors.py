"""Errors of the periscolaire démarche, each in one of the shared families with a stable code."""

from __future__ import annotations

from demarches.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidRequestError,
    NotFoundError,
    UnavailableError,
)


class QuotientInputInvalidError(InvalidRequestError):
    """An income, a benefit amount or a number of parts cannot enter the quotient formula."""

    code = "quotient_input_invalid"


class QuotientConsentMissingError(ForbiddenError):
    """The household has not consented to the automatic retrieval of its quotient familial."""

    code = "quotient_consent_missing"


class QuotientAutomaticRetrievalUnsupportedError(InvalidRequestError):
    """The configured formula needs figures that no outside service returns (paper path only)."""

    code = "quotient_paper_path_required"


class QuotientPersonNotFoundError(NotFoundError):
    """The CAF, the MSA or the DGFiP has no record for the person looked up."""

    code = "quotient_person_not_found"


class QuotientServiceUnavailableError(UnavailableError):
    """The outside service failed, rejected the credentials or timed out after every retry."""

    code = "quotient_service_unavailable"


class QuotientResponseInvalidError(UnavailableError):
    """The outside service responded with a body that does not have the documented shape."""

    code = "quotient_response_invalid"


class SchoolCalendarUnknownError(InvalidRequestError):
    """The installed school holiday data does not cover the requested date."""

    code = "school_calendar_unknown"


class ActivityUnknownError(InvalidRequestError):
    """The activity code is not in the configured catalogue."""

    code = "activity_unknown"


class ReservationRequestInvalidError(InvalidRequestError):
    """A reservation request has an empty, inverted or too long period, or no activity."""

    code = "reservation_request_invalid"


class ReservationDeadlinePassedError(GoneError):
    """The booking or cancellation deadline of the session has passed."""

    code = "reservation_deadline_passed"


class RegistrationIncompleteError(InvalidRequestError):
    """The registration lacks a value required before it can be submitted."""

    code = "registration_incomplete"


class RegistrationTransitionError(ConflictError):
    """The registration's current status does not allow the requested change."""

    code = "registration_transition_invalid"


class InvoiceInputInvalidError(InvalidRequestError):
    """A session or a setting cannot be invoiced (wrong month, unknown activity or bracket)."""

    code = "invoice_input_invalid"


class InvoiceFontMissingError(UnavailableError):
    """The TrueType font needed to print French accents in the invoice PDF is not installed."""

    code = "invoice_font_missing"


class PaymentRequestInvalidError(InvalidRequestError):
    """A payment request has a non-positive amount, an invalid reference or e-mail address."""

    code = "payment_request_invalid"


class PaymentNotificationInvalidError(InvalidRequestError):
    """A PayFiP notification lacks the operation id or carries an unknown result code."""

    code = "payment_notification_invalid"


class PaymentServiceUnavailableError(UnavailableError):
    """PayFiP failed or timed out."""

    code = "payment_service_unavailable"
