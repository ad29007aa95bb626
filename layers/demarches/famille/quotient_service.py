"""Use cases of the quotient familial: automatic retrieval with the family's consent, and the
paper path (the family uploads its tax notice, an agent enters the figure)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import requests

from demarches.clock import Clock, to_paris
from demarches.errors import DemarcheError
from demarches.famille.errors import (
    QuotientAutomaticRetrievalUnsupportedError,
    QuotientPersonNotFoundError,
    QuotientResponseInvalidError,
    QuotientServiceUnavailableError,
    TaxNoticeNotFoundError,
    TaxNoticeStateError,
)
from demarches.famille.ports import (
    DocumentStore,
    PresignedUpload,
    QuotientRepository,
    QuotientRequest,
    QuotientRequestStatus,
)
from demarches.famille.quotient import (
    PaperFigures,
    QuotientLookup,
    QuotientProvider,
    QuotientRecord,
    QuotientSettings,
    TaxDataProvider,
    record_paper_quotient,
    retrieve_quotient,
)
from demarches.famille.registration import ConsentKind
from demarches.famille.registration_service import RegistrationService
from demarches.famille.school_year import SchoolYear
from demarches.urbanisme.pdf_check import REJECTION_MESSAGES, PdfRejection, check_pdf

logger = logging.getLogger(__name__)

NOTICE_PREFIX = "famille/tax-notices"
NOTICE_MAX_BYTES = 10_000_000
NOTICE_MAX_LABEL = "10\u00a0Mo"
NOTICE_MAX_PAGES = 10
UPLOAD_EXPIRY_SECONDS = 15 * 60
DOWNLOAD_EXPIRY_SECONDS = 5 * 60

# Messages in French, for the family, each with the next step.
_PAPER_MESSAGES = {
    "person_not_found": (
        "La CAF, la MSA et les impôts n'ont pas trouvé votre dossier. Déposez votre dernier "
        "avis d'imposition : un agent saisira votre quotient familial."
    ),
    "service_timed_out": (
        "Le service de la CAF ou des impôts n'a pas répondu à temps. Réessayez plus tard ou "
        "déposez votre dernier avis d'imposition."
    ),
    "service_unavailable": (
        "Le service de la CAF ou des impôts est indisponible. Réessayez plus tard ou déposez "
        "votre dernier avis d'imposition."
    ),
    "response_invalid": (
        "La réponse du service de la CAF ou des impôts est inexploitable. Déposez votre "
        "dernier avis d'imposition."
    ),
    "automatic_retrieval_off": (
        "Le quotient familial n'est pas récupéré automatiquement : déposez votre dernier "
        "avis d'imposition."
    ),
}


@dataclass(frozen=True)
class QuotientStatus:
    """The household's quotient démarche for a school year: its state and, once obtained, the
    record that prices the sessions."""

    request: QuotientRequest | None
    record: QuotientRecord | None


def _paper_reason(exc: DemarcheError) -> str:
    if isinstance(exc, QuotientPersonNotFoundError):
        return "person_not_found"
    if isinstance(exc, QuotientServiceUnavailableError):
        timed_out = isinstance(exc.__cause__, requests.Timeout)
        return "service_timed_out" if timed_out else "service_unavailable"
    if isinstance(exc, QuotientResponseInvalidError):
        return "response_invalid"
    return "automatic_retrieval_off"


class QuotientService:
    def __init__(
        self,
        *,
        registrations: RegistrationService,
        repository: QuotientRepository,
        documents: DocumentStore,
        settings: QuotientSettings,
        quotient_provider: QuotientProvider,
        tax_provider: TaxDataProvider,
        clock: Clock,
    ) -> None:
        self._registrations = registrations
        self._repository = repository
        self._documents = documents
        self._settings = settings
        self._quotient_provider = quotient_provider
        self._tax_provider = tax_provider
        self._clock = clock

    def status(self, household_id: str, school_year: SchoolYear) -> QuotientStatus:
        stored = self._registrations.get(household_id, school_year)
        return QuotientStatus(
            stored.quotient_request, self._repository.get(household_id, school_year)
        )

    def retrieve(
        self, household_id: str, school_year: SchoolYear, lookup: QuotientLookup
    ) -> QuotientStatus:
        """Retrieve the QF from the CAF/MSA or the DGFiP with the consent the family recorded.

        When the person is unknown, the services fail or time out, the household is moved to
        the paper path and the status says why. A missing consent (403) and invalid identity
        values (422) are errors, since the family can correct them.
        """
        stored = self._registrations.get(household_id, school_year)
        consent = stored.registration.has_consented(ConsentKind.QUOTIENT_RETRIEVAL)
        today = to_paris(self._clock.now()).date()
        try:
            record = retrieve_quotient(
                lookup,
                consent_given=consent,
                school_year=school_year,
                today=today,
                settings=self._settings,
                quotient_provider=self._quotient_provider,
                tax_provider=self._tax_provider,
            )
        except (
            QuotientPersonNotFoundError,
            QuotientServiceUnavailableError,
            QuotientResponseInvalidError,
            QuotientAutomaticRetrievalUnsupportedError,
        ) as exc:
            reason = _paper_reason(exc)
            logger.warning(
                "quotient retrieval failed, paper path offered",
                extra={"household_id": household_id, "code": exc.code, "reason": reason},
            )
            request = self._set_request(
                household_id,
                school_year,
                QuotientRequestStatus.PAPER_REQUIRED,
                reason=reason,
                message=_PAPER_MESSAGES[reason],
            )
            return QuotientStatus(request, self._repository.get(household_id, school_year))

        return self._store(household_id, record)

    def _store(self, household_id: str, record: QuotientRecord) -> QuotientStatus:
        self._repository.save(household_id, record)
        request = self._set_request(
            household_id, record.school_year, QuotientRequestStatus.OBTAINED
        )
        logger.info(
            "quotient recorded",
            extra={
                "household_id": household_id,
                "source": record.source,
                "bracket": record.bracket,
            },
        )
        return QuotientStatus(request, record)

    def _set_request(
        self,
        household_id: str,
        school_year: SchoolYear,
        status: QuotientRequestStatus,
        *,
        reason: str | None = None,
        message: str | None = None,
        notice_key: str | None = None,
    ) -> QuotientRequest:
        request = QuotientRequest(status, self._clock.now(), reason, message, notice_key)
        self._registrations.set_quotient_request(household_id, school_year, request)
        return request

    # The paper path.

    def request_notice_upload(self, household_id: str, school_year: SchoolYear) -> PresignedUpload:
        """Return a presigned POST for the tax notice, and remember its key for the check.

        The POST's size and type conditions are not enforced by every S3 emulator, so
        ``confirm_notice_upload`` checks the object itself once it has landed.
        """
        stored = self._registrations.get(household_id, school_year)
        current = stored.quotient_request
        if current is not None and current.status is QuotientRequestStatus.OBTAINED:
            raise TaxNoticeStateError(
                f"the quotient familial of {school_year} is already recorded", field="school_year"
            )
        key = f"{NOTICE_PREFIX}/{household_id}/{school_year}/{uuid.uuid4().hex}.pdf"
        if current is not None and current.notice_key:
            self._documents.delete_all_versions(current.notice_key)
        upload = self._documents.presigned_upload(
            key,
            max_bytes=NOTICE_MAX_BYTES,
            content_type="application/pdf",
            expires_seconds=UPLOAD_EXPIRY_SECONDS,
        )
        self._set_request(
            household_id, school_year, QuotientRequestStatus.NOTICE_REQUESTED, notice_key=key
        )
        return upload

    def confirm_notice_upload(
        self, household_id: str, school_year: SchoolYear, upload_key: str
    ) -> QuotientStatus:
        """Check the uploaded notice: a real PDF, at most 10 MB and 10 pages, not encrypted,
        without active content. A rejected file is deleted and the status gives the reason."""
        stored = self._registrations.get(household_id, school_year)
        current = stored.quotient_request
        if (
            current is None
            or current.status is not QuotientRequestStatus.NOTICE_REQUESTED
            or current.notice_key != upload_key
        ):
            raise TaxNoticeNotFoundError(
                "no tax notice upload is pending under this key; request a new upload",
                field="key",
            )
        size = self._documents.size(upload_key)
        if size is None:
            raise TaxNoticeNotFoundError(
                "the tax notice has not arrived; upload the file, then confirm", field="key"
            )
        rejection = self._check_notice(upload_key, size)
        if rejection is not None:
            reason, message = rejection
            self._documents.delete_all_versions(upload_key)
            logger.warning(
                "tax notice rejected", extra={"household_id": household_id, "reason": reason}
            )
            request = self._set_request(
                household_id,
                school_year,
                QuotientRequestStatus.NOTICE_REJECTED,
                reason=reason,
                message=message,
            )
            return QuotientStatus(request, None)

        request = self._set_request(
            household_id, school_year, QuotientRequestStatus.NOTICE_UPLOADED, notice_key=upload_key
        )
        logger.info("tax notice uploaded", extra={"household_id": household_id})
        return QuotientStatus(request, None)

    def _check_notice(self, key: str, size: int) -> tuple[str, str] | None:
        """Return the rejection code and message of the stored notice, or None if accepted."""
        if size > NOTICE_MAX_BYTES:
            # Checked before reading, so an oversized upload is never loaded in memory.
            message = REJECTION_MESSAGES[PdfRejection.TOO_LARGE].format(limit=NOTICE_MAX_LABEL)
            return PdfRejection.TOO_LARGE.value, message
        result = check_pdf(
            self._documents.read(key), max_bytes=NOTICE_MAX_BYTES, max_pages=NOTICE_MAX_PAGES
        )
        if result.accepted:
            return None
        assert result.reason is not None
        return result.reason.value, result.message

    def notice_download_url(self, household_id: str, school_year: SchoolYear) -> str:
        """Return a short-lived link to the household's checked tax notice, for an agent."""
        current = self._registrations.get(household_id, school_year).quotient_request
        if current is None or current.status is not QuotientRequestStatus.NOTICE_UPLOADED:
            raise TaxNoticeNotFoundError(
                f"household {household_id} has no checked tax notice for {school_year}",
                field="household_id",
            )
        assert current.notice_key is not None
        return self._documents.presigned_download(
            current.notice_key,
            expires_seconds=DOWNLOAD_EXPIRY_SECONDS,
            file_name=f"avis-imposition-{school_year}.pdf",
        )

    def record_paper(
        self,
        household_id: str,
        school_year: SchoolYear,
        *,
        quotient_euros: int | None,
        figures: PaperFigures | None,
        agent: str,
    ) -> QuotientStatus:
        """Record the QF an agent read on paper, then delete the tax notice: only the QF,
        bracket, source and date are kept."""
        stored = self._registrations.get(household_id, school_year)
        today = to_paris(self._clock.now()).date()
        record = record_paper_quotient(
            settings=self._settings,
            school_year=school_year,
            obtained_on=today,
            quotient_euros=quotient_euros,
            figures=figures,
        )
        status = self._store(household_id, record)
        current = stored.quotient_request
        if current is not None and current.notice_key:
            deleted = self._documents.delete_all_versions(current.notice_key)
            logger.info(
                "tax notice deleted after entry",
                extra={"household_id": household_id, "agent": agent, "versions": deleted},
            )
        return status
