"""Items for tests: a valid create body, and one stored through the API."""

import uuid
from typing import Any

from httpx import AsyncClient

ITEMS = "/api/v1/items/"


async def item_payload(client: AsyncClient, **overrides: Any) -> dict[str, Any]:
    """A valid create body; tests override only what they are about.

    Every factory takes `client`, to store what a resource refers to; items refer to nothing.
    """
    payload: dict[str, Any] = {
        "title": f"title {uuid.uuid4().hex[:8]}",
        "description": "Some longer text.",
        "price": "9.99",
        "is_active": True,
    } | overrides
    return payload


async def create_item(client: AsyncClient, **overrides: Any) -> dict[str, Any]:
    """Store an item through the API and return its body."""
    response = await client.post(ITEMS, json=await item_payload(client, **overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
