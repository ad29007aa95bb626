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
