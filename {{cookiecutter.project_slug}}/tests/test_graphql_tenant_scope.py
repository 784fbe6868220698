"""A GraphQL query reads the caller's tenant only: another tenant's rows are not found."""

from httpx import AsyncClient

from tests.factories.item import create_item
from tests.graphql_queries import query_data


async def test_another_tenant_finds_none_of_them(
    client: AsyncClient, other_tenant_client: AsyncClient
) -> None:
    created = await create_item(client)

    theirs = await query_data(
        other_tenant_client,
        "query Both($id: UUID!) { items { count data { id } } item(itemId: $id) { id } }",
        id=created["id"],
    )
    mine = await query_data(client, "{ items { count } }")

    assert theirs == {"items": {"count": 0, "data": []}, "item": None}
    assert mine == {"items": {"count": 1}}
