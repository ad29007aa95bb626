"""The embedded stack's clock: fires EventBridge schedules, which the emulator only stores.

Every schedule rule with a Lambda target is read from the emulator and fired on its own
``rate()`` or ``cron()`` expression by invoking its target through the emulator's Lambda API,
the same path a scheduled invocation takes on AWS.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="embedded-stack")

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")


@dataclass
class ScheduledRule:
    name: str
    arn: str
    expression: str
    target_arn: str
    next_fire: datetime


def next_fire_time(expression: str, after: datetime) -> datetime:
    """Next instant strictly after ``after`` at which an EventBridge expression fires (UTC)."""
    rate = _RATE.match(expression)
    if rate:
        amount, unit = int(rate.group(1)), rate.group(2).rstrip("s")
        return after + timedelta(**{f"{unit}s": amount})
    if expression.startswith("cron(") and expression.endswith(")"):
        from pyawscron import AWSCron

        occurrence: datetime = AWSCron(expression[5:-1]).occurrence(after).next()
        return occurrence.astimezone(UTC)
    raise ValueError(f"unsupported schedule expression {expression!r}")


def scheduled_event(rule: ScheduledRule, at: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": rule.arn.split(":")[4],
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": rule.arn.split(":")[3],
        "resources": [rule.arn],
        "detail": {},
    }


class Scheduler:
    def __init__(self, events_client: Any, lambda_client: Any) -> None:
        self._events = events_client
        self._lambda = lambda_client
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def rules(self, now: datetime | None = None) -> dict[str, ScheduledRule]:
        now = now or datetime.now(UTC)
        found: dict[str, ScheduledRule] = {}
        for rule in self._events.list_rules()["Rules"]:
            expression = rule.get("ScheduleExpression")
            if not expression:
                continue
            targets = self._events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            for target in targets:
                if ":lambda:" in target["Arn"]:
                    found[rule["Name"]] = ScheduledRule(
                        name=rule["Name"],
                        arn=rule["Arn"],
                        expression=expression,
                        target_arn=target["Arn"],
                        next_fire=next_fire_time(expression, now),
                    )
        return found

    def fire(self, rule: ScheduledRule, at: datetime | None = None) -> Any:
        """Invoke the rule's target now and return the handler's result."""
        event = scheduled_event(rule, at or datetime.now(UTC))
        response = self._lambda.invoke(
            FunctionName=rule.target_arn.rsplit(":", 1)[-1], Payload=json.dumps(event).encode()
        )
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            logger.error("scheduled handler failed", extra={"rule": rule.name, "error": payload})
        else:
            logger.info("schedule fired", extra={"rule": rule.name, "result": payload})
        return payload

    def fire_by_name(self, suffix: str) -> Any:
        matches = [r for name, r in self.rules().items() if name.endswith(suffix)]
        if len(matches) != 1:
            known = ", ".join(sorted(self.rules()))
            raise LookupError(f"no single schedule named {suffix!r}; known schedules: {known}")
        return self.fire(matches[0])

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        rules = self.rules()
        while not self._stop.wait(1.0):
            now = datetime.now(UTC)
            for rule in rules.values():
                if rule.next_fire <= now:
                    rule.next_fire = next_fire_time(rule.expression, now)
                    try:
                        self.fire(rule, now)
                    except Exception:
                        logger.exception("schedule failed", extra={"rule": rule.name})
