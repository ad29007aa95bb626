"""Ports of the periscolaire use cases: storage of registrations, quotients, reservations and
invoices, the document bucket, and the records these ports exchange."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from demarches.famille.invoicing import Invoice
from demarches.famille.quotient import QuotientRecord
from demarches.famille.registration import Registration, RegistrationStatus
from demarches.famille.reservations import ReservationStore
from demarches.famille.school_year import Month, SchoolYear


class QuotientRequestStatus(StrEnum):
    """Step a household has reached in obtaining its quotient familial for a school year."""

    OBTAINED = "obtained"
    PAPER_REQUIRED = "paper_required"
    NOTICE_REQUESTED = "notice_requested"
    NOTICE_UPLOADED = "notice_uploaded"
    NOTICE_REJECTED = "notice_rejected"


@dataclass(frozen=True)
class QuotientRequest:
    """State of the quotient démarche, without any figure of the household.

    ``reason`` is a stable code such as ``person_not_found``, ``service_timed_out`` or a PDF
    rejection code. ``notice_key`` is the S3 key of the tax notice while it waits for an agent.
    """

    status: QuotientRequestStatus
    updated_at: datetime
    reason: str | None = None
    message: str | None = None
    notice_key: str | None = None


@dataclass(frozen=True)
class StoredRegistration:
    """A registration with its storage version (optimistic locking) and quotient state."""

    registration: Registration
    version: int
    quotient_request: QuotientRequest | None = None


class RegistrationRepository(Protocol):
    def get(self, household_id: str, school_year: SchoolYear) -> StoredRegistration | None: ...

    def save(self, registration: Registration, *, expected_version: int) -> int:
        """Store ``registration`` if its stored version is still ``expected_version`` (0 for a
        new one) and return the new version. Raises RegistrationChangedError otherwise."""
        ...

    def set_quotient_request(
        self, household_id: str, school_year: SchoolYear, request: QuotientRequest
    ) -> None: ...

    def pages_by_status(
        self, school_year: SchoolYear, status: RegistrationStatus
    ) -> Iterator[list[StoredRegistration]]:
        """Yield the registrations with ``status`` page by page (one request per page)."""
        ...


class QuotientRepository(Protocol):
    def get(self, household_id: str, school_year: SchoolYear) -> QuotientRecord | None: ...

    def get_many(
        self, household_ids: Sequence[str], school_year: SchoolYear
    ) -> dict[str, QuotientRecord]:
        """Read the records of many households in as few requests as the store allows."""
        ...

    def save(self, household_id: str, record: QuotientRecord) -> None: ...


@dataclass(frozen=True)
class ChildDetails:
    """Details a reservation copies from the validated registration: the school whose
    capacity it takes, and for the agents' lists the name and the PAI flag (yes or no, never a
    health note)."""

    school_id: str
    first_name: str
    last_name: str
    pai: bool


@dataclass(frozen=True)
class StoredReservation:
    """One reservation item as stored, with its attendance."""

    household_id: str
    child_id: str
    day: date
    activity: str
    school_id: str
    booked: bool
    cancelled: bool
    attended: bool | None
    excused: bool


@dataclass(frozen=True)
class ExpectedChild:
    """A child booked on a session, as the agents' list shows it."""

    household_id: str
    child_id: str
    first_name: str
    last_name: str
    pai: bool
    attended: bool | None
    excused: bool


@dataclass(frozen=True)
class SessionCount:
    """Children booked on one activity of one school on one day, and the capacity."""

    school_id: str
    day: date
    activity: str
    booked: int
    capacity: int


class ReservationLedger(Protocol):
    def store_for(
        self, household_id: str, children: Mapping[str, ChildDetails]
    ) -> ReservationStore:
        """Return the ``ReservationStore`` that books and cancels for one household."""
        ...

    def household_month(self, household_id: str, month: Month) -> list[StoredReservation]:
        """Read every reservation of a household in a month with one query."""
        ...

    def expected(self, school_id: str, day: date, activity: str) -> list[ExpectedChild]: ...

    def session_counts(self, day: date) -> list[SessionCount]: ...

    def mark_attendance(
        self, child: ExpectedChild, *, day: date, activity: str, attended: bool, excused: bool
    ) -> None: ...


class InvoiceStatus(StrEnum):
    ISSUED = "issued"
    PAID = "paid"


@dataclass(frozen=True)
class StoredInvoice:
    """An issued invoice and what happened to it since: PDF, payment."""

    invoice: Invoice
    status: InvoiceStatus
    pdf_key: str | None = None
    payment_id: str | None = None
    paid_at: datetime | None = None
    transaction_id: str | None = None


class InvoiceRepository(Protocol):
    def add(self, invoice: Invoice) -> bool:
        """Store a new invoice; return False, writing nothing, when its number exists already.

        Raises InvoiceNumberCollisionError when the number exists for another household.
        """
        ...

    def get(self, invoice_number: str) -> StoredInvoice | None: ...

    def existing_numbers(self, invoice_numbers: Sequence[str]) -> set[str]:
        """Return which of ``invoice_numbers`` are stored, in as few requests as possible."""
        ...

    def list_household(self, household_id: str) -> list[StoredInvoice]: ...

    def pending_pdfs(self, limit: int) -> list[StoredInvoice]:
        """Return up to ``limit`` invoices whose PDF is not rendered yet."""
        ...

    def attach_pdf(self, invoice_number: str, key: str) -> None: ...

    def attach_payment(self, invoice_number: str, payment_id: str) -> None:
        """Record the PayFiP operation started for an invoice that is still unpaid."""
        ...

    def mark_paid(
        self, invoice_number: str, *, payment_id: str, transaction_id: str | None, at: datetime
    ) -> bool:
        """Mark an issued invoice paid in one conditional write; False if it was paid already."""
        ...


@dataclass(frozen=True)
class PresignedUpload:
    """A presigned S3 POST: the form ``fields`` go with the file to ``url``."""

    url: str
    fields: dict[str, str]
    key: str
    max_bytes: int
    expires_at: datetime


class DocumentStore(Protocol):
    """The documents bucket."""

    def presigned_upload(
        self, key: str, *, max_bytes: int, content_type: str, expires_seconds: int
    ) -> PresignedUpload: ...

    def size(self, key: str) -> int | None:
        """Return the object's size in bytes, or None when no object has this key."""
        ...

    def read(self, key: str) -> bytes: ...

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete_all_versions(self, key: str) -> int:
        """Delete every version of ``key`` (the bucket is versioned) and return how many."""
        ...

    def presigned_download(self, key: str, *, expires_seconds: int, file_name: str) -> str: ...
