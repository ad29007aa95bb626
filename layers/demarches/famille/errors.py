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


class SchoolYearInvalidError(InvalidRequestError):
    """A school year label is not ``YYYY-YYYY`` with consecutive years."""

    code = "school_year_invalid"


class HouseholdNotFoundError(NotFoundError):
    """The caller's household has no stored profile."""

    code = "household_not_found"


class ChildNotFoundError(NotFoundError):
    """No child with this id in the caller's household (another household's child included)."""

    code = "child_not_found"


class RegistrationNotFoundError(NotFoundError):
    """The household has no registration for this school year."""

    code = "registration_not_found"


class RegistrationChangedError(ConflictError):
    """The registration changed since it was read; read it again and retry."""

    code = "registration_changed"


class TaxNoticeNotFoundError(NotFoundError):
    """No tax notice upload is pending under this id, or the file never arrived."""

    code = "tax_notice_not_found"


class TaxNoticeStateError(ConflictError):
    """The quotient démarche is not at the step this action needs."""

    code = "tax_notice_state_invalid"


class InvoiceNotFoundError(NotFoundError):
    """No invoice of the caller's household has this number."""

    code = "invoice_not_found"


class InvoiceAlreadyPaidError(ConflictError):
    """The invoice is paid: no new payment can start."""

    code = "invoice_already_paid"


class InvoiceNumberCollisionError(ConflictError):
    """Two households derive the same invoice number; the second invoice was not stored."""

    code = "invoice_number_collision"
