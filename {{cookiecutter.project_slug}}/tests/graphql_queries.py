"""GraphQL requests for tests: the endpoint, and what a query answers."""

import re
from datetime import datetime
from typing import Any

from httpx import AsyncClient

GRAPHQL = "/api/graphql/"
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T.+")


async def query_data(client: AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """The data of a query that must succeed."""
    response = await client.post(GRAPHQL, json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def query_errors(client: AsyncClient, query: str, **variables: Any) -> list[str]:
    """The error messages of a query that must fail."""
    response = await client.post(GRAPHQL, json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    errors = response.json().get("errors")
    assert errors, response.text
    return [error["message"] for error in errors]


def rest_shaped(node: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL object with REST's names: `isActive` → `is_active`."""
    return {re.sub(r"([A-Z])", r"_\1", name).lower(): value for name, value in node.items()}


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    """A body with its date-times as instants: REST writes UTC as `Z`, GraphQL as `+00:00`."""
    return {
        name: datetime.fromisoformat(value)
        if isinstance(value, str) and DATE_TIME.fullmatch(value)
        else value
        for name, value in body.items()
    }
