"""The AWS template deploys the same ASL file as the embedded stack, with a narrow role."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from infra import resources, template

ASL = Path(template.STATE_MACHINES) / "urbanisme-instruction.asl.json"
SLOT = re.compile(r"\$\{Function:([a-z0-9_]+)\}")


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@pytest.fixture(scope="module")
def merged():
    # Every function of the app has an entry in PERMISSIONS: the build checks it.
    return template.merge_template(sorted(template.PERMISSIONS))["Resources"]


def test_definition_is_the_asl_file(merged):
    machine = merged["UrbanismeInstructionStateMachine"]["Properties"]

    assert machine["Definition"] == json.loads(ASL.read_text(encoding="utf-8"))
    assert machine["StateMachineType"] == "STANDARD"


def test_every_function_slot_is_substituted(merged):
    machine = merged["UrbanismeInstructionStateMachine"]["Properties"]
    slots = {f"Function:{name}" for name in SLOT.findall(ASL.read_text(encoding="utf-8"))}

    assert set(machine["DefinitionSubstitutions"]) == slots
    for slot, value in machine["DefinitionSubstitutions"].items():
        assert value == {"Fn::GetAtt": [camel(slot.removeprefix("Function:")), "Arn"]}


def test_role_may_only_invoke_its_functions(merged):
    role = merged["UrbanismeInstructionStateMachineRole"]["Properties"]
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]

    assert principal == {"Service": "states.amazonaws.com"}
    assert [s["Action"] for s in statements] == [["lambda:InvokeFunction"]]
    invoked = {arn["Fn::GetAtt"][0] for arn in statements[0]["Resource"] if "Fn::GetAtt" in arn}
    assert invoked == {camel(name) for name in SLOT.findall(ASL.read_text(encoding="utf-8"))}


def test_name_matches_the_arn_functions_receive(merged):
    machine = merged["UrbanismeInstructionStateMachine"]["Properties"]
    arn = resources.ENVIRONMENT["DEMARCHES_URBANISME_STATE_MACHINE_ARN"]["Fn::Sub"]

    assert machine["StateMachineName"] == {"Fn::Sub": "${AWS::StackName}-urbanisme-instruction"}
    assert arn.endswith(":stateMachine:${AWS::StackName}-urbanisme-instruction")


def test_archive_bucket_locks_objects_for_the_parameter_period(merged):
    bucket = merged["UrbanismeArchiveBucket"]["Properties"]
    retention = bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]

    assert bucket["ObjectLockEnabled"] is True
    assert retention == {
        "Mode": {"Ref": "UrbanismeArchiveLockMode"},
        "Years": {"Ref": "UrbanismeArchiveRetentionYears"},
    }


def test_every_task_lambda_has_its_own_permissions():
    names = set(SLOT.findall(ASL.read_text(encoding="utf-8")))

    for name in names | {"urbanisme_check_upload", "urbanisme_expire_deadlines"}:
        assert camel(name) in template.PERMISSIONS, name


def test_unknown_function_in_definition_fails_the_build():
    with pytest.raises(ValueError, match="functions the app lacks"):
        template.merge_template(sorted(template.PERMISSIONS)[:1])
