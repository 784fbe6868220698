"""Liveness, readiness, and what every response carries: a request id."""

import re

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
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


async def test_readiness_is_503_when_the_database_is_behind(
    app: FastAPI, client: AsyncClient
) -> None:
    async with app.state.engine.begin() as connection:
        newest = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        await connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    try:
        response = await client.get("/health/ready/")
    finally:
        async with app.state.engine.begin() as connection:
            restore = text("UPDATE alembic_version SET version_num = :newest")
            await connection.execute(restore, {"newest": newest})

    assert response.status_code == 503
    assert "not at the newest migration" in response.json()["detail"]


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


async def test_a_request_id_is_made_when_none_is_sent(client: AsyncClient) -> None:
    first = await client.get("/health/")
    second = await client.get("/health/")

    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("line\nbreak", id="newline"),
        pytest.param("x" * 65, id="too-long"),
        pytest.param('quo"te', id="quote"),
        pytest.param("", id="empty"),
    ],
)
async def test_an_unsafe_client_request_id_is_replaced(client: AsyncClient, sent: str) -> None:
    response = await client.get("/health/", headers={"X-Request-ID": sent})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


async def test_a_bug_is_a_json_500_with_the_request_id(app: FastAPI, client: AsyncClient) -> None:
    @app.get("/boom/")
    async def boom() -> None:
        raise RuntimeError("a bug")

    response = await client.get("/boom/", headers={"X-Request-ID": "trace-me"})

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal error.", "code": "internal_error"}
    assert response.headers["X-Request-ID"] == "trace-me"
