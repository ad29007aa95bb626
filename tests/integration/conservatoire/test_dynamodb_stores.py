"""The DynamoDB adapters of the conservatoire ports, on fresh tables of the embedded stack.

The enrollment store runs the same contract as the in-memory fake of the unit tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from demarches.adapters.dynamodb_conservatoire import DynamoDBEnrollmentStore
from demarches.adapters.dynamodb_evaluations import DynamoDBEvaluationStore
from demarches.adapters.dynamodb_quotients import DynamoDBQuotientReader
from demarches.conservatoire.enrollment import EnrollmentStatus
from demarches.conservatoire.errors import EvaluationChangedError
from demarches.conservatoire.evaluations import EvaluationKey, Term, write_evaluation
from demarches.conservatoire.ports import EnrollmentStore
from infra import resources
from tests.unit.conservatoire.enrollment_store_contract import (
    COURSE,
    YEAR,
    EnrollmentStoreContract,
    new_request,
)

T0 = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def dynamodb(stack: Any) -> Any:
    return boto3.client("dynamodb", endpoint_url=stack.emulator.endpoint_url)


@pytest.fixture
def new_table(dynamodb: Any) -> Iterator[Any]:
    """Create empty tables shaped like ``infra.resources`` ones; drop them after the test."""
    created: list[str] = []

    def create(logical_id: str) -> str:
        properties = resources.TABLES[logical_id]["Properties"]
        name = f"test-{logical_id}-{uuid.uuid4().hex[:8]}"
        arguments = {
            key: properties[key]
            for key in (
                "AttributeDefinitions",
                "KeySchema",
                "BillingMode",
                "GlobalSecondaryIndexes",
            )
            if key in properties
        }
        dynamodb.create_table(TableName=name, **arguments)
        created.append(name)
        return name

    yield create
    for name in created:
        dynamodb.delete_table(TableName=name)


def enrollment_store(dynamodb: Any, new_table: Any, **options: Any) -> DynamoDBEnrollmentStore:
    return DynamoDBEnrollmentStore(
        dynamodb,
        enrollments_table=new_table("ConservatoireEnrollmentsTable"),
        courses_table=new_table("ConservatoireCoursesTable"),
        **options,
    )


class TestDynamoDBEnrollmentStore(EnrollmentStoreContract):
    @pytest.fixture
    def store(self, dynamodb: Any, new_table: Any) -> EnrollmentStore:
        return enrollment_store(dynamodb, new_table)


def test_capacity_rise_beyond_one_transaction(dynamodb, new_table):
    store = enrollment_store(dynamodb, new_table, promotions_per_write=2)
    for number in range(1, 8):
        store.place(new_request(number), COURSE.capacity)

    change = store.set_capacity(YEAR, COURSE.course_id, capacity=9, default_capacity=2, at=T0)

    promoted = [e.enrollment_id for e in change.promoted]
    assert promoted == [f"contract-{n:04d}" for n in range(3, 8)]
    assert change.seats.capacity == 9
    assert change.seats.places_held == 7
    found = store.availability(YEAR, {COURSE.course_id: 2})[COURSE.course_id]
    assert found.seats.capacity == 9
    assert found.waiting == 0
    offered = [store.get(enrollment_id) for enrollment_id in promoted]
    assert all(e is not None and e.status is EnrollmentStatus.OFFERED for e in offered)


def test_promotion_is_recorded_in_history(dynamodb, new_table):
    store = enrollment_store(dynamodb, new_table)
    holder = store.place(new_request(1), COURSE.capacity).enrollment
    store.place(new_request(2), COURSE.capacity)
    store.place(new_request(3), COURSE.capacity)
    from demarches.conservatoire import enrollment as rules

    store.end(rules.cancel(holder, actor_id="user-0001", at=T0), EnrollmentStatus.REQUESTED)

    table = store._enrollments
    item = dynamodb.get_item(TableName=table, Key={"enrollment_id": {"S": "contract-0003"}})
    history = [entry["M"]["status"]["S"] for entry in item["Item"]["history"]["L"]]
    assert history == ["waiting", "offered"]


def test_unusable_ids_are_not_found(dynamodb, new_table):
    store = enrollment_store(dynamodb, new_table)

    assert store.get("") is None
    assert store.get("x" * 5000) is None
    assert store.list_for_person("", YEAR) == []


@pytest.fixture
def evaluations(dynamodb: Any, new_table: Any) -> DynamoDBEvaluationStore:
    return DynamoDBEvaluationStore(dynamodb, new_table("ConservatoireEvaluationsTable"))


def evaluation_key(person_id: str = "p-1", term: Term = Term.TRIMESTRE_1) -> EvaluationKey:
    return EvaluationKey(YEAR, "cons-piano-c1", person_id, term)


def test_evaluation_round_trip_and_amendment(evaluations):
    key = evaluation_key()
    first = write_evaluation(
        None,
        key=key,
        household_id="foyer-1",
        appreciation="Bon trimestre.",
        level_reached="Cycle 1, année 2",
        author_id="user-lambert",
        at=T0,
    )
    evaluations.save(first)
    amended = write_evaluation(
        evaluations.get(key),
        key=key,
        household_id="foyer-1",
        appreciation="Très bon trimestre.",
        level_reached="Cycle 1, année 2",
        author_id="user-lambert",
        at=T0 + timedelta(days=1),
    )
    evaluations.save(amended)

    assert evaluations.get(key) == amended
    assert amended.posted_at == first.posted_at
    assert evaluations.list_for_household("foyer-1", YEAR) == [amended]
    assert evaluations.list_for_household("foyer-2", YEAR) == []
    assert evaluations.list_for_household("foyer-1", "2027-2028") == []


def test_concurrent_first_posting_is_rejected(evaluations):
    key = evaluation_key(term=Term.TRIMESTRE_2)
    first = write_evaluation(
        None,
        key=key,
        household_id="foyer-1",
        appreciation="Bien.",
        level_reached="Cycle 1",
        author_id="user-lambert",
        at=T0,
    )
    evaluations.save(first)

    with pytest.raises(EvaluationChangedError):
        evaluations.save(replace(first, appreciation="Écrit sans avoir lu la première."))
    assert evaluations.get(key) == first


def test_quotient_reader(dynamodb, new_table):
    table = new_table("QuotientsTable")
    reader = DynamoDBQuotientReader(dynamodb, table)
    for household_id, value in (("foyer-1", "712"), ("foyer-2", "712.5")):
        dynamodb.put_item(
            TableName=table,
            Item={
                "household_id": {"S": household_id},
                "school_year": {"S": YEAR},
                "quotient_familial": {"N": value},
                "bracket": {"S": "B"},
                "source": {"S": "caf"},
                "obtained_at": {"S": "2026-06-01"},
            },
        )

    assert reader.quotient_familial("foyer-1", YEAR) == 712
    assert reader.quotient_familial("foyer-1", "2025-2026") is None
    assert reader.quotient_familial("foyer-2", YEAR) is None
    assert reader.quotient_familial("foyer-3", YEAR) is None
