"""DynamoDB adapter of the conservatoire ``QuotientReader``, over the shared quotients table.

The portail famille writes one item per household and school year (see ``infra/resources.py``):
``household_id`` + ``school_year`` keys, ``quotient_familial`` (number, whole euros per month),
``bracket``, ``source`` and ``obtained_at``. Only ``quotient_familial`` is read here, because the
conservatoire applies its own fee brackets to it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from demarches.errors import UnavailableError

logger = Logger(service="demarches")


class DynamoDBQuotientReader:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def quotient_familial(self, household_id: str, school_year: str) -> int | None:
        """Return the stored quotient_familial, or None when none is recorded for the year.

        A stored value that is not a whole number counts as missing, so the fee schedule's
        default bracket applies, and the fault is logged.
        """
        try:
            response = self._db.get_item(
                TableName=self._table,
                Key={"household_id": {"S": household_id}, "school_year": {"S": school_year}},
                ProjectionExpression="quotient_familial",
            )
        except ClientError as exc:
            raise UnavailableError("Le quotient familial n'a pas pu être lu : réessayez.") from exc
        value = response.get("Item", {}).get("quotient_familial", {}).get("N")
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            logger.warning(
                "stored quotient_familial is not a whole number",
                extra={"household_id": household_id, "school_year": school_year},
            )
            return None
