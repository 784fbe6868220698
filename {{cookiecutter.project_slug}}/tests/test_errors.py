"""Every error, whatever raised it, reaches the client as the same JSON shape."""

import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event

from app.core.openapi import NO_NUL
from app.models.base import DECIMAL_TEXT


async def test_unknown_path_is_a_json_404(client: AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "code": "not_found"}


async def test_wrong_method_is_a_json_405(client: AsyncClient) -> None:
    response = await client.put("/health/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


async def test_malformed_json_is_a_422_not_a_500(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/items/", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


async def test_nan_in_a_body_is_a_422_that_does_not_echo_the_input(client: AsyncClient) -> None:
    body = b'{"title": "Lamp", "price": NaN, "description": "' + b"x" * 10_000 + b'"}'

    response = await client.post(
        "/api/v1/items/", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["body", "price"],
            "msg": response.json()["errors"][0]["msg"],
            "type": "value_error",
        }
    ]
    assert len(response.content) < 1_000


async def test_unknown_query_parameter_is_a_422_not_an_unfiltered_list(client: AsyncClient) -> None:
    response = await client.get("/api/v1/items/", params={"is_actve": "true"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "is_actve"]


async def test_path_without_trailing_slash_is_404_not_a_redirect(client: AsyncClient) -> None:
    response = await client.get("/api/v1/items")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Not Found: the path is /api/v1/items/ (every path ends with /).",
        "code": "not_found",
    }


async def test_responses_carry_the_stored_value_not_the_sent_spelling(client: AsyncClient) -> None:
    response = await client.post("/api/v1/items/", json={"title": "Lamp", "price": "0100.5"})

    assert response.status_code == 201
    assert response.json()["price"] == "100.50"


@pytest.mark.parametrize("is_active", [0, 1, "yes", "true"])
async def test_a_boolean_in_a_body_is_true_or_false_only(
    client: AsyncClient, is_active: object
) -> None:
    body = {"title": "Lamp", "price": "1", "is_active": is_active}

    response = await client.post("/api/v1/items/", json=body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "is_active"]


@pytest.mark.parametrize("price", [9.99, "1e2", "9.999", "12345678901.00", " 9.99"])
async def test_a_decimal_is_a_plain_string_of_what_the_column_holds(
    client: AsyncClient, price: object
) -> None:
    response = await client.post("/api/v1/items/", json={"title": "Lamp", "price": price})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "price"]


async def test_a_body_that_is_not_utf8_is_a_422(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/items/", content=b'{"title": "\xff"}', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


async def test_a_wrong_method_names_every_method_the_path_serves(client: AsyncClient) -> None:
    collection = await client.request("OPTIONS", "/api/v1/items/")
    one = await client.put(f"/api/v1/items/{uuid.uuid4()}/")

    assert collection.status_code == one.status_code == 405
    assert collection.headers["Allow"] == "GET, POST"
    assert one.headers["Allow"] == "DELETE, GET, PATCH"


async def test_the_api_document_says_no_text_holds_a_nul(client: AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]

    assert schemas["ItemCreate"]["properties"]["title"]["pattern"] == NO_NUL
    assert schemas["ItemCreate"]["properties"]["price"]["pattern"] == f"^{DECIMAL_TEXT}$"


async def test_huge_skip_is_a_422(client: AsyncClient) -> None:
    response = await client.get("/api/v1/items/", params={"skip": 2**63})

    assert response.status_code == 422


async def test_an_unreachable_database_is_a_503_to_retry(app: FastAPI, client: AsyncClient) -> None:
    engine = app.state.engine
    await engine.dispose()  # no open connection left to use

    def refuse(*_arguments: object) -> None:
        raise engine.dialect.loaded_dbapi.OperationalError("connection refused")

    event.listen(engine.sync_engine, "do_connect", refuse)
    try:
        response = await client.get("/api/v1/items/")
    finally:
        event.remove(engine.sync_engine, "do_connect", refuse)

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response.headers["Retry-After"] == "1"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "streamed"])
async def test_a_body_over_the_limit_is_a_413(
    app: FastAPI, client: AsyncClient, chunked: bool
) -> None:
    limit = app.state.settings.max_request_bytes
    body = b'{"title": "' + b"x" * limit + b'"}'

    async def stream() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    content = stream() if chunked else body
    response = await client.post(
        "/api/v1/items/", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"The request body is larger than {limit} bytes.",
        "code": "content_too_large",
    }
    assert "X-Request-ID" in response.headers


@pytest.mark.parametrize(
    ("path", "params", "body"),
    [
        pytest.param("/api/v1/items/", {"title": "a\x00b"}, None, id="query-filter"),
        pytest.param("/api/v1/items/", None, b'{"title": "a\\u0000b", "price": "1"}', id="json"),
        pytest.param("/api/v1/items/%00/", None, None, id="path"),
    ],
)
async def test_a_nul_character_is_a_422_on_every_database(
    client: AsyncClient, path: str, params: dict[str, str] | None, body: bytes | None
) -> None:
    if body is None:
        response = await client.get(path, params=params)
    else:
        response = await client.post(
            path, content=body, headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request holds a NUL character, which no text field can store.",
        "code": "validation_error",
    }


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/items/",
        content=b'{"title": "path\\\\u0000", "price": "1"}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 201
    assert response.json()["title"] == "path\\u0000"


async def test_a_field_the_body_does_not_have_is_a_422(client: AsyncClient) -> None:
    response = await client.post("/api/v1/items/", json={"title": "Lamp", "price": "1", "prise": 2})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "prise"]
