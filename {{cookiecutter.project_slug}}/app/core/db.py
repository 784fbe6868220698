"""The async engine, and the one session per request that commits or rolls back as a whole."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """Build the engine for the configured database: a pool sized for one worker's concurrent
    requests, whose connections are checked before use (a restarted database or a dropped
    idle connection costs a reconnect, not a 500); SQLite gets its pragmas."""
    if settings.database_url.startswith("sqlite"):
        engine = create_async_engine(settings.database_url, echo=settings.database_echo)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    return create_async_engine(
        settings.database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_overflow,
        pool_pre_ping=True,
    )


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


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One unit of work per request: commit when the route succeeds, roll back when it raises."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


# scope="function": commit before the response is sent, so the client learns of a failed commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
