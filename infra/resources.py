"""The single definition of the stateful resources: tables and buckets.

The AWS template merges these CloudFormation resources as they are, and the embedded stack
creates the same resources in the emulator from them (``infra.local.provision``), so both
deployments share names, keys, indexes and TTL attributes. Schedules are declared once, on
their handlers (``@app.schedule``), and read from the Chalice app by both.
"""

from __future__ import annotations

from typing import Any

STACK_NAME = "demarches"


def _name(suffix: str) -> dict[str, str]:
    return {"Fn::Sub": f"${{AWS::StackName}}-{suffix}"}


def _table(
    suffix: str,
    keys: list[tuple[str, str]],
    *,
    indexes: dict[str, list[tuple[str, str]]] | None = None,
    ttl: str | None = None,
) -> dict[str, Any]:
    attributes = dict(keys)
    for index_keys in (indexes or {}).values():
        attributes.update(index_keys)
    key_types = ("HASH", "RANGE")
    properties: dict[str, Any] = {
        "TableName": _name(suffix),
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind} for name, kind in attributes.items()
        ],
        "KeySchema": [
            {"AttributeName": name, "KeyType": key_types[i]} for i, (name, _) in enumerate(keys)
        ],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
    }
    if indexes:
        properties["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index_name,
                "KeySchema": [
                    {"AttributeName": name, "KeyType": key_types[i]}
                    for i, (name, _) in enumerate(index_keys)
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index_name, index_keys in indexes.items()
        ]
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": properties,
    }


TABLES: dict[str, dict[str, Any]] = {
    "HouseholdsTable": _table("households", [("household_id", "S"), ("sk", "S")]),
    "AquadromeSlotsTable": _table("aquadrome-slots", [("day", "S"), ("sk", "S")]),
    "AquadromeBookingsTable": _table(
        "aquadrome-bookings",
        [("booking_id", "S")],
        indexes={
            "by_household": [("household_id", "S"), ("starts_at", "S")],
            "by_day": [("day", "S"), ("booking_id", "S")],
        },
    ),
    "AquadromeQuotasTable": _table(
        "aquadrome-quotas", [("household_id", "S"), ("week", "S")], ttl="expires_at"
    ),
    # Conservatoire and atelier d'art: layouts in demarches.adapters.dynamodb_conservatoire and
    # demarches.adapters.dynamodb_evaluations.
    "ConservatoireEnrollmentsTable": _table(
        "conservatoire-enrollments",
        [("enrollment_id", "S")],
        indexes={
            "by_household": [("household_id", "S"), ("year_order", "S")],
            "by_person": [("person_id", "S"), ("year_order", "S")],
            "by_course": [("course_key", "S"), ("year_order", "S")],
        },
    ),
    "ConservatoireCoursesTable": _table(
        "conservatoire-courses", [("course_key", "S"), ("sk", "S")]
    ),
    "ConservatoireEvaluationsTable": _table(
        "conservatoire-evaluations",
        [("person_id", "S"), ("sk", "S")],
        indexes={"by_household": [("household_id", "S"), ("sk", "S")]},
    ),
    # quotient_familial per household and school year: the portail famille writes it and the
    # conservatoire reads it. Attributes: quotient_familial (N, euros per month), bracket,
    # source and obtained_at (S).
    "QuotientsTable": _table("quotients", [("household_id", "S"), ("school_year", "S")]),
    # Portail famille (periscolaire): layouts in demarches.adapters.dynamodb_famille_records
    # and demarches.adapters.dynamodb_famille_reservations.
    "FamilleRegistrationsTable": _table(
        "famille-registrations",
        [("household_id", "S"), ("school_year", "S")],
        indexes={"by_status": [("status_key", "S"), ("household_id", "S")]},
    ),
    "FamilleReservationsTable": _table(
        "famille-reservations",
        [("pk", "S"), ("sk", "S")],
        indexes={"by_session": [("session_key", "S"), ("child_id", "S")]},
    ),
    "FamilleSessionsTable": _table("famille-sessions", [("day", "S"), ("sk", "S")]),
    "FamilleInvoicesTable": _table(
        "famille-invoices",
        [("invoice_number", "S")],
        indexes={
            "by_household": [("household_id", "S"), ("month", "S")],
            "pdf_pending": [("pdf_pending", "S"), ("invoice_number", "S")],
        },
    ),
    # Urbanism: layouts in demarches.adapters.dynamodb_items_urbanisme and
    # demarches.adapters.dynamodb_accounts_urbanisme. by_queue holds only open dossiers,
    # sorted by the instant their silence decision arises.
    "UrbanismeDossiersTable": _table(
        "urbanisme-dossiers",
        [("dossier_id", "S")],
        indexes={
            "by_owner": [("owner", "S"), ("created_at", "S")],
            "by_queue": [("queue", "S"), ("deadline_key", "S")],
        },
    ),
    "UrbanismeAuditTable": _table("urbanisme-audit", [("dossier_id", "S"), ("entry_id", "S")]),
    "UrbanismeCountersTable": _table("urbanisme-counters", [("counter_id", "S")]),
    "UrbanismeDirectoryTable": _table("urbanisme-directory", [("entry_id", "S")]),
}

BUCKETS: dict[str, dict[str, Any]] = {
    "DocumentsBucket": {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketName": {"Fn::Sub": "${AWS::StackName}-documents-${AWS::AccountId}"},
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
            "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": True}},
            # Browsers upload pieces with a presigned POST from the pages' origin. The signed
            # policy, not the origin, authorizes an upload, so any origin may send it.
            "CorsConfiguration": {
                "CorsRules": [
                    {
                        "AllowedMethods": ["POST"],
                        "AllowedOrigins": ["*"],
                        "AllowedHeaders": ["*"],
                        "MaxAge": 3000,
                    }
                ]
            },
        },
    },
    # Signed urbanism decisions and attestations, written once and locked: Object Lock keeps
    # every version for the retention period, in the mode the parameters below choose.
    "UrbanismeArchiveBucket": {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketName": {"Fn::Sub": "${AWS::StackName}-urbanisme-archive-${AWS::AccountId}"},
            "ObjectLockEnabled": True,
            "ObjectLockConfiguration": {
                "ObjectLockEnabled": "Enabled",
                "Rule": {
                    "DefaultRetention": {
                        "Mode": {"Ref": "UrbanismeArchiveLockMode"},
                        "Years": {"Ref": "UrbanismeArchiveRetentionYears"},
                    }
                },
            },
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
}

# Template parameters the resources above refer to; the embedded stack uses their defaults.
PARAMETERS: dict[str, dict[str, Any]] = {
    "UrbanismeArchiveLockMode": {
        "Type": "String",
        "AllowedValues": ["GOVERNANCE", "COMPLIANCE"],
        "Default": "GOVERNANCE",
        "Description": "S3 Object Lock mode of signed urbanism decisions. COMPLIANCE cannot be "
        "lifted by anyone, the account's root user included, until the retention ends.",
    },
    "UrbanismeArchiveRetentionYears": {
        "Type": "Number",
        "MinValue": 1,
        "MaxValue": 100,
        "Default": 10,
        "Description": "Years each signed urbanism decision stays locked in the archive bucket.",
    },
}


# Environment each function receives: the setting name and the resource that gives its value.
ENVIRONMENT: dict[str, dict[str, Any]] = {
    "DEMARCHES_HOUSEHOLDS_TABLE": {"Ref": "HouseholdsTable"},
    "DEMARCHES_AQUADROME_SLOTS_TABLE": {"Ref": "AquadromeSlotsTable"},
    "DEMARCHES_AQUADROME_BOOKINGS_TABLE": {"Ref": "AquadromeBookingsTable"},
    "DEMARCHES_AQUADROME_QUOTAS_TABLE": {"Ref": "AquadromeQuotasTable"},
    "DEMARCHES_CONSERVATOIRE_ENROLLMENTS_TABLE": {"Ref": "ConservatoireEnrollmentsTable"},
    "DEMARCHES_CONSERVATOIRE_COURSES_TABLE": {"Ref": "ConservatoireCoursesTable"},
    "DEMARCHES_CONSERVATOIRE_EVALUATIONS_TABLE": {"Ref": "ConservatoireEvaluationsTable"},
    "DEMARCHES_QUOTIENTS_TABLE": {"Ref": "QuotientsTable"},
    "DEMARCHES_FAMILLE_REGISTRATIONS_TABLE": {"Ref": "FamilleRegistrationsTable"},
    "DEMARCHES_FAMILLE_RESERVATIONS_TABLE": {"Ref": "FamilleReservationsTable"},
    "DEMARCHES_FAMILLE_SESSIONS_TABLE": {"Ref": "FamilleSessionsTable"},
    "DEMARCHES_FAMILLE_INVOICES_TABLE": {"Ref": "FamilleInvoicesTable"},
    "DEMARCHES_DOCUMENTS_BUCKET": {"Ref": "DocumentsBucket"},
    "DEMARCHES_URBANISME_DOSSIERS_TABLE": {"Ref": "UrbanismeDossiersTable"},
    "DEMARCHES_URBANISME_AUDIT_TABLE": {"Ref": "UrbanismeAuditTable"},
    "DEMARCHES_URBANISME_COUNTERS_TABLE": {"Ref": "UrbanismeCountersTable"},
    "DEMARCHES_URBANISME_DIRECTORY_TABLE": {"Ref": "UrbanismeDirectoryTable"},
    "DEMARCHES_URBANISME_ARCHIVE_BUCKET": {"Ref": "UrbanismeArchiveBucket"},
    # Built from the state machine's name rather than referenced: the state machine refers to
    # the functions, so a reference back from their environment would make a cycle.
    "DEMARCHES_URBANISME_STATE_MACHINE_ARN": {
        "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"
        "${AWS::StackName}-urbanisme-instruction"
    },
}


def stateful_resources() -> dict[str, dict[str, Any]]:
    return {**TABLES, **BUCKETS}
