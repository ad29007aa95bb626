"""Runs the project's real Lambda handlers for the emulator, in this process.

moto without Docker only echoes Lambda payloads. The bridge replaces two moto internals (both
pinned with moto 5.2.5 and checked by ``tests/integration/test_emulator_contract.py``):

- ``LambdaFunction._invoke_lambda``, reached by the Invoke API (direct calls, Step Functions
  tasks and the embedded clock), runs the registered handler and returns its JSON result;
- ``Rule.send_to_targets``, reached by EventBridge (S3 notifications and PutEvents), queues
  Lambda targets to a worker thread, because on AWS those deliveries are asynchronous.
"""

from __future__ import annotations

import json
import queue
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="embedded-stack")

Handler = Callable[[Any, Any], Any]
_handlers: dict[str, Handler] = {}
_events: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
_worker: list[threading.Thread] = []
_patched: list[bool] = []
# The moto functions replaced by the bridge, kept for the contract test.
originals: dict[str, Callable[..., Any]] = {}
_idle = threading.Condition()
_pending = [0]


@dataclass
class LambdaContext:
    """The attributes of AWS's Lambda context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    aws_request_id: str = ""
    log_group_name: str = ""
    log_stream_name: str = ""

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:eu-west-3:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def register(function_name: str, handler: Handler) -> None:
    _handlers[function_name] = handler


def registered() -> dict[str, Handler]:
    return dict(_handlers)


def invoke(function_name: str, event: Any) -> Any:
    """Run a registered handler as Lambda would: a fresh context, the event as JSON data."""
    handler = _handlers.get(function_name)
    if handler is None:
        raise LookupError(f"no handler registered for Lambda function {function_name}")
    context = LambdaContext(function_name=function_name, aws_request_id=str(uuid.uuid4()))
    return handler(json.loads(json.dumps(event)), context)


def _invoke_lambda(self: Any, event: Any = None) -> tuple[str, bool, str]:
    """Replacement of ``moto.awslambda.models.LambdaFunction._invoke_lambda``."""
    payload = json.loads(event) if isinstance(event, str) else (event or {})
    try:
        result = invoke(self.function_name, payload)
    except Exception as exc:
        logger.exception("lambda handler failed", extra={"function": self.function_name})
        error = {
            "errorMessage": str(exc),
            "errorType": type(exc).__name__,
            "stackTrace": traceback.format_exception(exc),
        }
        return json.dumps(error), True, ""
    return json.dumps(result), False, ""


def _deliver(function_name: str, event: dict[str, Any]) -> None:
    with _idle:
        _pending[0] += 1
    _events.put((function_name, event))


def _work() -> None:
    while True:
        job = _events.get()
        if job is None:
            return
        function_name, event = job
        try:
            invoke(function_name, event)
        except Exception:
            logger.exception("event delivery failed", extra={"function": function_name})
        finally:
            with _idle:
                _pending[0] -= 1
                _idle.notify_all()


def wait_idle(timeout: float = 30.0) -> bool:
    """Wait until every queued event has been handled; True unless the timeout ran out."""
    with _idle:
        return _idle.wait_for(lambda: _pending[0] <= 0, timeout=timeout)


def install() -> None:
    """Patch moto once per process and start the event worker if none runs."""
    if not _patched:
        _patch_moto()
        _patched.append(True)
    if not _worker:
        thread = threading.Thread(target=_work, name="event-delivery", daemon=True)
        thread.start()
        _worker.append(thread)


def _patch_moto() -> None:
    from moto.awslambda.models import LambdaFunction
    from moto.events.models import Rule

    original_send = Rule.send_to_targets
    originals["LambdaFunction._invoke_lambda"] = LambdaFunction._invoke_lambda
    originals["Rule.send_to_targets"] = original_send

    def send_to_targets(self: Any, event: Any, transform_input: bool = True) -> None:
        # A schedule rule has no event pattern, which moto 5.2.5 treats as matching every
        # event; on AWS a schedule rule never receives events.
        if getattr(self, "scheduled_expression", None):
            return
        lambda_targets = [t for t in self.targets if ":lambda:" in t["Arn"]]
        if lambda_targets and self.event_pattern.matches_event(event):
            for target in lambda_targets:
                _deliver(target["Arn"].rsplit(":", 1)[-1], dict(event))
        others = [t for t in self.targets if ":lambda:" not in t["Arn"]]
        if others:
            saved = self.targets
            self.targets = others
            try:
                original_send(self, event, transform_input)
            finally:
                self.targets = saved

    LambdaFunction._invoke_lambda = _invoke_lambda  # type: ignore[method-assign]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign,assignment]


def shutdown() -> None:
    if _worker:
        _events.put(None)
        _worker.pop().join(timeout=5)
