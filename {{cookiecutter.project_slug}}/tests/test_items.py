"""The item API against a real migrated database: successes and every error."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from tests.factories.item import ITEMS, create_item, item_payload


async def test_create_returns_every_field_as_sent(client: AsyncClient) -> None:
    payload = await item_payload(client)

    response = await client.post(ITEMS, json=payload)

    assert response.status_code == 201
    body = response.json()
    assert {name: body[name] for name in payload} == payload
    assert uuid.UUID(body["id"])
    assert body["created_at"].endswith(("Z", "+00:00"))


async def test_get_returns_the_item(client: AsyncClient) -> None:
    created = await create_item(client)

    response = await client.get(f"{ITEMS}{created['id']}/")

    assert response.status_code == 200
    assert response.json() == created


async def test_list_pages_sorts_and_counts(client: AsyncClient) -> None:
    await create_item(client, title="c title")
    await create_item(client, title="b title")
    await create_item(client, title="a title")

    response = await client.get(ITEMS, params={"limit": 2, "sort_by": "title", "sort_order": "asc"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["title"] for row in body["data"]] == ["a title", "b title"]


async def test_list_filters_exactly(client: AsyncClient) -> None:
    await create_item(client, title="a title")
    await create_item(client, title="b title")

    response = await client.get(ITEMS, params={"title": "a title"})

    assert response.json()["count"] == 1
    assert response.json()["data"][0]["title"] == "a title"


async def test_update_changes_only_the_fields_sent(client: AsyncClient) -> None:
    created = await create_item(client)

    response = await client.patch(f"{ITEMS}{created['id']}/", json={"title": "changed"})

    assert response.status_code == 200
    assert response.json() == created | {
        "title": "changed",
        "updated_at": response.json()["updated_at"],
    }
    assert response.json()["updated_at"] >= created["updated_at"]


async def test_delete_removes_the_item(client: AsyncClient) -> None:
    created = await create_item(client)

    response = await client.delete(f"{ITEMS}{created['id']}/")

    assert response.status_code == 204
    assert (await client.get(f"{ITEMS}{created['id']}/")).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_unknown_id_is_404(client: AsyncClient, method: str) -> None:
    response = await client.request(method, f"{ITEMS}{uuid.uuid4()}/", json={})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_duplicate_title_on_create_is_409(client: AsyncClient) -> None:
    existing = await create_item(client)

    response = await client.post(ITEMS, json=await item_payload(client, title=existing["title"]))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Another Item already has this title.",
        "code": "conflict",
    }


async def test_duplicate_title_on_update_is_409(client: AsyncClient) -> None:
    existing = await create_item(client)
    other = await create_item(client)

    response = await client.patch(f"{ITEMS}{other['id']}/", json={"title": existing["title"]})

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 256),
        ("description", 123),
        ("price", "not-a-number"),
        ("price", "1.001"),
        ("price", "NaN"),
        ("is_active", "not-a-bool"),
    ],
)
async def test_invalid_field_on_create_is_422(client: AsyncClient, field: str, value: Any) -> None:
    payload = await item_payload(client) | {field: value}

    response = await client.post(ITEMS, json=payload)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    "field",
    [
        "title",
        "price",
    ],
)
async def test_missing_required_field_is_422(client: AsyncClient, field: str) -> None:
    payload = await item_payload(client)
    del payload[field]

    response = await client.post(ITEMS, json=payload)

    assert response.status_code == 422


async def test_null_for_a_required_field_on_update_is_422(client: AsyncClient) -> None:
    created = await create_item(client)

    response = await client.patch(f"{ITEMS}{created['id']}/", json={"title": None})

    assert response.status_code == 422
    assert response.json()["detail"] == "title cannot be null."


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"limit": 1001}, id="limit-over-1000"),
        pytest.param({"limit": 0}, id="limit-zero"),
        pytest.param({"skip": -1}, id="negative-skip"),
        pytest.param({"sort_by": "password"}, id="unknown-sort-column"),
        pytest.param({"sort_order": "sideways"}, id="unknown-sort-order"),
    ],
)
async def test_invalid_list_parameters_are_422(client: AsyncClient, params: dict[str, Any]) -> None:
    response = await client.get(ITEMS, params=params)

    assert response.status_code == 422


async def test_malformed_id_is_422(client: AsyncClient) -> None:
    response = await client.get(f"{ITEMS}not-a-uuid/")

    assert response.status_code == 422
