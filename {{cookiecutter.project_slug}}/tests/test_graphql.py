"""The GraphQL API: what it costs in statements, the REST list's limits, the limits on a
query's depth and length, and how errors are answered."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.graphql.schema import MAX_DEPTH, MAX_TOKENS
from app.repositories.base import Page
from app.repositories.item import ItemRepository
from tests.factories.item import create_item
from tests.graphql_queries import GRAPHQL, query_data, query_errors
from tests.statements import SIGN_IN, counted_statements

PAGE = "query Page($limit: Int) { items(limit: $limit) { count data { id title price } } }"
ONE = "query One($id: UUID!) { item(itemId: $id) { id title description price isActive } }"


async def test_a_page_and_its_count_are_one_statement(app: FastAPI, client: AsyncClient) -> None:
    created = [await create_item(client) for _ in range(3)]

    with counted_statements(app) as statements:
        data = await query_data(client, PAGE, limit=2)

    assert data["items"]["count"] == 3
    assert [item["id"] for item in data["items"]["data"]] == [
        item["id"] for item in reversed(created[1:])
    ]
    assert len(statements) == SIGN_IN + 1, statements


async def test_one_item_is_what_rest_returns_in_one_statement(
    app: FastAPI, client: AsyncClient
) -> None:
    created = await create_item(client, description=None)

    with counted_statements(app) as statements:
        data = await query_data(client, ONE, id=created["id"])

    assert data["item"] == {
        "id": created["id"],
        "title": created["title"],
        "description": None,
        "price": created["price"],
        "isActive": created["is_active"],
    }
    assert len(statements) == SIGN_IN + 1, statements


async def test_an_unknown_id_is_null(client: AsyncClient) -> None:
    data = await query_data(client, ONE, id="00000000-0000-4000-8000-000000000000")

    assert data["item"] is None


async def test_the_list_takes_the_rest_lists_limits(client: AsyncClient) -> None:
    assert await query_errors(client, PAGE, limit=1001) == [
        "limit: Input should be less than or equal to 1000"
    ]
    errors = await query_errors(client, '{ items(sortBy: "secret") { count } }')
    assert errors[0].startswith("sortBy: Input should be 'title'")


async def test_a_query_nested_too_deep_is_refused_before_it_runs(client: AsyncClient) -> None:
    nested = "id"
    for _ in range(MAX_DEPTH + 1):
        nested = "items { data { " + nested + " } }"

    errors = await query_errors(client, "{ " + nested + " }")

    assert f"exceeds maximum operation depth of {MAX_DEPTH}" in errors[0]


async def test_a_query_with_too_many_tokens_is_refused(client: AsyncClient) -> None:
    fields = " ".join(["id"] * MAX_TOKENS)

    errors = await query_errors(client, "{ items { data { " + fields + " } } }")

    assert errors == [
        f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. Parsing aborted."
    ]


async def test_a_query_can_be_sent_in_the_query_string(client: AsyncClient) -> None:
    await create_item(client)

    response = await client.get(GRAPHQL, params={"query": "{ items { count } }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"items": {"count": 1}}}


async def test_a_failing_resolver_is_answered_as_an_internal_error_and_logged(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def failing(*_: object) -> Page:
        raise RuntimeError("connection to 10.0.0.7 lost")

    monkeypatch.setattr(ItemRepository, "list_page", failing)

    errors = await query_errors(client, "{ items { count } }")

    assert errors == ["Internal error."]
    assert "connection to 10.0.0.7 lost" in caplog.text


async def test_a_clients_mistake_is_answered_not_logged(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    errors = await query_errors(client, "{ items(limit: 0) { count } }")

    assert errors == ["limit: Input should be greater than or equal to 1"]
    assert caplog.records == []


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"not json", "Unable to parse request body as JSON"),
        (b"{}", "No GraphQL query found in the request"),
    ],
)
async def test_a_request_strawberry_cannot_read_is_a_json_400(
    client: AsyncClient, body: bytes, detail: str
) -> None:
    response = await client.post(
        GRAPHQL, content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": detail, "code": "bad_request"}


async def test_a_mutation_cannot_be_sent_in_the_query_string(client: AsyncClient) -> None:
    response = await client.get(GRAPHQL, params={"query": "mutation { items { count } }"})

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
