"""What a request costs in SQL statements: a fixed number, whatever the page size.

Sign-in is one statement (the user and the token's revocation, together); a read is one more.
Commits are not statements here: the unit of work ends every request with one.
"""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories.item import ITEMS, create_item
from tests.statements import SIGN_IN, counted_statements


@pytest.mark.parametrize("limit", [5, 500])
async def test_a_page_and_its_count_are_one_statement(
    app: FastAPI, client: AsyncClient, limit: int
) -> None:
    for _ in range(7):
        await create_item(client)

    with counted_statements(app) as statements:
        response = await client.get(ITEMS, params={"limit": limit})

    assert response.json()["count"] == 7
    assert len(response.json()["data"]) == min(limit, 7)
    assert len(statements) == SIGN_IN + 1, statements


async def test_a_page_past_the_end_still_counts(app: FastAPI, client: AsyncClient) -> None:
    await create_item(client)

    with counted_statements(app) as statements:
        response = await client.get(ITEMS, params={"skip": 10})

    assert response.json() == {"data": [], "count": 1}
    assert len(statements) == SIGN_IN + 2, statements


async def test_reading_one_row_is_one_statement(app: FastAPI, client: AsyncClient) -> None:
    created = await create_item(client)

    with counted_statements(app) as statements:
        response = await client.get(f"{ITEMS}{created['id']}/")

    assert response.status_code == 200
    assert len(statements) == SIGN_IN + 1, statements


async def test_a_create_is_one_insert_that_returns_the_stored_row(
    app: FastAPI, client: AsyncClient
) -> None:
    with counted_statements(app) as statements:
        created = await create_item(client)

    assert len(statements) == SIGN_IN + 1, statements
    assert statements[-1].startswith("INSERT")
    assert "RETURNING" in statements[-1]
    assert created["price"] == "9.99"
