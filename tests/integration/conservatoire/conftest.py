"""Fixtures of the conservatoire tests on the embedded stack: families, staff, clock, e-mails.

The catalogue is the bundled Grand Verdun 2026-2027 configuration, shared by every test of a
process, so a test that counts places starts with ``reset_course`` on a course of its own.
"""

from __future__ import annotations

import email
import email.policy
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest

from demarches import bootstrap
from demarches.clock import FixedClock, SystemClock
from tests.conftest import ApiClient

YEAR = "2026-2027"
PREVIOUS_YEAR = "2025-2026"
VERDUN = "55545"
BAR_LE_DUC = "55029"  # outside the Grand Verdun
# 10 years old on 31 December 2026, the catalogue's age reference date.
TEN_YEARS_OLD = date(2016, 4, 1)
# Inside the general enrollment window of both schools (15 June to 18 September 2026).
GENERAL_WINDOW = datetime(2026, 6, 25, 8, 0, tzinfo=UTC)


@dataclass
class Family:
    client: ApiClient
    household_id: str
    email: str
    children: list[str]


@pytest.fixture(autouse=True)
def clock(stack: Any) -> Iterator[FixedClock]:
    """Stack clock at ``GENERAL_WINDOW`` for each test; tests move ``clock.instant``."""
    fixed = FixedClock(GENERAL_WINDOW)
    bootstrap.use_clock(fixed)
    yield fixed
    bootstrap.use_clock(SystemClock())


@pytest.fixture(scope="session")
def new_family(stack: Any, api: str) -> Callable[..., Family]:
    """Store a household with one adult and children born on the given dates."""
    from demarches.households.domain import Household, Person

    def create(*birth_dates: date, commune_insee: str = VERDUN) -> Family:
        household_id = f"foyer-cons-{uuid.uuid4().hex[:10]}"
        children = tuple(
            Person(
                person_id=f"{household_id}-enfant{index}",
                first_name=f"Enfant{index}",
                last_name="Test",
                birth_date=birth_date,
                role="child",
            )
            for index, birth_date in enumerate(birth_dates or (TEN_YEARS_OLD,), start=1)
        )
        parent = Person(f"{household_id}-parent", "Parent", "Test", date(1985, 5, 5), "adult")
        address = f"{household_id}@example.fr"
        bootstrap.household_directory().save(
            Household(
                household_id=household_id,
                name="Foyer de test",
                address="1 place de test",
                postcode="55100",
                commune_insee=commune_insee,
                email=address,
                persons=(parent, *children),
            )
        )
        token = stack.issuer.issue(
            f"user-{household_id}", name="Parent Test", email=address, household_id=household_id
        )
        return Family(ApiClient(api, token), household_id, address, [c.person_id for c in children])

    return create


@pytest.fixture(scope="session")
def agent(stack: Any, api: str) -> ApiClient:
    return ApiClient(api, stack.token("agent.conservatoire"))


@pytest.fixture(scope="session")
def piano_teacher(stack: Any, api: str) -> ApiClient:
    """The demo teacher ``professeur.piano``, teacher ``ens-lambert`` of the piano courses."""
    return ApiClient(api, stack.token("professeur.piano"))


@pytest.fixture(scope="session")
def violin_teacher(stack: Any, api: str) -> ApiClient:
    token = stack.issuer.issue(
        "user-rousseau",
        name="Violon Test",
        email="violon@example.fr",
        roles=("teacher",),
        teacher_id="ens-rousseau",
    )
    return ApiClient(api, token)


@pytest.fixture(scope="session")
def dynamodb(stack: Any) -> Any:
    return boto3.client("dynamodb", endpoint_url=stack.emulator.endpoint_url)


@pytest.fixture(scope="session")
def store(stack: Any) -> Any:
    """The DynamoDB enrollment store of the stack, for state that the API cannot create."""
    from demarches.adapters.dynamodb_conservatoire import DynamoDBEnrollmentStore

    config = bootstrap.settings()
    return DynamoDBEnrollmentStore(
        boto3.client("dynamodb", endpoint_url=stack.emulator.endpoint_url),
        enrollments_table=config.conservatoire_enrollments_table,
        courses_table=config.conservatoire_courses_table,
    )


@pytest.fixture(scope="session")
def reset_course(dynamodb: Any) -> Callable[[str], None]:
    """Delete every enrollment and place record of a course of ``YEAR``."""
    config = bootstrap.settings()

    def reset(course_id: str) -> None:
        key = {":key": {"S": f"{YEAR}#{course_id}"}}
        places = dynamodb.query(
            TableName=config.conservatoire_courses_table,
            KeyConditionExpression="course_key = :key",
            ExpressionAttributeValues=key,
        )["Items"]
        for item in places:
            dynamodb.delete_item(
                TableName=config.conservatoire_courses_table,
                Key={"course_key": item["course_key"], "sk": item["sk"]},
            )
        enrollments = dynamodb.query(
            TableName=config.conservatoire_enrollments_table,
            IndexName="by_course",
            KeyConditionExpression="course_key = :key",
            ExpressionAttributeValues=key,
        )["Items"]
        for item in enrollments:
            dynamodb.delete_item(
                TableName=config.conservatoire_enrollments_table,
                Key={"enrollment_id": item["enrollment_id"]},
            )

    return reset


@pytest.fixture(scope="session")
def make_current_pupil(store: Any) -> Callable[[Family, str], None]:
    """Store a confirmed enrollment of the previous school year for a child of a family."""
    from demarches.conservatoire import enrollment as rules
    from demarches.conservatoire.catalogue import School
    from demarches.conservatoire.config import load_year_config
    from demarches.conservatoire.enrollment import (
        MAX_CAPACITY,
        EnrollmentStatus,
        WaitingListPolicy,
    )

    config = load_year_config("grand-verdun-2026-2027")
    instant = datetime(2025, 6, 20, 8, 0, tzinfo=UTC)

    def make(family: Family, person_id: str) -> None:
        course = config.catalogue.catalogue(School.CONSERVATOIRE).courses[0]
        request = rules.new_enrollment(
            enrollment_id=f"old-{uuid.uuid4().hex}",
            course=course,
            school_year=PREVIOUS_YEAR,
            household_id=family.household_id,
            person_id=person_id,
            requested_at=instant,
            requested_by="someone",
            current_pupil=False,
            policy=WaitingListPolicy(),
        )
        placed = store.place(request, MAX_CAPACITY).enrollment
        confirmed = rules.confirm(placed, agent_id="agent", at=instant)
        store.update_status(confirmed, EnrollmentStatus.REQUESTED)

    return make


@pytest.fixture(scope="session")
def set_quotient(dynamodb: Any) -> Callable[[str, int], None]:
    """Write a household's quotient_familial as the portail famille records it."""
    table = bootstrap.settings().quotients_table

    def write(household_id: str, quotient_familial: int) -> None:
        dynamodb.put_item(
            TableName=table,
            Item={
                "household_id": {"S": household_id},
                "school_year": {"S": YEAR},
                "quotient_familial": {"N": str(quotient_familial)},
                "bracket": {"S": "T2"},
                "source": {"S": "caf"},
                "obtained_at": {"S": "2026-06-01"},
            },
        )

    return write


@dataclass(frozen=True)
class SentEmail:
    to: str
    subject: str
    text: str


def emails_to(address: str) -> list[SentEmail]:
    """E-mails the emulator's SES received for ``address``, oldest first."""
    from moto.ses.models import ses_backends

    from infra.local.provision import ACCOUNT_ID, REGION

    found = []
    for message in ses_backends[ACCOUNT_ID][REGION].sent_messages:
        if address not in message.destinations:
            continue
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        body = parsed.get_body()
        text = "" if body is None else str(body.get_content())
        found.append(SentEmail(address, str(parsed["Subject"]), text))
    return found


def enroll(family: Family, course_id: str, person_id: str | None = None) -> Any:
    return family.client.post(
        f"/conservatoire/{YEAR}/enrollments",
        json={"course_id": course_id, "person_id": person_id or family.children[0]},
    )


def set_capacity(agent: ApiClient, course_id: str, capacity: int) -> Any:
    return agent.request(
        "PUT", f"/conservatoire/{YEAR}/courses/{course_id}/capacity", json={"capacity": capacity}
    )


def roster(agent: ApiClient, course_id: str) -> Any:
    response = agent.get(f"/conservatoire/{YEAR}/courses/{course_id}/roster")
    assert response.status_code == 200, response.text
    return response.json()
