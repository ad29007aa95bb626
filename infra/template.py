"""Produce the AWS template offline: ``chalice package`` merged with the project's resources.

    python -m infra.template build/aws

writes ``functions/.chalice/config.json`` from the single ``chalice.json``, packages the app
with Chalice (API Gateway, functions, schedules) and merges the stateful resources of
``infra.resources``, the domain layer, one least-privilege role per function and the Cognito
user pool into ``build/aws/sam.json``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra import resources

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"

_TABLE_READ = ["dynamodb:GetItem", "dynamodb:Query"]
_TABLE_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]


def _table_arns(logical_id: str, with_indexes: bool = False) -> list[Any]:
    arns: list[Any] = [{"Fn::GetAtt": [logical_id, "Arn"]}]
    if with_indexes:
        arns.append({"Fn::Sub": f"${{{logical_id}.Arn}}/index/*"})
    return arns


def _documents(prefix: str) -> dict[str, str]:
    return {"Fn::Sub": f"${{DocumentsBucket.Arn}}/{prefix}"}


# Portail famille. Registrations are updated in place, never put or deleted. Reservations and
# session counters change only through the booking and cancellation transactions. Tax notices
# are uploaded with a presigned POST signed by the API's role, and every version of a notice is
# deleted once an agent has entered the figure.
_FAMILLE_API: list[dict[str, Any]] = [
    {
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
        "Resource": [
            *_table_arns("FamilleRegistrationsTable", with_indexes=True),
            *_table_arns("FamilleInvoicesTable", with_indexes=True),
        ],
    },
    {
        "Effect": "Allow",
        "Action": ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        "Resource": [
            *_table_arns("FamilleReservationsTable", with_indexes=True),
            *_table_arns("FamilleSessionsTable"),
        ],
    },
    {
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
        "Resource": _table_arns("QuotientsTable"),
    },
    {
        "Effect": "Allow",
        "Action": [
            "s3:PutObject",
            "s3:GetObject",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
        ],
        "Resource": _documents("famille/tax-notices/*"),
    },
    {
        "Effect": "Allow",
        "Action": ["s3:ListBucketVersions"],
        "Resource": {"Fn::GetAtt": ["DocumentsBucket", "Arn"]},
        "Condition": {"StringLike": {"s3:prefix": "famille/tax-notices/*"}},
    },
    {
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:GetObject"],
        "Resource": _documents("famille/invoices/*"),
    },
]

# Urbanism: dossiers change through conditional updates and transactions of the dossiers and
# audit tables. Uploads land under uploads/urb-* and generated documents under dossiers/urb-*.
# Signed ones are also written once to the archive bucket, whose Object Lock forbids changes.
_URBANISME_STATE_MACHINE = resources.ENVIRONMENT["DEMARCHES_URBANISME_STATE_MACHINE_ARN"]
_URBANISME_ARCHIVE = {"Fn::Sub": "${UrbanismeArchiveBucket.Arn}/decisions/*"}
_URBANISME_SEND_MAIL = {
    "Effect": "Allow",
    "Action": ["ses:SendEmail", "ses:SendRawEmail"],
    "Resource": {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
    },
}


def _urbanisme_dossiers(*actions: str, indexes: bool = False) -> dict[str, Any]:
    """Read and change dossiers, and append to their audit trail."""
    return {
        "Effect": "Allow",
        "Action": list(actions),
        "Resource": [
            *_table_arns("UrbanismeDossiersTable", with_indexes=indexes),
            *_table_arns("UrbanismeAuditTable"),
        ],
    }


def _urbanisme_step(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Statements of a workflow task that reads a dossier and records a status change."""
    return [
        _urbanisme_dossiers("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"),
        *extra,
    ]


def _urbanisme_objects(prefix: str, *actions: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": _documents(prefix)}


_URBANISME_DIRECTORY = {
    "Effect": "Allow",
    "Action": ["dynamodb:GetItem"],
    "Resource": _table_arns("UrbanismeDirectoryTable"),
}
_URBANISME_SIGNING = [
    _URBANISME_DIRECTORY,
    _urbanisme_objects("dossiers/urb-*", "s3:PutObject", "s3:GetObject"),
    {
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:GetObject"],
        "Resource": _URBANISME_ARCHIVE,
    },
    {
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"],
        "Resource": {"Ref": "UrbanismeSigningSecret"},
    },
]
_URBANISME_API: list[dict[str, Any]] = [
    _urbanisme_dossiers(
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        indexes=True,
    ),
    {
        "Effect": "Allow",
        "Action": ["dynamodb:UpdateItem"],
        "Resource": _table_arns("UrbanismeCountersTable"),
    },
    _URBANISME_DIRECTORY,
    # The presigned POST of an upload is signed with this role's credentials.
    _urbanisme_objects("uploads/urb-*", "s3:PutObject"),
    _urbanisme_objects("dossiers/urb-*", "s3:PutObject", "s3:GetObject"),
    {
        "Effect": "Allow",
        "Action": ["states:StartExecution", "states:SendTaskSuccess"],
        "Resource": _URBANISME_STATE_MACHINE,
    },
]

# Permissions of each function, resource by resource: the least each handler needs.
PERMISSIONS: dict[str, list[dict[str, Any]]] = {
    "APIHandler": [
        {
            "Effect": "Allow",
            "Action": [*_TABLE_READ, *_TABLE_WRITE, "dynamodb:ConditionCheckItem"],
            "Resource": [
                *_table_arns("AquadromeSlotsTable"),
                *_table_arns("AquadromeBookingsTable", with_indexes=True),
                *_table_arns("AquadromeQuotasTable"),
            ],
        },
        {
            "Effect": "Allow",
            "Action": [*_TABLE_READ, "dynamodb:ConditionCheckItem"],
            "Resource": _table_arns("HouseholdsTable"),
        },
        # Conservatoire: enrollments are never deleted, and their transactions delete only
        # the person and waiting-list items of the courses table.
        {
            "Effect": "Allow",
            "Action": [
                *_TABLE_READ,
                "dynamodb:BatchGetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
            ],
            "Resource": _table_arns("ConservatoireEnrollmentsTable", with_indexes=True),
        },
        {
            "Effect": "Allow",
            "Action": [*_TABLE_READ, *_TABLE_WRITE, "dynamodb:BatchGetItem"],
            "Resource": _table_arns("ConservatoireCoursesTable"),
        },
        {
            "Effect": "Allow",
            "Action": [*_TABLE_READ, "dynamodb:PutItem"],
            "Resource": _table_arns("ConservatoireEvaluationsTable", with_indexes=True),
        },
        {
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem"],
            "Resource": _table_arns("QuotientsTable"),
        },
        {
            "Effect": "Allow",
            "Action": ["ses:SendEmail", "ses:SendRawEmail"],
            "Resource": {
                "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
            },
        },
        *_FAMILLE_API,
        *_URBANISME_API,
    ],
    "AquadromeGenerateSlots": [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem"],
            "Resource": _table_arns("AquadromeSlotsTable"),
        }
    ],
    "FamilleIssueInvoices": [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:Query"],
            "Resource": [
                {"Fn::Sub": "${FamilleRegistrationsTable.Arn}/index/by_status"},
                *_table_arns("FamilleReservationsTable"),
            ],
        },
        {
            "Effect": "Allow",
            "Action": ["dynamodb:BatchGetItem"],
            "Resource": _table_arns("QuotientsTable"),
        },
        {
            "Effect": "Allow",
            "Action": ["dynamodb:BatchGetItem", "dynamodb:PutItem"],
            "Resource": _table_arns("FamilleInvoicesTable"),
        },
    ],
    "FamilleRenderInvoicePdfs": [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:Query", "dynamodb:UpdateItem"],
            "Resource": _table_arns("FamilleInvoicesTable", with_indexes=True),
        },
        {
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": _documents("famille/invoices/*"),
        },
    ],
    "AquadromeRecordNoShows": [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:Query", "dynamodb:UpdateItem"],
            "Resource": _table_arns("AquadromeBookingsTable", with_indexes=True),
        }
    ],
    "UrbanismeIssueAccuseReception": _urbanisme_step(
        _urbanisme_objects("dossiers/urb-*", "s3:PutObject", "s3:GetObject"), _URBANISME_SEND_MAIL
    ),
    "UrbanismeCheckCompleteness": _urbanisme_step(),
    "UrbanismeAwaitStep": [_urbanisme_dossiers("dynamodb:UpdateItem")],
    "UrbanismeRequestComplement": _urbanisme_step(_URBANISME_SEND_MAIL),
    "UrbanismeResumeInstruction": _urbanisme_step(),
    "UrbanismeDraftDecision": _urbanisme_step(_urbanisme_objects("dossiers/urb-*", "s3:PutObject")),
    "UrbanismeSignDecision": _urbanisme_step(*_URBANISME_SIGNING),
    "UrbanismeNotifyDecision": _urbanisme_step(
        _urbanisme_objects("dossiers/urb-*", "s3:GetObject"), _URBANISME_SEND_MAIL
    ),
    "UrbanismeCloseDossier": _urbanisme_step(),
    "UrbanismeRecordFailure": [_urbanisme_dossiers("dynamodb:UpdateItem", "dynamodb:PutItem")],
    "UrbanismeCheckUpload": _urbanisme_step(
        _urbanisme_objects(
            "uploads/urb-*", "s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObjectVersion"
        ),
        _URBANISME_SEND_MAIL,
    ),
    "UrbanismeExpireDeadlines": [
        _urbanisme_dossiers(
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "dynamodb:PutItem",
            indexes=True,
        ),
        *_URBANISME_SIGNING,
        _URBANISME_SEND_MAIL,
        {
            "Effect": "Allow",
            "Action": ["states:StartExecution", "states:SendTaskSuccess", "states:SendTaskFailure"],
            "Resource": _URBANISME_STATE_MACHINE,
        },
    ],
}

# Function settings that differ from chalice.json's defaults, by function id.
FUNCTION_SETTINGS: dict[str, dict[str, Any]] = {
    # The handler peaked at 155 MiB on a PDF at the upload size limit, and the child process
    # that parses the file may use up to its 400 MiB address-space limit
    # (urbanisme_pdf_check_memory_mb): see the urbanism section of docs/benchmarks.md.
    "UrbanismeCheckUpload": {"MemorySize": 768, "Timeout": 60},
    "UrbanismeSignDecision": {"Timeout": 60},
    "UrbanismeExpireDeadlines": {"Timeout": 300},
}


def _role(function_id: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "ManagedPolicyArns": [
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
            ],
            "Policies": [
                {
                    "PolicyName": f"{function_id}Access",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
    }


def _identity_resources() -> dict[str, Any]:
    return {
        "UserPool": {
            "Type": "AWS::Cognito::UserPool",
            "Properties": {
                "UserPoolName": {"Fn::Sub": "${AWS::StackName}-users"},
                "AutoVerifiedAttributes": ["email"],
                "UsernameAttributes": ["email"],
                "MfaConfiguration": "OPTIONAL",
                "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
                "Schema": [
                    {"Name": "household_id", "AttributeDataType": "String", "Mutable": True},
                    {"Name": "office_id", "AttributeDataType": "String", "Mutable": True},
                    {"Name": "teacher_id", "AttributeDataType": "String", "Mutable": True},
                ],
                "Policies": {
                    "PasswordPolicy": {
                        "MinimumLength": 12,
                        "RequireLowercase": True,
                        "RequireUppercase": True,
                        "RequireNumbers": True,
                        "RequireSymbols": False,
                    }
                },
            },
        },
        "UserPoolClient": {
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {
                "UserPoolId": {"Ref": "UserPool"},
                "GenerateSecret": False,
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "IdTokenValidity": 1,
                "TokenValidityUnits": {"IdToken": "hours"},
                "ReadAttributes": [
                    "email",
                    "name",
                    "custom:household_id",
                    "custom:office_id",
                    "custom:teacher_id",
                ],
                "WriteAttributes": ["email", "name"],
            },
        },
        **{
            f"{role.title().replace('_', '')}Group": {
                "Type": "AWS::Cognito::UserPoolGroup",
                "Properties": {"GroupName": role, "UserPoolId": {"Ref": "UserPool"}},
            }
            for role in (
                "aquadrome_agent",
                "conservatoire_agent",
                "teacher",
                "periscolaire_agent",
                "urbanisme_agent",
                "signatory",
            )
        },
        "TicketSecret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": "HMAC key that signs aquadrome ticket references",
                "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True},
            },
        },
    }


def _function_environment() -> dict[str, Any]:
    issuer = {"Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"}
    return {
        **resources.ENVIRONMENT,
        "DEMARCHES_AWS_REGION": {"Ref": "AWS::Region"},
        "DEMARCHES_JWT_ISSUER": issuer,
        "DEMARCHES_JWT_AUDIENCE": {"Ref": "UserPoolClient"},
        "DEMARCHES_JWKS_URL": {
            "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"
            "/.well-known/jwks.json"
        },
        # NOTE: a dynamic reference puts the key in the function's configuration, so anyone
        # allowed to read that configuration can read it. A Secrets Manager read avoids it.
        "DEMARCHES_TICKET_SECRET": {
            "Fn::Sub": "{{resolve:secretsmanager:${TicketSecret}:SecretString}}"
        },
        # Decisions are signed with the PKCS#12 file an operator stores in this secret.
        "DEMARCHES_URBANISME_SIGNING": "pkcs12_secret",
        "DEMARCHES_URBANISME_SIGNING_SECRET_ID": {"Ref": "UrbanismeSigningSecret"},
    }


# Managed CloudFront policies, by their documented fixed ids.
_CACHING_OPTIMIZED_POLICY = "658327ea-f89d-4fab-a63d-7e88639e58f6"
_SECURITY_HEADERS_POLICY = "67f7725c-6f97-4210-82d7-5512b31e9d03"
_WEB_URL = {"Fn::Sub": "https://${WebDistribution.DomainName}"}


def _web_resources() -> dict[str, Any]:
    """Resources of the web pages: a private bucket read only by CloudFront, over HTTPS."""
    return {
        "WebBucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "VersioningConfiguration": {"Status": "Enabled"},
            },
        },
        "WebOriginAccessControl": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-web"},
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        },
        "WebDistribution": {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {
                "DistributionConfig": {
                    "Comment": "Web pages of the démarches",
                    "Enabled": True,
                    "DefaultRootObject": "index.html",
                    "HttpVersion": "http2and3",
                    "PriceClass": "PriceClass_100",
                    "Origins": [
                        {
                            "Id": "web-bucket",
                            "DomainName": {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]},
                            "OriginAccessControlId": {
                                "Fn::GetAtt": ["WebOriginAccessControl", "Id"]
                            },
                            # Empty: the origin is reached through the access control above.
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "web-bucket",
                        "ViewerProtocolPolicy": "https-only",
                        "AllowedMethods": ["GET", "HEAD"],
                        "Compress": True,
                        "CachePolicyId": _CACHING_OPTIMIZED_POLICY,
                        "ResponseHeadersPolicyId": _SECURITY_HEADERS_POLICY,
                    },
                    "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
                }
            },
        },
        "WebBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "WebBucket"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "ReadByTheDistributionOnly",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": "${WebBucket.Arn}/*"},
                            "Condition": {
                                "StringEquals": {
                                    "AWS:SourceArn": {
                                        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::"
                                        "${AWS::AccountId}:distribution/${WebDistribution}"
                                    }
                                }
                            },
                        },
                        {
                            "Sid": "DenyPlainHttp",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [
                                {"Fn::GetAtt": ["WebBucket", "Arn"]},
                                {"Fn::Sub": "${WebBucket.Arn}/*"},
                            ],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        },
                    ],
                },
            },
        },
        # The Cognito hosted UI, where the pages send residents to sign in.
        "UserPoolDomain": {
            "Type": "AWS::Cognito::UserPoolDomain",
            "Properties": {
                "UserPoolId": {"Ref": "UserPool"},
                "Domain": {"Ref": "AuthDomainPrefix"},
            },
        },
    }


def _hosted_ui_client_settings() -> dict[str, Any]:
    """Settings of the user pool client for the pages' authorization code flow with PKCE."""
    sign_in_page = {"Fn::Sub": "https://${WebDistribution.DomainName}/connexion.html"}
    return {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email", "profile"],
        "SupportedIdentityProviders": ["COGNITO"],
        "CallbackURLs": [sign_in_page],
        "LogoutURLs": [sign_in_page],
    }


def _web_parameters_and_outputs() -> dict[str, Any]:
    """Return the hosted UI's domain prefix parameter and the outputs config.js is written from."""
    return {
        "Parameters": {
            "AuthDomainPrefix": {
                "Type": "String",
                "Default": "demarches-grand-verdun",
                "AllowedPattern": "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
                "Description": "Prefix of the Cognito hosted UI domain, unique in the region",
            }
        },
        "Outputs": {
            "WebUrl": {"Value": _WEB_URL},
            "WebBucketName": {"Value": {"Ref": "WebBucket"}},
            "WebDistributionId": {"Value": {"Ref": "WebDistribution"}},
            "UserPoolClientId": {"Value": {"Ref": "UserPoolClient"}},
            "HostedUiUrl": {
                "Value": {
                    "Fn::Sub": "https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com"
                }
            },
        },
    }


STATE_MACHINES = ROOT / "infra" / "statemachines"
_FUNCTION_SLOT = re.compile(r"\$\{Function:([A-Za-z0-9_]+)\}")


def _state_machine_resources(function_ids: list[str]) -> dict[str, Any]:
    """Build one state machine per ``infra/statemachines/*.asl.json``, with a role of its own.

    The definition is the file itself: each ``${Function:<name>}`` slot becomes the ARN of the
    Chalice function ``<name>`` through ``DefinitionSubstitutions``, the same slots the embedded
    stack fills. The role may invoke those functions and nothing else.
    """
    from chalice.utils import to_cfn_resource_name

    created: dict[str, Any] = {}
    for path in sorted(STATE_MACHINES.glob("*.asl.json")):
        name = path.name.removesuffix(".asl.json")
        text = path.read_text(encoding="utf-8")
        functions = {slot: to_cfn_resource_name(slot) for slot in _FUNCTION_SLOT.findall(text)}
        unknown = sorted(
            f for f, function_id in functions.items() if function_id not in function_ids
        )
        if unknown:
            raise ValueError(f"{path.name} names functions the app lacks: {', '.join(unknown)}")
        logical_id = f"{to_cfn_resource_name(name)}StateMachine"
        invocable = [
            arn
            for function_id in sorted(set(functions.values()))
            for arn in (
                {"Fn::GetAtt": [function_id, "Arn"]},
                {"Fn::Sub": f"${{{function_id}.Arn}}:*"},
            )
        ]
        created[f"{logical_id}Role"] = _service_role(
            "states.amazonaws.com",
            f"{logical_id}Access",
            [{"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": invocable}],
        )
        created[logical_id] = {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": {"Fn::Sub": f"${{AWS::StackName}}-{name}"},
                "StateMachineType": "STANDARD",
                "Definition": json.loads(text),
                "DefinitionSubstitutions": {
                    f"Function:{function}": {"Fn::GetAtt": [function_id, "Arn"]}
                    for function, function_id in sorted(functions.items())
                },
                "RoleArn": {"Fn::GetAtt": [f"{logical_id}Role", "Arn"]},
            },
        }
    return created


def _service_role(
    service: str, policy_name: str, statements: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": service},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": policy_name,
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
    }


def _urbanisme_resources() -> dict[str, Any]:
    return {
        "UrbanismeSigningSecret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": "PKCS#12 file of the signatory of urbanism decisions, as JSON "
                '{"pkcs12": "<base64>", "password": "<text>"}; an operator stores it after '
                "the first deployment, replacing the generated placeholder.",
            },
        },
    }


def _gateway_responses() -> dict[str, Any]:
    """Return API Gateway's own errors in the API's error format, like every route."""
    unknown_route = (
        '{"code": "route_not_found", "message": "no API route has this path and method"}'
    )
    return {
        "RouteNotFoundResponse": {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "RestApiId": {"Ref": "RestAPI"},
                "ResponseType": "MISSING_AUTHENTICATION_TOKEN",
                "StatusCode": "404",
                "ResponseTemplates": {"application/json": unknown_route},
            },
        },
    }


def merge_template(function_ids: list[str]) -> dict[str, Any]:
    """The template Chalice merges into its own: resources, layer, roles, function settings."""
    missing = sorted(set(function_ids) - set(PERMISSIONS))
    if missing:
        raise ValueError(f"functions without a role in PERMISSIONS: {', '.join(missing)}")
    template_resources: dict[str, Any] = {
        **resources.stateful_resources(),
        **_identity_resources(),
        **_web_resources(),
        **_urbanisme_resources(),
        **_state_machine_resources(function_ids),
        **_gateway_responses(),
        "DomainLayer": {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "Description": "Shared domain library of the démarches and its dependencies",
                "ContentUri": "./layer",
                "CompatibleRuntimes": ["python3.11"],
                "RetentionPolicy": "Retain",
            },
        },
    }
    template_resources["UserPoolClient"]["Properties"].update(_hosted_ui_client_settings())
    environment = _function_environment()
    for function_id in function_ids:
        role_id = f"{function_id}Role"
        template_resources[role_id] = _role(function_id, PERMISSIONS[function_id])
        template_resources[function_id] = {
            "Properties": {
                "Role": {"Fn::GetAtt": [role_id, "Arn"]},
                "Layers": [{"Ref": "DomainLayer"}],
                "Environment": {"Variables": environment},
                **FUNCTION_SETTINGS.get(function_id, {}),
            }
        }
    merged = {"Resources": template_resources, **_web_parameters_and_outputs()}
    merged["Parameters"] = {**merged.get("Parameters", {}), **resources.PARAMETERS}
    return merged


def derive_chalice_config() -> Path:
    """Write ``functions/.chalice/config.json``, which Chalice reads, from ``chalice.json``."""
    target = FUNCTIONS / ".chalice" / "config.json"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "chalice.json", target)
    return target


def build(output: Path) -> Path:
    derive_chalice_config()
    output = output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    chalice = Path(sys.executable).with_name("chalice")
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-3"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "layers"), env.get("PYTHONPATH", "")])
    package = [str(chalice), "package", "--stage", "prod", "--pkg-format", "cloudformation"]

    # First pass finds the function ids Chalice creates; the second merges their roles.
    subprocess.run([*package, str(output)], cwd=FUNCTIONS, env=env, check=True)
    chalice_template = json.loads((output / "sam.json").read_text(encoding="utf-8"))
    function_ids = [
        name
        for name, resource in chalice_template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    ]
    merge_path = output / "merge.json"
    merge_path.write_text(json.dumps(merge_template(function_ids), indent=2), encoding="utf-8")
    subprocess.run(
        [*package, "--merge-template", str(merge_path), str(output)],
        cwd=FUNCTIONS,
        env=env,
        check=True,
    )
    return output / "sam.json"


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "build" / "aws"
    print(build(target))
