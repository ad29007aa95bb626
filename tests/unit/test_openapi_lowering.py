"""JSON Schema 2020-12 from pydantic is lowered to the OpenAPI 3.0 dialect."""

from __future__ import annotations

from chalicelib.openapi import to_openapi30


def test_nullable_scalar_becomes_nullable_type():
    lowered = to_openapi30({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "X"})

    assert lowered == {"type": "string", "nullable": True, "title": "X"}


def test_nullable_reference_keeps_any_of():
    lowered = to_openapi30({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})

    assert lowered == {"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": True}


def test_examples_and_const_are_lowered_inside_properties():
    lowered = to_openapi30({"properties": {"a": {"examples": ["x", "y"]}, "b": {"const": "CUa"}}})

    assert lowered["properties"]["a"] == {"example": "x"}
    assert lowered["properties"]["b"] == {"enum": ["CUa"]}


def test_exclusive_bounds_become_boolean_flags():
    lowered = to_openapi30({"type": "integer", "exclusiveMinimum": 0})

    assert lowered == {"type": "integer", "minimum": 0, "exclusiveMinimum": True}


def test_property_names_move_into_description():
    lowered = to_openapi30({"type": "object", "propertyNames": {"enum": ["monday", "friday"]}})

    assert "propertyNames" not in lowered
    assert lowered["description"] == "Keys: monday, friday."
