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
        },
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
}


def stateful_resources() -> dict[str, dict[str, Any]]:
    return {**TABLES, **BUCKETS}
