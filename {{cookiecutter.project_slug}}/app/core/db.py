"""The async engine, and the one session per request: a write commits or rolls back as a whole; a
read runs without a transaction of its own."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.requests import HTTPConnection
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings

CHECKED_IN_AT = "checked_in_at"
READ_ONLY = "read_only"
SESSION_KEY = "app.session"  # the request's open session, in its ASGI scope
READ_METHODS = frozenset({"GET", "HEAD"})
IDLE_BEFORE_PING_SECONDS = 5.0


def create_engine(settings: Settings) -> AsyncEngine:
    """Build the engine for the configured database: a pool sized for one worker's concurrent
    requests, whose idle connections are checked before use (a restarted database or a dropped
    connection costs a reconnect, not a 500); SQLite gets its pragmas."""
    if settings.database_url.startswith("sqlite"):
        engine = create_async_engine(settings.database_url, echo=settings.database_echo)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    engine = create_async_engine(
        settings.database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_overflow,
    )
    event.listen(engine.sync_engine.pool, "checkin", _note_checkin)
    event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle)
    return engine


def _note_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """A connection that sat idle may have been dropped (a database restart, a firewall's idle
    timeout): ping it first, and let the pool replace it if it is gone. A busy connection was
    alive a moment ago: pinging it too (`pool_pre_ping`) would cost a round trip per request."""
    checked_in_at = record.info.get(CHECKED_IN_AT)
    if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_BEFORE_PING_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        raise DisconnectionError("the idle connection is gone") from error


def _configure_sqlite(dbapi_connection: Any, _connection_record: Any) -> None:
    """SQLite ignores `ondelete="CASCADE"` and every foreign key unless asked per connection;
    WAL lets readers work while one writer writes, and a writer waits its turn (busy timeout)
    instead of failing with "database is locked"."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions keep loaded attributes after commit so responses can be built from them."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reads: each statement runs in its own implicit transaction, so a read skips
    the round trips of `BEGIN` and `COMMIT`. A read that needs one snapshot across statements
    asks for it in one statement (a page and its total are one), and a flush is refused."""
    if engine.dialect.name == "sqlite":
        bind = engine  # its driver starts no transaction for a read anyway
    else:
        bind = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(bind, class_=AsyncSession, info={READ_ONLY: True})


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_a_read(session: Session, *_: Any) -> None:
    if session.info.get(READ_ONLY):
        raise RuntimeError("a GET or HEAD request cannot write: make the route a POST, PUT, ...")


@asynccontextmanager
async def request_session(request: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """The request's one session. The first dependency to ask opens it: a GET or HEAD reads
    (`create_read_sessionmaker`), any other method is one unit of work, committed when the route
    succeeds and rolled back when it raises. Every later one (sign-in, a repository, a route's
    own `SessionDep`) gets that same session, and so sees what the others have done."""
    opened: AsyncSession | None = request.scope.get(SESSION_KEY)
    if opened is not None:
        yield opened
        return
    reads = request.scope.get("method") in READ_METHODS
    state = request.app.state
    sessionmaker: async_sessionmaker[AsyncSession] = (
        state.read_sessionmaker if reads else state.sessionmaker
    )
    async with sessionmaker() as session:
        request.scope[SESSION_KEY] = session
        try:
            yield session
            if not reads:
                await session.commit()
        except Exception:
            if not reads:
                await session.rollback()
            raise
        finally:
            del request.scope[SESSION_KEY]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request_session(request) as session:
        yield session


# scope="function": commit before the response is sent, so the client learns of a failed commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
