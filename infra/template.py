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


# Portail famille: registrations are updated in place (never put or deleted), reservations and
# session counters change only through the booking and cancellation transactions, tax notices
# are uploaded with a presigned POST signed by the API's role and deleted, every version, once
# an agent has entered the figure.
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

# What each function may do, resource by resource: the least each handler needs.
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
            "Resource": {"Fn::Sub": "arn:aws:ses:${AWS::Region}:${AWS::AccountId}:identity/*"},
        },
        *_FAMILLE_API,
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
            "Action": ["dynamodb:PutItem"],
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
            for role in ("aquadrome_agent", "conservatoire_agent", "teacher", "periscolaire_agent")
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
        # NOTE: a dynamic reference puts the key in the function's configuration, readable by
        # whoever may read that configuration; a Secrets Manager read at cold start avoids it.
        "DEMARCHES_TICKET_SECRET": {
            "Fn::Sub": "{{resolve:secretsmanager:${TicketSecret}:SecretString}}"
        },
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


def merge_template(function_ids: list[str]) -> dict[str, Any]:
    """The template Chalice merges into its own: resources, layer, roles, function settings."""
    missing = sorted(set(function_ids) - set(PERMISSIONS))
    if missing:
        raise ValueError(f"functions without a role in PERMISSIONS: {', '.join(missing)}")
    template_resources: dict[str, Any] = {
        **resources.stateful_resources(),
        **_identity_resources(),
        **_web_resources(),
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
            }
        }
    return {"Resources": template_resources, **_web_parameters_and_outputs()}


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
