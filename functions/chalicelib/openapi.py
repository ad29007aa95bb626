"""OpenAPI 3.0.3 document built from the registered routes and their pydantic models.

pydantic writes JSON Schema 2020-12, the dialect of OpenAPI 3.1; the document is lowered to
3.0.3 (``nullable`` instead of a ``null`` type, ``example`` instead of ``examples``) because
the bundled Swagger UI and many client generators read 3.0 only.
"""

from __future__ import annotations

from typing import Any

from .http import ROUTES, RouteSpec, load_model

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "Stable error code."},
        "message": {"type": "string", "description": "What was wrong and what to do."},
        "field": {"type": "string", "description": "The field at fault, when there is one."},
        "details": {"type": "object"},
    },
}
_ERROR_TEXT = {
    400: "Malformed request",
    401: "Missing, invalid or expired token",
    403: "Not allowed for this identity",
    404: "Not found",
    409: "Conflicts with the current state",
    410: "Deadline passed",
    422: "A value breaks a rule",
    503: "An outside service is unavailable",
}


def to_openapi30(schema: Any) -> Any:
    """Lower a JSON Schema 2020-12 fragment to the OpenAPI 3.0 schema dialect."""
    if isinstance(schema, list):
        return [to_openapi30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema

    lowered = {key: to_openapi30(value) for key, value in schema.items()}
    _lower_nullable(lowered)
    _lower_keywords(lowered)
    return lowered


def _lower_nullable(schema: dict[str, Any]) -> None:
    """Replace a ``null`` option of ``anyOf`` or ``oneOf`` by ``nullable: true``."""
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if not (isinstance(options, list) and {"type": "null"} in options):
            continue
        rest = [option for option in options if option != {"type": "null"}]
        del schema[keyword]
        if len(rest) == 1 and "$ref" not in rest[0]:
            schema.update(rest[0])
        else:
            schema[keyword] = rest
        schema["nullable"] = True


def _lower_keywords(schema: dict[str, Any]) -> None:
    """Rewrite the 3.1 keywords that OpenAPI 3.0 spells otherwise or lacks."""
    if isinstance(schema.get("examples"), list):
        examples = schema.pop("examples")
        if examples:
            schema["example"] = examples[0]
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]

    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(schema.get(bound), int | float) and not isinstance(schema[bound], bool):
            schema[plain] = schema[bound]
            schema[bound] = True

    if "prefixItems" in schema:
        items = schema.pop("prefixItems")
        schema["items"] = items[0] if len({repr(i) for i in items}) == 1 else {"anyOf": items}

    # OpenAPI 3.0 has no propertyNames, so the allowed keys move into the description.
    names = schema.pop("propertyNames", None)
    if isinstance(names, dict) and "enum" in names:
        keys = ", ".join(str(key) for key in names["enum"])
        schema["description"] = f"{schema.get('description', '')} Keys: {keys}.".strip()


def _model_ref(path: str, components: dict[str, Any]) -> dict[str, str]:
    model = load_model(path)
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = to_openapi30(definition)
    components[model.__name__] = to_openapi30(schema)
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(spec: RouteSpec, components: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": spec.operation_id,
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required or p.location == "path",
                "description": p.description,
                "schema": p.schema,
            }
            for p in spec.params
        ],
        "responses": {},
    }
    if spec.auth:
        operation["security"] = [{"bearer": []}]
    if spec.request_model:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _model_ref(spec.request_model, components)}},
        }
    success: dict[str, Any] = {"description": "Success"}
    if spec.response_model:
        schema = _model_ref(spec.response_model, components)
        success["content"] = {"application/json": {"schema": schema}}
    operation["responses"][str(spec.status)] = success
    statuses = set(spec.errors)
    if spec.request_model:
        statuses |= {400, 422}
    if spec.auth:
        statuses.add(401)
    for status in sorted(statuses):
        operation["responses"][str(status)] = {
            "description": _ERROR_TEXT.get(status, "Error"),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return operation


def build_document(title: str, version: str) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": _ERROR_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for spec in ROUTES:
        paths.setdefault(spec.path, {})[spec.method] = _operation(spec, components)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": title,
            "version": version,
            "description": "Online démarches of the territory: each route names its errors.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
