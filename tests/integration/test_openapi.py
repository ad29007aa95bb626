"""The API describes itself: a valid OpenAPI document and a browsable reference page."""

from __future__ import annotations

from openapi_spec_validator import validate

from tests.conftest import ApiClient


def test_openapi_document_is_valid(api):
    document = ApiClient(api).get("/openapi.json").json()

    validate(document)
    assert document["openapi"] == "3.0.3"
    assert "/aquadrome/bookings" in document["paths"]


def test_every_route_names_its_models_and_errors(api):
    document = ApiClient(api).get("/openapi.json").json()

    booking = document["paths"]["/aquadrome/bookings"]["post"]
    assert booking["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BookingCreate"
    }
    assert {"201", "401", "409", "422"} <= set(booking["responses"])
    assert booking["security"] == [{"bearer": []}]


def test_reference_page_and_its_assets_are_served(api):
    client = ApiClient(api)

    page = client.get("/docs")
    script = client.get("/docs/static/swagger-ui-bundle.js")

    assert page.status_code == 200
    assert "swagger-ui-bundle.js" in page.text
    assert script.status_code == 200
    assert len(script.content) > 100_000
