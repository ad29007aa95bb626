"""Errors of the urbanism démarche, each a subclass of a shared family with a stable code."""

from __future__ import annotations

from demarches.errors import ConflictError, ForbiddenError, GoneError, InvalidRequestError


class ParcelIdInvalidError(InvalidRequestError):
    """A cadastral parcel id does not have the 14-character shape INSEE, prefix, section, number."""

    code = "parcel_id_invalid"


class RequestInvalidError(InvalidRequestError):
    """A request payload has malformed fields: ``details["issues"]`` lists each of them."""

    code = "request_invalid"


class SubmissionInvalidError(InvalidRequestError):
    """A request cannot be submitted: ``details["issues"]`` lists every missing or invalid field."""

    code = "submission_invalid"


class RegistrationNumberInvalidError(InvalidRequestError):
    """A registration number does not have the shape ``TYPE-0INSEE-YEAR-SEQUENCE``."""

    code = "registration_number_invalid"


class RegistrationSequenceExhaustedError(ConflictError):
    """The yearly sequence of a request type went past the six digits of the number."""

    code = "registration_sequence_exhausted"


class EventDateInvalidError(InvalidRequestError):
    """A date is earlier than the event it must follow: a resumption before its suspension."""

    code = "event_date_invalid"


class InstructionDeadlinePassedError(GoneError):
    """The instruction deadline has passed, so the action can no longer change it."""

    code = "instruction_deadline_passed"


class DiaSuspensionAlreadyUsedError(ConflictError):
    """The DIA deadline was already suspended once: L213-2 allows one single request."""

    code = "dia_suspension_already_used"


class DiaNotSuspendedError(ConflictError):
    """The DIA deadline is not suspended, so it cannot resume."""

    code = "dia_not_suspended"


class DiaResumeCauseInvalidError(InvalidRequestError):
    """The resumption event does not match the request that suspended the DIA deadline."""

    code = "dia_resume_cause_invalid"


class CertificatExtensionTooLateError(GoneError):
    """An extension of a certificat d'urbanisme was requested less than two months before expiry."""

    code = "certificat_extension_too_late"


class TransitionNotAllowedError(ConflictError):
    """The dossier's status does not allow this action."""

    code = "transition_not_allowed"


class TransitionForbiddenError(ForbiddenError):
    """The actor's role may not perform this action on a dossier."""

    code = "transition_forbidden"
