"""Items for tests: a valid create body, and one stored through the API."""

import uuid
from typing import Any

from httpx import AsyncClient

ITEMS = "/api/v1/items/"


def item_payload(**overrides: Any) -> dict[str, Any]:
    """A valid create body; tests override only what they are about."""
    return {
        "title": f"title {uuid.uuid4().hex[:8]}",
        "description": "Some longer text.",
        "price": "9.99",
        "is_active": True,
    } | overrides


async def create_item(client: AsyncClient, **overrides: Any) -> dict[str, Any]:
    """Store an item through the API and return its body."""
    payload = item_payload(**overrides)
    response = await client.post(ITEMS, json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
