"""The dev database is at the newest revision: after `make migration`, the API would otherwise
answer 500s for columns the database does not have yet."""

import asyncio
from contextlib import suppress
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.config import get_settings
from app.core.migration_heads import current_heads, newest_revisions


def dev_database_problems(database_url: str | None = None) -> list[str]:
    """One sentence when the database in DATABASE_URL is reachable and behind the newest
    revision; nothing when it is up to date, or not there at all (a fresh clone, CI)."""
    url = database_url or get_settings().database_url
    if not database_exists(url):
        return []
    applied = reachable_revisions(url)
    if applied is None:
        return []
    newest = newest_revisions()
    if applied == newest:
        return []
    at = ", ".join(sorted(applied)) or "no revision"
    return [
        f"the dev database ({make_url(url).render_as_string()}) is at {at}, not at the newest "
        f"revision {', '.join(sorted(newest))}: run `make migrate`"
    ]


def database_exists(url: str) -> bool:
    """A SQLite file that is not there would be created by connecting: it does not count."""
    database = make_url(url)
    if database.get_backend_name() != "sqlite":
        return True
    return database.database not in (None, "", ":memory:") and Path(database.database).is_file()


def reachable_revisions(url: str) -> set[str] | None:
    """The revisions the database is at; None when it cannot be reached (nothing to compare)."""
    with suppress(SQLAlchemyError, OSError):
        return asyncio.run(applied_revisions(url))
    return None


async def applied_revisions(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(current_heads)
    finally:
        await engine.dispose()
