from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.exc import OperationalError


class UnreachableEngine:
    """Stands in for the engine of a database that refuses connections."""

    def connect(self) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


async def test_health_reports_healthy(client: AsyncClient) -> None:
    response = await client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}


async def test_readiness_checks_the_database(client: AsyncClient) -> None:
    response = await client.get("/health/ready/")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readiness_is_503_when_the_database_is_unreachable(
    app: FastAPI, client: AsyncClient
) -> None:
    app.state.engine, working = UnreachableEngine(), app.state.engine
    try:
        response = await client.get("/health/ready/")
    finally:
        app.state.engine = working

    assert response.status_code == 503
    assert response.json() == {
        "detail": "The database is not reachable.",
        "code": "service_unavailable",
    }


async def test_every_response_carries_a_request_id(client: AsyncClient) -> None:
    response = await client.get("/health/", headers={"X-Request-ID": "abc123"})

    assert response.headers["X-Request-ID"] == "abc123"
