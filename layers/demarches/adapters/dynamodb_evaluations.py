"""DynamoDB adapter of the conservatoire ``EvaluationStore``.

Table (see ``infra/resources.py``): ``person_id`` + ``sk`` = ``<school_year>#<course_id>#<term>``,
one item per pupil, course and term, and the index ``by_household`` (``household_id`` +
``sk``) that limits a parent's query to their own household.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from demarches.conservatoire.errors import EvaluationChangedError
from demarches.conservatoire.evaluations import Evaluation, EvaluationKey, Term
from demarches.errors import UnavailableError

Item = dict[str, Any]

# Ids outside 1 to 512 characters are reported as not found, because DynamoDB rejects an empty
# key and a partition key over 2,048 bytes. Request models cap person ids at 128 characters.
_MAX_KEY_LENGTH = 512


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _sort_key(key: EvaluationKey) -> str:
    return f"{key.school_year}#{key.course_id}#{key.term.value}"


def _item(evaluation: Evaluation) -> Item:
    key = evaluation.key
    item: Item = {
        "person_id": _s(key.person_id),
        "sk": _s(_sort_key(key)),
        "school_year": _s(key.school_year),
        "course_id": _s(key.course_id),
        "term": _s(key.term.value),
        "household_id": _s(evaluation.household_id),
        "appreciation": _s(evaluation.appreciation),
        "level_reached": _s(evaluation.level_reached),
        "posted_by": _s(evaluation.posted_by),
        "posted_at": _s(_instant(evaluation.posted_at)),
    }
    if evaluation.amended_by is not None:
        item["amended_by"] = _s(evaluation.amended_by)
    if evaluation.amended_at is not None:
        item["amended_at"] = _s(_instant(evaluation.amended_at))
    return item


def _evaluation(item: Item) -> Evaluation:
    amended_by = item.get("amended_by")
    amended_at = item.get("amended_at")
    return Evaluation(
        key=EvaluationKey(
            school_year=item["school_year"]["S"],
            course_id=item["course_id"]["S"],
            person_id=item["person_id"]["S"],
            term=Term(item["term"]["S"]),
        ),
        household_id=item["household_id"]["S"],
        appreciation=item["appreciation"]["S"],
        level_reached=item["level_reached"]["S"],
        posted_by=item["posted_by"]["S"],
        posted_at=_parse_instant(item["posted_at"]["S"]),
        amended_by=None if amended_by is None else amended_by["S"],
        amended_at=None if amended_at is None else _parse_instant(amended_at["S"]),
    )


class DynamoDBEvaluationStore:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def get(self, key: EvaluationKey) -> Evaluation | None:
        if not 0 < len(key.person_id) <= _MAX_KEY_LENGTH:
            return None
        response = self._db.get_item(
            TableName=self._table,
            Key={"person_id": _s(key.person_id), "sk": _s(_sort_key(key))},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return _evaluation(item) if item else None

    def save(self, evaluation: Evaluation) -> None:
        """Create the evaluation, or replace the one that was read before it was amended.

        A first posting must find no item, and an amendment must find the item with the same
        first posting, so that a concurrent first posting is reported instead of overwritten.
        Concurrent amendments replace each other, the last one winning.
        """
        condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(person_id)"}
        if evaluation.amended_at is not None:
            condition = {
                "ConditionExpression": "posted_at = :posted_at",
                "ExpressionAttributeValues": {":posted_at": _s(_instant(evaluation.posted_at))},
            }
        try:
            self._db.put_item(TableName=self._table, Item=_item(evaluation), **condition)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise UnavailableError(
                    "L'évaluation n'a pas pu être enregistrée : réessayez."
                ) from exc
            raise EvaluationChangedError(
                "Cette évaluation vient d'être enregistrée par une autre requête : "
                "rechargez-la avant de la modifier.",
                field="term",
            ) from exc

    def list_for_household(self, household_id: str, school_year: str) -> list[Evaluation]:
        if not 0 < len(household_id) <= _MAX_KEY_LENGTH:
            return []
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            IndexName="by_household",
            KeyConditionExpression="household_id = :household AND begins_with(sk, :year)",
            ExpressionAttributeValues={
                ":household": _s(household_id),
                ":year": _s(f"{school_year}#"),
            },
        )
        return [_evaluation(item) for page in pages for item in page["Items"]]
