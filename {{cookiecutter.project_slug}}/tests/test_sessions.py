"""One session per request: a GET or HEAD reads, any other method is one unit of work."""

from contextlib import AbstractAsyncContextManager
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import Connection
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.db import request_session
from app.models.item import Item


def request_of(app: FastAPI, method: str) -> Request:
    return Request({"type": "http", "method": method, "app": app, "headers": []})


def session_of(app: FastAPI, method: str) -> AbstractAsyncContextManager[AsyncSession]:
    """The session a request with this method gets."""
    return request_session(request_of(app, method))


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


async def test_every_dependency_of_a_request_gets_its_one_session(app: FastAPI) -> None:
    request = request_of(app, "POST")
    async with request_session(request) as opened, request_session(request) as asked_again:
        assert asked_again is opened

    async with request_session(request) as after_it_closed:
        assert after_it_closed is not opened
