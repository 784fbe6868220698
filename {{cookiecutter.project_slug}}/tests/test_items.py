"""The item routes, against a real migrated database: happy paths and every error status."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

ITEMS = "/api/v1/items/"


def item_payload(**overrides: Any) -> dict[str, Any]:
    """A valid create body; tests override only what they are about."""
    return {
        "title": f"item {uuid.uuid4().hex[:8]}",
        "description": "A thing to sell",
        "price": "9.99",
        "is_active": True,
    } | overrides


async def create_item(client: AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post(ITEMS, json=item_payload(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_returns_the_stored_item(client: AsyncClient) -> None:
    response = await client.post(ITEMS, json=item_payload(title="Lamp", price="12.50"))

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Lamp"
    assert body["price"] == "12.50"
    assert uuid.UUID(body["id"])
    assert body["created_at"].endswith(("Z", "+00:00"))


async def test_get_returns_the_item(client: AsyncClient) -> None:
    created = await create_item(client)

    response = await client.get(f"{ITEMS}{created['id']}/")

    assert response.status_code == 200
    assert response.json() == created


async def test_list_pages_and_counts(client: AsyncClient) -> None:
    for index in range(3):
        await create_item(client, title=f"item {index}")

    response = await client.get(ITEMS, params={"limit": 2, "sort_by": "title", "sort_order": "asc"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["title"] for item in body["data"]] == ["item 0", "item 1"]


async def test_list_filters_exactly(client: AsyncClient) -> None:
    await create_item(client, title="on sale", is_active=True)
    await create_item(client, title="withdrawn", is_active=False)

    response = await client.get(ITEMS, params={"is_active": "false"})

    assert response.json()["count"] == 1
    assert response.json()["data"][0]["title"] == "withdrawn"


async def test_update_changes_only_the_fields_sent(client: AsyncClient) -> None:
    created = await create_item(client, title="Old", price="5.00")

    response = await client.patch(f"{ITEMS}{created['id']}/", json={"title": "New"})

    assert response.status_code == 200
    assert response.json()["title"] == "New"
    assert response.json()["price"] == "5.00"
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
    await create_item(client, title="Unique")

    response = await client.post(ITEMS, json=item_payload(title="Unique"))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Another Item already has this title.",
        "code": "conflict",
    }


async def test_duplicate_title_on_update_is_409(client: AsyncClient) -> None:
    await create_item(client, title="Taken")
    other = await create_item(client, title="Free")

    response = await client.patch(f"{ITEMS}{other['id']}/", json={"title": "Taken"})

    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"title": "", "price": "1.00"}, id="empty-title"),
        pytest.param({"title": "x" * 256, "price": "1.00"}, id="title-too-long"),
        pytest.param({"title": "Lamp", "price": "-1"}, id="negative-price"),
        pytest.param({"title": "Lamp", "price": "1.001"}, id="too-many-decimals"),
        pytest.param({"title": "Lamp"}, id="missing-price"),
    ],
)
async def test_invalid_create_is_422(client: AsyncClient, body: dict[str, Any]) -> None:
    response = await client.post(ITEMS, json=body)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"]


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
