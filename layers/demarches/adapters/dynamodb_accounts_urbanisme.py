"""DynamoDB adapters of the urbanism registration counter and account directory.

Counters table, key ``counter_id`` = ``<request type>#<year>``: ``sequence`` (N), increased
with ``ADD`` so two concurrent submissions never get the same number.

Directory table, key ``entry_id``: ``office#<office id>`` (name, SIRET, e-mail, address),
``signatory#<subject>`` (name, capacity), and ``silence-signatory`` naming the subject whose
name the attestations of tacit decisions carry.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from demarches.errors import UnavailableError
from demarches.urbanisme.accounts import NotaryOfficeAccount, SignatoryAccount
from demarches.urbanisme.request_type import RequestType

_SILENCE_SIGNATORY = "silence-signatory"
_OFFICE_FIELDS = ("name", "siret", "email", "street", "postcode", "city")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


class DynamoDBRegistrationCounter:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def next(self, request_type: RequestType, year: int) -> int:
        try:
            response = self._db.update_item(
                TableName=self._table,
                Key={"counter_id": _s(f"{request_type.value}#{year}")},
                UpdateExpression="ADD #sequence :one",
                ExpressionAttributeNames={"#sequence": "sequence"},
                ExpressionAttributeValues={":one": {"N": "1"}},
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            raise UnavailableError("no registration number could be taken; try again") from exc
        return int(response["Attributes"]["sequence"]["N"])


class DynamoDBAccountDirectory:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def office(self, office_id: str) -> NotaryOfficeAccount | None:
        item = self._get(f"office#{office_id}")
        if item is None:
            return None
        values = {name: item[name]["S"] for name in _OFFICE_FIELDS}
        return NotaryOfficeAccount(office_id=office_id, **values)

    def signatory(self, subject: str) -> SignatoryAccount | None:
        item = self._get(f"signatory#{subject}")
        if item is None:
            return None
        return SignatoryAccount(
            subject=subject,
            name=item["name"]["S"],
            capacity=item["capacity"]["S"],
            signs_silence_attestations=item.get("signs_silence_attestations", {}).get(
                "BOOL", False
            ),
        )

    def silence_signatory(self) -> SignatoryAccount | None:
        item = self._get(_SILENCE_SIGNATORY)
        return self.signatory(item["subject"]["S"]) if item else None

    def save_office(self, office: NotaryOfficeAccount) -> None:
        item = {"entry_id": _s(f"office#{office.office_id}")}
        item.update({name: _s(getattr(office, name)) for name in _OFFICE_FIELDS})
        self._put(item)

    def save_signatory(self, signatory: SignatoryAccount) -> None:
        self._put(
            {
                "entry_id": _s(f"signatory#{signatory.subject}"),
                "name": _s(signatory.name),
                "capacity": _s(signatory.capacity),
                "signs_silence_attestations": {"BOOL": signatory.signs_silence_attestations},
            }
        )
        if signatory.signs_silence_attestations:
            self._put({"entry_id": _s(_SILENCE_SIGNATORY), "subject": _s(signatory.subject)})

    def _get(self, entry_id: str) -> dict[str, Any] | None:
        try:
            response = self._db.get_item(TableName=self._table, Key={"entry_id": _s(entry_id)})
        except ClientError as exc:
            raise UnavailableError("the account directory cannot be read; try again") from exc
        item: dict[str, Any] | None = response.get("Item")
        return item

    def _put(self, item: dict[str, Any]) -> None:
        try:
            self._db.put_item(TableName=self._table, Item=item)
        except ClientError as exc:
            raise UnavailableError("the account directory could not be written") from exc
