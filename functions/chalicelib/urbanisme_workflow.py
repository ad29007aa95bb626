"""Urbanism handlers that no route reaches: the Lambda tasks of the instruction state machine
(``infra/statemachines/urbanisme-instruction.asl.json``), the check of uploaded files on
their S3 event, and the hourly deadline job.

A task lets its exception propagate: the state machine retries transient errors by their
class name and records any other failure on the dossier.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chalice import Blueprint

from .http import logger

urbanisme_workflow = Blueprint(__name__)

TAG = "urbanisme"

UPLOAD_EVENT_PATTERN = {
    "source": ["aws.s3"],
    "detail-type": ["Object Created"],
    "detail": {"object": {"key": [{"prefix": "uploads/urb-"}]}},
}


def _steps() -> Any:
    from demarches.bootstrap import urbanisme_steps

    return urbanisme_steps()


def _dossier_id(event: Any) -> str:
    from demarches.urbanisme.api import StepInput

    return str(StepInput.model_validate(event).dossier_id)


@urbanisme_workflow.lambda_function(name="urbanisme_issue_accuse_reception")
def issue_accuse_reception(event: Any, context: Any) -> dict[str, Any]:
    result: dict[str, Any] = _steps().issue_accuse_reception(_dossier_id(event))
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_check_completeness")
def check_completeness(event: Any, context: Any) -> dict[str, Any]:
    result: dict[str, Any] = _steps().check_completeness(_dossier_id(event))
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_await_step")
def await_step(event: Any, context: Any) -> dict[str, Any]:
    from demarches.urbanisme.api import AwaitInput

    task = AwaitInput.model_validate(event)
    result: dict[str, Any] = _steps().await_step(task.dossier_id, task.step, task.task_token)
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_request_complement")
def request_complement(event: Any, context: Any) -> dict[str, Any]:
    from demarches.urbanisme.api import InstructionStepInput

    task = InstructionStepInput.model_validate(event)
    result: dict[str, Any] = _steps().request_complement(task.dossier_id, task.instruction)
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_resume_instruction")
def resume_instruction(event: Any, context: Any) -> dict[str, Any]:
    from demarches.urbanisme.api import ResumeStepInput

    task = ResumeStepInput.model_validate(event)
    result: dict[str, Any] = _steps().resume_instruction(task.dossier_id, task.resumption)
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_draft_decision")
def draft_decision(event: Any, context: Any) -> dict[str, Any]:
    from demarches.urbanisme.api import InstructionStepInput

    task = InstructionStepInput.model_validate(event)
    result: dict[str, Any] = _steps().draft_decision(task.dossier_id, task.instruction)
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_sign_decision")
def sign_decision(event: Any, context: Any) -> dict[str, Any]:
    from demarches.urbanisme.api import SignStepInput

    task = SignStepInput.model_validate(event)
    result: dict[str, Any] = _steps().sign_decision(task.dossier_id, task.signature)
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_notify_decision")
def notify_decision(event: Any, context: Any) -> dict[str, Any]:
    result: dict[str, Any] = _steps().notify_decision(_dossier_id(event))
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_close_dossier")
def close_dossier(event: Any, context: Any) -> dict[str, Any]:
    result: dict[str, Any] = _steps().close(_dossier_id(event))
    return result


@urbanisme_workflow.lambda_function(name="urbanisme_record_failure")
def record_failure(event: Any, context: Any) -> dict[str, Any]:
    from demarches.urbanisme.api import FailureInput

    task = FailureInput.model_validate(event)
    result: dict[str, Any] = _steps().record_failure(
        task.dossier_id,
        task.after_step,
        str(task.error.get("Error", "unknown")),
        str(task.error.get("Cause") or ""),
    )
    return result


@urbanisme_workflow.on_cw_event(UPLOAD_EVENT_PATTERN, name="urbanisme_check_upload")
def check_upload(event: Any) -> dict[str, Any]:
    """Check a file uploaded to the documents bucket and mark its piece."""
    from demarches.bootstrap import urbanisme_upload_check
    from demarches.urbanisme.upload_check import StoredObject

    detail = event.detail
    stored = StoredObject(
        bucket=str(detail["bucket"]["name"]),
        key=str(detail["object"]["key"]),
        version_id=detail["object"].get("version-id"),
        size=detail["object"].get("size"),
    )
    status = urbanisme_upload_check().check(stored)
    return {"status": status.value if status else None}


@urbanisme_workflow.schedule("cron(5 * * * ? *)", name="urbanisme_expire_deadlines")
def expire_deadlines(event: Any) -> dict[str, int]:
    """Apply silence decisions, visit refusals by silence, and start missing workflows.

    Hourly, because the silence decision arises at midnight in Paris, which is 22:00 or
    23:00 UTC depending on daylight saving time.
    """
    from demarches.bootstrap import urbanisme_deadline_sweep

    report = asdict(urbanisme_deadline_sweep().run())
    logger.info("urbanism deadlines swept", extra={**report, "demarche": TAG})
    return report
