"""DynamoDB adapter of the ``HouseholdDirectory``: one profile item and one item per person.

Person items (``sk = PERSON#<id>``) are also what booking transactions check to prove that a
person belongs to the caller's household.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from demarches.households.domain import Household, Person


class DynamoDBHouseholdDirectory:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def get(self, household_id: str) -> Household | None:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="household_id = :h",
            ExpressionAttributeValues={":h": {"S": household_id}},
            ConsistentRead=True,
        )
        items = response["Items"]
        profile = next((i for i in items if i["sk"]["S"] == "PROFILE"), None)
        if profile is None:
            return None
        persons = tuple(
            Person(
                person_id=i["person_id"]["S"],
                first_name=i["first_name"]["S"],
                last_name=i["last_name"]["S"],
                birth_date=date.fromisoformat(i["birth_date"]["S"]),
                role=i["role"]["S"],
                school=i.get("school", {}).get("S"),
                school_class=i.get("school_class", {}).get("S"),
            )
            for i in items
            if i["sk"]["S"].startswith("PERSON#")
        )
        return Household(
            household_id=household_id,
            name=profile["name"]["S"],
            address=profile["address"]["S"],
            postcode=profile["postcode"]["S"],
            commune_insee=profile["commune_insee"]["S"],
            email=profile["email"]["S"],
            persons=tuple(sorted(persons, key=lambda p: (p.role, p.birth_date))),
        )

    def save(self, household: Household) -> None:
        profile = {
            "household_id": {"S": household.household_id},
            "sk": {"S": "PROFILE"},
            "name": {"S": household.name},
            "address": {"S": household.address},
            "postcode": {"S": household.postcode},
            "commune_insee": {"S": household.commune_insee},
            "email": {"S": household.email},
        }
        self._db.put_item(TableName=self._table, Item=profile)
        for person in household.persons:
            item: dict[str, Any] = {
                "household_id": {"S": household.household_id},
                "sk": {"S": f"PERSON#{person.person_id}"},
                "person_id": {"S": person.person_id},
                "first_name": {"S": person.first_name},
                "last_name": {"S": person.last_name},
                "birth_date": {"S": person.birth_date.isoformat()},
                "role": {"S": person.role},
            }
            if person.school:
                item["school"] = {"S": person.school}
            if person.school_class:
                item["school_class"] = {"S": person.school_class}
            self._db.put_item(TableName=self._table, Item=item)
