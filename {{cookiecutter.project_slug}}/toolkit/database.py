"""Databases the tools and tests make for themselves: migrated, scratch, created and dropped."""

import asyncio
import tempfile
import uuid
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import make_url, pool, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.config import PROJECT_ROOT
from toolkit import CommandError


def alembic_config(database_url: str | None = None) -> Config:
    """Alembic's config for this service; `database_url` overrides the settings' database."""
    config = Config(PROJECT_ROOT / "alembic.ini", cmd_opts=Namespace(quiet=True))
    if database_url is not None:
        config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def run_migrations(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite database (a relative one is in the service's directory, where the
    tools run); None for PostgreSQL or an in-memory database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return PROJECT_ROOT / url.database


def current_revision(database_url: str) -> str | None:
    """The revision a database is at: None before its first migration, or when SQLite has no
    file yet (reading it would make one)."""
    file = sqlite_file(database_url)
    if file is not None:
        if not file.exists():
            return None
        absolute = make_url(database_url).set(database=str(file))
        database_url = absolute.render_as_string(hide_password=False)

    async def read() -> str | None:
        engine = create_async_engine(database_url, poolclass=pool.NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_revision()
                )
        finally:
            await engine.dispose()

    try:
        return asyncio.run(read())
    except (OSError, SQLAlchemyError) as error:
        raise CommandError(f"cannot read the dev database's revision: {error}") from error


def with_database(server_url: str, database: str) -> str:
    """The URL of another database on the same server."""
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


async def _on_server(server_url: str, statement: str) -> None:
    """CREATE and DROP DATABASE cannot run in a transaction: run them in autocommit."""
    engine = create_async_engine(
        with_database(server_url, "postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def create_database(database_url: str) -> None:
    name = make_url(database_url).database
    await _on_server(database_url, f'CREATE DATABASE "{name}"')


async def drop_database(database_url: str) -> None:
    name = make_url(database_url).database
    await _on_server(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def database_exists(database_url: str) -> bool:
    name = make_url(database_url).database
    engine = create_async_engine(with_database(database_url, "postgres"))
    try:
        async with engine.connect() as connection:
            found = await connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            return found.first() is not None
    finally:
        await engine.dispose()


@contextmanager
def scratch_database(configured_url: str, purpose: str = "scratch") -> Iterator[str]:
    """An empty database of the configured kind, thrown away afterwards.

    SQLite: a file in a temporary directory. PostgreSQL: a new database on the same server.
    """
    if not is_postgres(configured_url):
        with tempfile.TemporaryDirectory(prefix=f"{purpose}-") as directory:
            yield f"sqlite+aiosqlite:///{directory}/{purpose}.db"
        return
    server = make_url(configured_url)
    url = with_database(configured_url, f"{server.database}_{purpose}_{uuid.uuid4().hex[:8]}")
    try:
        asyncio.run(create_database(url))
    except (OSError, SQLAlchemyError) as error:
        raise CommandError(
            f"cannot make a scratch database on PostgreSQL at {server.host}:{server.port or 5432} "
            f"(is it running, and may {server.username} create databases?): {error}"
        ) from error
    try:
        yield url
    finally:
        asyncio.run(drop_database(url))


def ensure_database(database_url: str) -> None:
    """Create a PostgreSQL database unless it exists; SQLite creates its file on first use."""
    if is_postgres(database_url) and not asyncio.run(database_exists(database_url)):
        asyncio.run(create_database(database_url))
