"""GraphQL signs in as REST does: without a valid sign-in, the same 401, before any query."""

from httpx import AsyncClient

from tests.graphql_queries import GRAPHQL


async def test_a_query_without_sign_in_is_refused(anonymous_client: AsyncClient) -> None:
    response = await anonymous_client.post(GRAPHQL, json={"query": "{ items { count } }"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
