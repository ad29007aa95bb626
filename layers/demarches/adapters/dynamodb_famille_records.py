"""DynamoDB adapters of the periscolaire registrations, quotients and invoices.

Tables (see ``infra/resources.py``):
- registrations: ``household_id`` + ``school_year``. The registration is one JSON attribute,
  with ``version`` for optimistic locking, ``status`` and the index key ``status_key``
  (``<school year>#<status>``, index ``by_status``) that lists a status page by page.
  ``quotient_request`` contains the state of the quotient démarche, never a figure.
- quotients: ``household_id`` + ``school_year`` with ``quotient_familial`` (N, euros),
  ``bracket``, ``source`` and ``obtained_at`` (S, the date ``YYYY-MM-DD``), nothing else.
- invoices: ``invoice_number``, with the index ``by_household`` (``household_id`` +
  ``month``) and the sparse index ``pdf_pending``, whose key exists until the PDF is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from botocore.exceptions import ClientError

from demarches.clock import iso_utc, parse_iso_utc
from demarches.errors import UnavailableError
from demarches.famille.errors import (
    InvoiceAlreadyPaidError,
    InvoiceNotFoundError,
    InvoiceNumberCollisionError,
    RegistrationChangedError,
    RegistrationNotFoundError,
)
from demarches.famille.invoicing import Invoice, InvoiceLine
from demarches.famille.ports import (
    InvoiceStatus,
    QuotientRequest,
    QuotientRequestStatus,
    StoredInvoice,
    StoredRegistration,
)
from demarches.famille.quotient import QuotientRecord, QuotientSource
from demarches.famille.registration import (
    AuthorizedPerson,
    Child,
    Consent,
    ConsentKind,
    Guardian,
    Registration,
    RegistrationStatus,
    StatusChange,
)
from demarches.famille.school_year import Month, SchoolYear

Item = dict[str, Any]

# One page of registrations is also one BatchGetItem of their quotients (at most 100 keys).
REGISTRATION_PAGE_SIZE = 100
_BATCH_GET_MAX = 100


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _condition_failed(exc: ClientError) -> bool:
    return bool(exc.response["Error"]["Code"] == "ConditionalCheckFailedException")


# Registrations


def registration_to_json(registration: Registration) -> str:
    """Serialize a registration; health notes are never stored (the PAI flag is)."""
    children = [
        {**asdict(child), "birth_date": child.birth_date.isoformat(), "health_notes": None}
        for child in registration.children
    ]
    return json.dumps(
        {
            "registration_id": registration.registration_id,
            "household_id": registration.household_id,
            "school_year": registration.school_year.label,
            "guardians": [asdict(guardian) for guardian in registration.guardians],
            "children": children,
            "authorized_persons": [asdict(person) for person in registration.authorized_persons],
            "consents": [
                {"kind": c.kind.value, "given": c.given, "at": iso_utc(c.at)}
                for c in registration.consents
            ],
            "status": registration.status.value,
            "return_reason": registration.return_reason,
            "history": [
                {
                    "from_status": change.from_status.value,
                    "to_status": change.to_status.value,
                    "at": iso_utc(change.at),
                    "by": change.by,
                    "reason": change.reason,
                }
                for change in registration.history
            ],
        },
        ensure_ascii=False,
    )


def registration_from_json(text: str) -> Registration:
    data = json.loads(text)
    return Registration(
        registration_id=data["registration_id"],
        household_id=data["household_id"],
        school_year=SchoolYear.parse(data["school_year"]),
        guardians=tuple(Guardian(**guardian) for guardian in data["guardians"]),
        children=tuple(
            Child(**{**child, "birth_date": date.fromisoformat(child["birth_date"])})
            for child in data["children"]
        ),
        authorized_persons=tuple(AuthorizedPerson(**p) for p in data["authorized_persons"]),
        consents=tuple(
            Consent(ConsentKind(c["kind"]), c["given"], parse_iso_utc(c["at"]))
            for c in data["consents"]
        ),
        status=RegistrationStatus(data["status"]),
        return_reason=data["return_reason"],
        history=tuple(
            StatusChange(
                RegistrationStatus(h["from_status"]),
                RegistrationStatus(h["to_status"]),
                parse_iso_utc(h["at"]),
                h["by"],
                h["reason"],
            )
            for h in data["history"]
        ),
    )


def _quotient_request_to_json(request: QuotientRequest) -> str:
    return json.dumps(
        {
            "status": request.status.value,
            "updated_at": iso_utc(request.updated_at),
            "reason": request.reason,
            "message": request.message,
            "notice_key": request.notice_key,
        },
        ensure_ascii=False,
    )


def _quotient_request_from_json(text: str) -> QuotientRequest:
    data = json.loads(text)
    return QuotientRequest(
        status=QuotientRequestStatus(data["status"]),
        updated_at=parse_iso_utc(data["updated_at"]),
        reason=data["reason"],
        message=data["message"],
        notice_key=data["notice_key"],
    )


def _stored_registration(item: Item) -> StoredRegistration:
    request = item.get("quotient_request", {}).get("S")
    return StoredRegistration(
        registration=registration_from_json(item["registration"]["S"]),
        version=int(item["version"]["N"]),
        quotient_request=_quotient_request_from_json(request) if request else None,
    )


def status_key(school_year: SchoolYear, status: RegistrationStatus) -> str:
    return f"{school_year.label}#{status.value}"


class DynamoDBRegistrationRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    @staticmethod
    def _key(household_id: str, school_year: SchoolYear) -> Item:
        return {"household_id": _s(household_id), "school_year": _s(school_year.label)}

    def get(self, household_id: str, school_year: SchoolYear) -> StoredRegistration | None:
        response = self._db.get_item(
            TableName=self._table, Key=self._key(household_id, school_year), ConsistentRead=True
        )
        item = response.get("Item")
        return _stored_registration(item) if item else None

    def save(self, registration: Registration, *, expected_version: int) -> int:
        new_version = expected_version + 1
        if expected_version == 0:
            condition = "attribute_not_exists(household_id)"
            values: Item = {}
        else:
            condition = "version = :expected"
            values = {":expected": _n(expected_version)}
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(registration.household_id, registration.school_year),
                UpdateExpression=(
                    "SET registration = :registration, version = :version, #status = :status, "
                    "status_key = :status_key"
                ),
                ConditionExpression=condition,
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":registration": _s(registration_to_json(registration)),
                    ":version": _n(new_version),
                    ":status": _s(registration.status.value),
                    ":status_key": _s(status_key(registration.school_year, registration.status)),
                    **values,
                },
            )
        except ClientError as exc:
            if _condition_failed(exc):
                raise RegistrationChangedError(
                    f"registration {registration.registration_id} changed since it was read; "
                    "read it again and retry",
                    field="registration",
                ) from exc
            raise UnavailableError("the registration could not be stored; try again") from exc
        return new_version

    def set_quotient_request(
        self, household_id: str, school_year: SchoolYear, request: QuotientRequest
    ) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(household_id, school_year),
                UpdateExpression="SET quotient_request = :request",
                ConditionExpression="attribute_exists(household_id)",
                ExpressionAttributeValues={":request": _s(_quotient_request_to_json(request))},
            )
        except ClientError as exc:
            if _condition_failed(exc):
                raise RegistrationNotFoundError(
                    f"no registration for the school year {school_year}", field="school_year"
                ) from exc
            raise UnavailableError("the quotient status could not be stored") from exc

    def pages_by_status(
        self, school_year: SchoolYear, status: RegistrationStatus
    ) -> Iterator[list[StoredRegistration]]:
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            IndexName="by_status",
            KeyConditionExpression="status_key = :key",
            ExpressionAttributeValues={":key": _s(status_key(school_year, status))},
            PaginationConfig={"PageSize": REGISTRATION_PAGE_SIZE},
        )
        for page in pages:
            if page["Items"]:
                yield [_stored_registration(item) for item in page["Items"]]


# Quotients


def _quotient_from_item(item: Item) -> QuotientRecord:
    source: QuotientSource = item["source"]["S"]
    return QuotientRecord(
        value_euros=int(item["quotient_familial"]["N"]),
        bracket=item["bracket"]["S"],
        source=source,
        obtained_on=date.fromisoformat(item["obtained_at"]["S"]),
        school_year=SchoolYear.parse(item["school_year"]["S"]),
    )


class DynamoDBQuotientRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def get(self, household_id: str, school_year: SchoolYear) -> QuotientRecord | None:
        response = self._db.get_item(
            TableName=self._table,
            Key={"household_id": _s(household_id), "school_year": _s(school_year.label)},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return _quotient_from_item(item) if item else None

    def get_many(
        self, household_ids: Sequence[str], school_year: SchoolYear
    ) -> dict[str, QuotientRecord]:
        records: dict[str, QuotientRecord] = {}
        unique = list(dict.fromkeys(household_ids))
        for start in range(0, len(unique), _BATCH_GET_MAX):
            keys = [
                {"household_id": _s(household_id), "school_year": _s(school_year.label)}
                for household_id in unique[start : start + _BATCH_GET_MAX]
            ]
            request: Item = {self._table: {"Keys": keys, "ConsistentRead": True}}
            while request:
                response = self._db.batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self._table, []):
                    records[item["household_id"]["S"]] = _quotient_from_item(item)
                # TODO: unprocessed keys are retried at once; under throttling a backoff helps.
                request = response.get("UnprocessedKeys") or {}
        return records

    def save(self, household_id: str, record: QuotientRecord) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                "household_id": _s(household_id),
                "school_year": _s(record.school_year.label),
                "quotient_familial": _n(record.value_euros),
                "bracket": _s(record.bracket),
                "source": _s(record.source),
                "obtained_at": _s(record.obtained_on.isoformat()),
            },
        )


# Invoices


def _invoice_item(invoice: Invoice) -> Item:
    lines = [{**asdict(line), "day": line.day.isoformat()} for line in invoice.lines]
    return {
        "invoice_number": _s(invoice.number),
        "household_id": _s(invoice.household_id),
        "month": _s(str(invoice.month)),
        "school_year": _s(invoice.month.school_year.label),
        "payer_name": _s(invoice.payer_name),
        "issued_on": _s(invoice.issued_on.isoformat()),
        "due_on": _s(invoice.due_on.isoformat()),
        "total_cents": _n(invoice.total_cents),
        "lines": _s(json.dumps(lines, ensure_ascii=False)),
        "status": _s(InvoiceStatus.ISSUED.value),
        "pdf_pending": _s("1"),
    }


def _invoice_from_item(item: Item) -> StoredInvoice:
    year, month = item["month"]["S"].split("-")
    lines = tuple(
        InvoiceLine(**{**line, "day": date.fromisoformat(line["day"])})
        for line in json.loads(item["lines"]["S"])
    )
    invoice = Invoice(
        number=item["invoice_number"]["S"],
        household_id=item["household_id"]["S"],
        payer_name=item["payer_name"]["S"],
        month=Month(int(year), int(month)),
        issued_on=date.fromisoformat(item["issued_on"]["S"]),
        due_on=date.fromisoformat(item["due_on"]["S"]),
        lines=lines,
    )
    paid_at = item.get("paid_at", {}).get("S")
    return StoredInvoice(
        invoice=invoice,
        status=InvoiceStatus(item["status"]["S"]),
        pdf_key=item.get("pdf_key", {}).get("S"),
        payment_id=item.get("payment_id", {}).get("S"),
        paid_at=parse_iso_utc(paid_at) if paid_at else None,
        transaction_id=item.get("transaction_id", {}).get("S"),
    )


class DynamoDBInvoiceRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def add(self, invoice: Invoice) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=_invoice_item(invoice),
                ConditionExpression="attribute_not_exists(invoice_number)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not _condition_failed(exc):
                raise UnavailableError(f"invoice {invoice.number} could not be stored") from exc
            response: Any = exc.response
            old: Item = response.get("Item") or {}
            existing = old.get("household_id", {}).get("S")
            if existing is not None and existing != invoice.household_id:
                raise InvoiceNumberCollisionError(
                    f"invoice number {invoice.number} already belongs to another household",
                    details={"invoice_number": invoice.number},
                ) from exc
            return False
        return True

    def get(self, invoice_number: str) -> StoredInvoice | None:
        response = self._db.get_item(
            TableName=self._table, Key={"invoice_number": _s(invoice_number)}, ConsistentRead=True
        )
        item = response.get("Item")
        return _invoice_from_item(item) if item else None

    def existing_numbers(self, invoice_numbers: Sequence[str]) -> set[str]:
        found: set[str] = set()
        unique = list(dict.fromkeys(invoice_numbers))
        for start in range(0, len(unique), _BATCH_GET_MAX):
            keys = [{"invoice_number": _s(n)} for n in unique[start : start + _BATCH_GET_MAX]]
            request: Item = {self._table: {"Keys": keys, "ProjectionExpression": "invoice_number"}}
            while request:
                response = self._db.batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self._table, []):
                    found.add(item["invoice_number"]["S"])
                request = response.get("UnprocessedKeys") or {}
        return found

    def list_household(self, household_id: str) -> list[StoredInvoice]:
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            IndexName="by_household",
            KeyConditionExpression="household_id = :household",
            ExpressionAttributeValues={":household": _s(household_id)},
        )
        return [_invoice_from_item(item) for page in pages for item in page["Items"]]

    def pending_pdfs(self, limit: int) -> list[StoredInvoice]:
        if limit < 1:
            return []
        response = self._db.query(
            TableName=self._table,
            IndexName="pdf_pending",
            KeyConditionExpression="pdf_pending = :pending",
            ExpressionAttributeValues={":pending": _s("1")},
            Limit=limit,
        )
        return [_invoice_from_item(item) for item in response["Items"]]

    def attach_pdf(self, invoice_number: str, key: str) -> None:
        try:
            self._update(
                invoice_number,
                UpdateExpression="SET pdf_key = :key REMOVE pdf_pending",
                ConditionExpression="attribute_exists(invoice_number)",
                ExpressionAttributeValues={":key": _s(key)},
            )
        except ClientError as exc:
            raise InvoiceNotFoundError(
                f"no invoice {invoice_number}", field="invoice_number"
            ) from exc

    def attach_payment(self, invoice_number: str, payment_id: str) -> None:
        try:
            self._update(
                invoice_number,
                UpdateExpression="SET payment_id = :payment",
                ConditionExpression="#status = :issued",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":payment": _s(payment_id),
                    ":issued": _s(InvoiceStatus.ISSUED.value),
                },
            )
        except ClientError as exc:
            raise InvoiceAlreadyPaidError(
                f"invoice {invoice_number} is already paid", field="invoice_number"
            ) from exc

    def mark_paid(
        self, invoice_number: str, *, payment_id: str, transaction_id: str | None, at: datetime
    ) -> bool:
        values: Item = {
            ":paid": _s(InvoiceStatus.PAID.value),
            ":issued": _s(InvoiceStatus.ISSUED.value),
            ":at": _s(iso_utc(at)),
            ":payment": _s(payment_id),
        }
        expression = "SET #status = :paid, paid_at = :at, payment_id = :payment"
        if transaction_id:
            expression += ", transaction_id = :transaction"
            values[":transaction"] = _s(transaction_id)
        try:
            self._update(
                invoice_number,
                UpdateExpression=expression,
                ConditionExpression="#status = :issued",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
            )
        except ClientError:
            return False
        return True

    def _update(self, invoice_number: str, **update: Any) -> None:
        """Run one conditional UpdateItem. A failed condition is re-raised as ClientError for
        the caller to interpret; a missing invoice and other failures become domain errors."""
        try:
            self._db.update_item(
                TableName=self._table, Key={"invoice_number": _s(invoice_number)}, **update
            )
        except ClientError as exc:
            if _condition_failed(exc):
                raise
            raise UnavailableError(f"invoice {invoice_number} could not be updated") from exc
