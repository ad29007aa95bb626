"""The moto internals the embedded stack replaces are still where it expects them.

An upgrade of moto that moves them fails here first, loudly, instead of silently turning
Lambda invocations back into echoes.
"""

from __future__ import annotations

import inspect
import json
from importlib.metadata import version

import boto3

from infra.local import lambda_bridge
from tests.conftest import load_event


def test_moto_is_the_pinned_version():
    assert version("moto") == "5.2.5"


def test_lambda_invocation_hook_has_expected_signature(stack):
    from moto.awslambda.models import LambdaFunction

    original = lambda_bridge.originals["LambdaFunction._invoke_lambda"]

    assert list(inspect.signature(original).parameters) == ["self", "event"]
    assert original.__module__ == "moto.awslambda.models"
    assert LambdaFunction._invoke_lambda.__module__ == "infra.local.lambda_bridge"


def test_eventbridge_target_hook_has_expected_signature(stack):
    from moto.events.models import Rule

    original = lambda_bridge.originals["Rule.send_to_targets"]

    assert list(inspect.signature(original).parameters) == [
        "self",
        "original_event",
        "transform_input",
    ]
    assert original.__module__ == "moto.events.models"
    assert Rule.send_to_targets.__module__ == "infra.local.lambda_bridge"


def test_lambda_invoke_through_emulator_runs_real_handler(stack):
    client = boto3.client("lambda", endpoint_url=stack.emulator.endpoint_url)
    event = load_event("eventbridge", "scheduled")

    response = client.invoke(
        FunctionName="demarches-local-aquadrome_generate_slots", Payload=json.dumps(event)
    )

    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {"added": 0}


def test_step_functions_execution_is_switched_on(stack):
    from moto.core.config import default_user_config

    assert default_user_config["stepfunctions"]["execute_state_machine"] is True


def test_query_patch_wraps_the_expected_internals(stack):
    from moto.dynamodb.models.table import Table

    from infra.local import emulator_speedups

    query = emulator_speedups.originals["Table.query"]
    parameters = list(inspect.signature(query).parameters)

    assert parameters[:2] == ["self", "hash_key"]
    assert "index_name" in parameters
    assert query.__module__ == "moto.dynamodb.models.table"
    assert Table.query.__module__ == "infra.local.emulator_speedups"


def test_partition_query_returns_only_that_partition_in_order(stack):
    client = boto3.client("dynamodb", endpoint_url=stack.emulator.endpoint_url)
    client.create_table(
        TableName="contract-partitions",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for pk in ("a", "b"):
        for sk in ("3", "1", "2"):
            client.put_item(
                TableName="contract-partitions", Item={"pk": {"S": pk}, "sk": {"S": sk}}
            )

    found = client.query(
        TableName="contract-partitions",
        KeyConditionExpression="pk = :pk AND sk >= :from",
        ExpressionAttributeValues={":pk": {"S": "b"}, ":from": {"S": "2"}},
        ScanIndexForward=False,
    )
    missing = client.query(
        TableName="contract-partitions",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "z"}},
    )

    assert [(i["pk"]["S"], i["sk"]["S"]) for i in found["Items"]] == [("b", "3"), ("b", "2")]
    assert missing["Items"] == []


def test_documents_bucket_answers_browser_uploads(stack):
    s3 = boto3.client("s3", endpoint_url=stack.emulator.endpoint_url)
    bucket = stack.environment["DEMARCHES_DOCUMENTS_BUCKET"]

    rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]

    assert rules[0]["AllowedMethods"] == ["POST"]
    assert rules[0]["MaxAgeSeconds"] == 3000
