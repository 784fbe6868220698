"""Every error, whatever raised it, reaches the client as the same JSON shape."""

from httpx import AsyncClient


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
