"""The embedded clock computes EventBridge fire times and fires due schedules."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local.scheduler import Scheduler, next_fire_time


def test_rate_adds_its_period():
    after = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)

    assert next_fire_time("rate(30 minutes)", after) == datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
    assert next_fire_time("rate(1 hour)", after) == datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    assert next_fire_time("rate(2 days)", after) == datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def test_cron_uses_aws_fields_in_utc():
    after = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)

    assert next_fire_time("cron(15 2 * * ? *)", after) == datetime(2026, 12, 5, 2, 15, tzinfo=UTC)
    # AWS numbers weekdays from 1 (Sunday): 2 is Monday.
    assert next_fire_time("cron(0 7 ? * 2 *)", after) == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


def test_unknown_expression_is_rejected():
    with pytest.raises(ValueError, match="unsupported schedule expression"):
        next_fire_time("every monday", datetime(2026, 12, 4, tzinfo=UTC))


class FakeEvents:
    def list_rules(self) -> dict[str, Any]:
        return {
            "Rules": [
                {
                    "Name": "demarches-local-job",
                    "Arn": "arn:aws:events:eu-west-3:123456789012:rule/demarches-local-job",
                    "ScheduleExpression": "rate(1 minute)",
                },
                {"Name": "pattern-rule", "Arn": "arn:aws:events:eu-west-3:1:rule/p"},
            ]
        }

    def list_targets_by_rule(self, Rule: str) -> dict[str, Any]:  # noqa: N803 - boto3 name
        arn = "arn:aws:lambda:eu-west-3:123456789012:function:demarches-local-job"
        return {"Targets": [{"Id": "handler", "Arn": arn}]}


class FakeLambda:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, FunctionName: str, Payload: bytes) -> dict[str, Any]:  # noqa: N803
        self.calls.append((FunctionName, json.loads(Payload)))
        return {"Payload": io.BytesIO(b'{"done": true}')}


def test_fire_by_name_invokes_target_with_scheduled_event():
    lambda_client = FakeLambda()
    scheduler = Scheduler(FakeEvents(), lambda_client)

    result = scheduler.fire_by_name("job")

    assert result == {"done": True}
    name, event = lambda_client.calls[0]
    assert name == "demarches-local-job"
    assert event["detail-type"] == "Scheduled Event"
    assert event["resources"] == ["arn:aws:events:eu-west-3:123456789012:rule/demarches-local-job"]


def test_unknown_schedule_name_lists_known_ones():
    scheduler = Scheduler(FakeEvents(), FakeLambda())

    with pytest.raises(LookupError, match="demarches-local-job"):
        scheduler.fire_by_name("nothing")


def test_running_clock_fires_due_schedule(monkeypatch):
    lambda_client = FakeLambda()
    scheduler = Scheduler(FakeEvents(), lambda_client)
    monkeypatch.setattr(
        "infra.local.scheduler.next_fire_time",
        lambda expression, after: after,
    )

    scheduler.start()
    time.sleep(1.5)
    scheduler.stop()

    assert lambda_client.calls
    assert lambda_client.calls[0][0] == "demarches-local-job"
