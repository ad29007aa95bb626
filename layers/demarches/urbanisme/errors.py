"""Errors of the urbanism démarche, each a subclass of a shared family with a stable code."""

from __future__ import annotations

from demarches.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidRequestError,
    NotFoundError,
    UnavailableError,
)


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


class DossierNotFoundError(NotFoundError):
    """No dossier has this id, or the caller may not see it: both get the same error."""

    code = "dossier_not_found"


class DossierChangedError(ConflictError):
    """Another request changed the dossier since it was read; read it again and retry."""

    code = "dossier_changed"


class DossierClosedError(ConflictError):
    """The dossier already has its outcome (tacit decision or closure): the step is void.

    Workflow tasks raise it so that the state machine ends the execution instead of
    recording a failure; its class name is the error name the state machine catches.
    """

    code = "dossier_closed"


class IdempotencyKeyReusedError(InvalidRequestError):
    """The Idempotency-Key already created a draft from another request body."""

    code = "idempotency_key_reused"


class RequestTypeChangedError(InvalidRequestError):
    """A draft keeps the request type it was created with."""

    code = "request_type_changed"


class NotaryOfficeRequiredError(ForbiddenError):
    """Only an account of a notary's office may file a DIA."""

    code = "notary_office_required"


class PieceUnknownError(InvalidRequestError):
    """The piece code is neither in the request type's catalogue nor a requested document."""

    code = "piece_unknown"


class PieceNotUploadableError(ConflictError):
    """The dossier's status does not accept this piece now."""

    code = "piece_not_uploadable"


class DossierNotAwaitingError(ConflictError):
    """The instruction workflow is not waiting for this step of the dossier."""

    code = "dossier_not_awaiting"


class ComplementAlreadyRequestedError(ConflictError):
    """Missing documents or a visit may be requested once per dossier."""

    code = "complement_already_requested"


class ComplementIncompleteError(ConflictError):
    """Some requested documents have no accepted upload yet."""

    code = "complement_incomplete"


class DecisionInvalidError(InvalidRequestError):
    """The drafted decision does not fit the request type: ``details`` names the fault."""

    code = "decision_invalid"


class SignatoryNotRegisteredError(ForbiddenError):
    """The account has the signatory role but no registered capacity to sign decisions."""

    code = "signatory_not_registered"


class WorkflowStepGoneError(ConflictError):
    """The workflow no longer waits on the stored task token (already resumed or ended)."""

    code = "workflow_step_gone"


class SigningCredentialsInvalidError(UnavailableError):
    """The configured signing key store cannot sign for this signatory; an operator fixes it."""

    code = "signing_unavailable"
