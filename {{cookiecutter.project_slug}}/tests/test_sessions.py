"""One session per request: a GET or HEAD reads, any other method is one unit of work."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import Connection
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.db import get_session
from app.models.item import Item


@asynccontextmanager
async def session_of(app: FastAPI, method: str) -> AsyncIterator[AsyncSession]:
    """The session a request with this method gets."""
    request = Request({"type": "http", "method": method, "app": app, "headers": []})
    async with asynccontextmanager(get_session)(request) as session:
        yield session


async def connection_of(session: AsyncSession) -> Connection:
    connection = (await session.connection()).sync_connection
    assert connection is not None
    return connection


@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_a_read_cannot_write(app: FastAPI, method: str) -> None:
    # Columns the server sets are left out: the flush is refused before they matter.
    columns: dict[str, Any] = {"title": "Lamp", "price": Decimal("1.00")}
    async with session_of(app, method) as session:
        session.add(Item(**columns))

        with pytest.raises(RuntimeError, match="cannot write"):
            await session.flush()


async def test_a_read_spends_no_round_trip_on_begin_and_commit(app: FastAPI) -> None:
    # PostgreSQL reads in autocommit; SQLite's driver begins no transaction for a read anyway.
    autocommit = app.state.engine.dialect.name == "postgresql"
    async with session_of(app, "GET") as session:
        connection = await connection_of(session)

        isolation = connection.get_execution_options().get("isolation_level")
        assert isolation == ("AUTOCOMMIT" if autocommit else None)


async def test_a_write_is_one_unit_of_work(app: FastAPI) -> None:
    async with session_of(app, "POST") as session:
        connection = await connection_of(session)

        assert "isolation_level" not in connection.get_execution_options()
        assert connection.in_transaction()
