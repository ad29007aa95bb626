"""Create the stack's resources in the emulator from the same definitions as the AWS template.

Tables and buckets come from ``infra.resources``; Lambda functions, schedules and event rules
from the Chalice app's own declarations; state machines from ``infra/statemachines``. The
result maps each ``DEMARCHES_*`` setting to the physical name it gets here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from infra import resources

ACCOUNT_ID = "123456789012"
REGION = "eu-west-3"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/demarches-local-lambda"
STATE_MACHINES = Path(__file__).resolve().parent.parent / "statemachines"
_SUB = re.compile(r"\$\{([^}]+)\}")


def resolve(value: Any, stack_name: str, physical: dict[str, str] | None = None) -> Any:
    """Resolve the intrinsic functions used in ``infra.resources`` for a local stack."""
    known = {"AWS::StackName": stack_name, "AWS::AccountId": ACCOUNT_ID, "AWS::Region": REGION}
    known["AWS::Partition"] = "aws"
    # Template parameters take their default values here.
    known.update({name: str(p["Default"]) for name, p in resources.PARAMETERS.items()})
    known.update(physical or {})
    if isinstance(value, dict) and set(value) == {"Fn::Sub"}:
        return _SUB.sub(lambda m: known[m.group(1)], value["Fn::Sub"])
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return known[value["Ref"]]
    if isinstance(value, dict):
        return {k: resolve(v, stack_name, physical) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, stack_name, physical) for v in value]
    return value


def function_name(stack_name: str, name: str) -> str:
    """Lambda function name, as Chalice names it on AWS: ``<app>-<stage>-<function>``."""
    return f"{stack_name}-local-{name}"


def _create_table(dynamodb: Any, properties: dict[str, Any]) -> None:
    arguments = {
        key: properties[key]
        for key in (
            "TableName",
            "AttributeDefinitions",
            "KeySchema",
            "BillingMode",
            "GlobalSecondaryIndexes",
        )
        if key in properties
    }
    dynamodb.create_table(**arguments)
    ttl = properties.get("TimeToLiveSpecification")
    if ttl:
        dynamodb.update_time_to_live(TableName=properties["TableName"], TimeToLiveSpecification=ttl)


def _create_bucket(s3: Any, properties: dict[str, Any]) -> None:
    name = properties["BucketName"]
    s3.create_bucket(
        Bucket=name,
        CreateBucketConfiguration={"LocationConstraint": REGION},
        ObjectLockEnabledForBucket=bool(properties.get("ObjectLockEnabled")),
    )
    lock = properties.get("ObjectLockConfiguration")
    if lock:
        retention = lock["Rule"]["DefaultRetention"]
        s3.put_object_lock_configuration(
            Bucket=name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {
                    "DefaultRetention": {
                        "Mode": retention["Mode"],
                        "Years": int(retention["Years"]),
                    }
                },
            },
        )
    if properties.get("VersioningConfiguration"):
        s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration=properties["VersioningConfiguration"]
        )
    if properties.get("BucketEncryption"):
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [
                    {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
                    for rule in properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
                ]
            },
        )
    notifications = properties.get("NotificationConfiguration", {})
    if notifications.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
    cors = properties.get("CorsConfiguration")
    if cors:
        # CloudFormation spells the cache time MaxAge; the S3 API spells it MaxAgeSeconds.
        rules = [
            {("MaxAgeSeconds" if key == "MaxAge" else key): value for key, value in rule.items()}
            for rule in cors["CorsRules"]
        ]
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "# handlers run in-process through the embedded stack\n")
    return buffer.getvalue()


def provision(
    session: Any, endpoint_url: str, app: Any, stack_name: str, sender: str
) -> dict[str, str]:
    """Create every resource and return the ``DEMARCHES_*`` environment of the functions."""

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint_url, region_name=REGION)

    physical: dict[str, str] = {}
    definitions = resolve(resources.stateful_resources(), stack_name)
    dynamodb, s3 = client("dynamodb"), client("s3")
    for logical_id, definition in definitions.items():
        properties = definition["Properties"]
        if definition["Type"] == "AWS::DynamoDB::Table":
            _create_table(dynamodb, properties)
            physical[logical_id] = properties["TableName"]
        elif definition["Type"] == "AWS::S3::Bucket":
            _create_bucket(s3, properties)
            physical[logical_id] = properties["BucketName"]

    client("sesv2").create_email_identity(EmailIdentity=sender)
    physical.update(_create_functions(client, app, stack_name))
    physical.update(_create_state_machines(client, stack_name, physical))
    return {name: resolve(ref, stack_name, physical) for name, ref in resources.ENVIRONMENT.items()}


def _create_functions(client: Any, app: Any, stack_name: str) -> dict[str, str]:
    from chalice.app import CloudWatchEventConfig, ScheduledEventConfig

    from . import lambda_bridge

    iam, lambda_, events = client("iam"), client("lambda"), client("events")
    iam.create_role(
        RoleName=ROLE_ARN.rsplit("/", 1)[-1],
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )
    names: list[str] = [source.name for source in app.event_sources]
    names += [f.name for f in app.pure_lambda_functions]
    physical: dict[str, str] = {}
    for name in names:
        full_name = function_name(stack_name, name)
        arn = lambda_.create_function(
            FunctionName=full_name,
            Runtime="python3.12",
            Role=ROLE_ARN,
            Handler=f"app.{name}",
            Code={"ZipFile": _empty_zip()},
            Timeout=300,
        )["FunctionArn"]
        lambda_bridge.register(full_name, app.handler_map[name])
        physical[f"Function:{name}"] = arn

    for source in app.event_sources:
        rule_name = function_name(stack_name, source.name)
        if isinstance(source, ScheduledEventConfig):
            expression = source.schedule_expression
            if not isinstance(expression, str):
                expression = expression.to_string()
            events.put_rule(Name=rule_name, ScheduleExpression=expression)
        elif isinstance(source, CloudWatchEventConfig):
            events.put_rule(Name=rule_name, EventPattern=json.dumps(source.event_pattern))
        else:
            continue
        events.put_targets(
            Rule=rule_name, Targets=[{"Id": "handler", "Arn": physical[f"Function:{source.name}"]}]
        )
    return physical


def _create_state_machines(
    client: Any, stack_name: str, physical: dict[str, str]
) -> dict[str, str]:
    sfn = client("stepfunctions")
    created: dict[str, str] = {}
    for path in sorted(STATE_MACHINES.glob("*.asl.json")):
        name = path.name.removesuffix(".asl.json")
        definition = _SUB.sub(lambda m: physical[m.group(1)], path.read_text(encoding="utf-8"))
        arn = sfn.create_state_machine(
            name=f"{stack_name}-{name}", definition=definition, roleArn=ROLE_ARN
        )["stateMachineArn"]
        created[f"StateMachine:{name}"] = arn
    return created
