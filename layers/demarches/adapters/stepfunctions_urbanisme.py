"""Step Functions adapter of the urbanism ``InstructionWorkflow``.

One execution per dossier, named after the dossier id: starting it twice does not run the
workflow twice.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from demarches.errors import UnavailableError
from demarches.urbanisme.errors import WorkflowStepGoneError

# A token that no step waits on any more: already resumed, timed out, or its execution ended.
_GONE = frozenset({"InvalidToken", "TaskDoesNotExist", "TaskTimedOut", "ExecutionDoesNotExist"})


class StepFunctionsWorkflow:
    def __init__(self, client: Any, state_machine_arn: str) -> None:
        self._sfn = client
        self._arn = state_machine_arn

    def start(self, dossier_id: str) -> None:
        try:
            self._sfn.start_execution(
                stateMachineArn=self._arn,
                name=dossier_id,
                input=json.dumps({"dossier_id": dossier_id}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ExecutionAlreadyExists":
                return
            raise UnavailableError("the instruction workflow could not be started") from exc

    def resume(self, task_token: str, output: dict[str, Any]) -> None:
        try:
            self._sfn.send_task_success(taskToken=task_token, output=json.dumps(output))
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _GONE:
                raise WorkflowStepGoneError(
                    "The workflow no longer waits for this step; reload the dossier."
                ) from exc
            raise UnavailableError("the instruction workflow could not be resumed") from exc

    def cancel(self, task_token: str, *, error: str, cause: str) -> None:
        try:
            self._sfn.send_task_failure(taskToken=task_token, error=error, cause=cause)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in _GONE:
                raise UnavailableError("the waiting workflow step could not be ended") from exc
