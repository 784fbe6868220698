"""Test databases built by running the migrations: one migrated template, a fresh copy per test.

The server comes from `DATABASE_URL` (environment, then `.env`): SQLite tests use files in a
temporary directory, PostgreSQL tests create databases beside the configured one and drop them.
"""

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(PROJECT_ROOT / "alembic.ini")
    if database_url is not None:
        config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def run_migrations(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


class SQLiteDatabases:
    """A migrated SQLite file, copied for each test: copying is faster than migrating."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.db"

    def create_template(self) -> None:
        run_migrations(f"sqlite+aiosqlite:///{self.template}")

    def drop_template(self) -> None:
        self.template.unlink(missing_ok=True)

    @contextmanager
    def empty(self) -> Iterator[str]:
        path = self.directory / f"empty-{uuid.uuid4().hex}.db"
        try:
            yield f"sqlite+aiosqlite:///{path}"
        finally:
            path.unlink(missing_ok=True)

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        copy = self.directory / f"test-{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, copy)
        try:
            yield f"sqlite+aiosqlite:///{copy}"
        finally:
            copy.unlink(missing_ok=True)


class PostgresDatabases:
    """A migrated template database on the configured server, cloned for each test."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url)
        self.prefix = f"{self.server.database}_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"

    def url_of(self, database: str) -> str:
        return self.server.set(database=database).render_as_string(hide_password=False)

    async def _execute(self, statement: str) -> None:
        """CREATE and DROP DATABASE cannot run in a transaction, so run them in autocommit."""
        engine = create_async_engine(self.url_of("postgres"), isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    def create_template(self) -> None:
        asyncio.run(self._execute(f'CREATE DATABASE "{self.template}"'))
        run_migrations(self.url_of(self.template))

    def drop_template(self) -> None:
        asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))

    @contextmanager
    def empty(self) -> Iterator[str]:
        name = f"{self.prefix}_empty_{uuid.uuid4().hex[:8]}"
        asyncio.run(self._execute(f'CREATE DATABASE "{name}"'))
        try:
            yield self.url_of(name)
        finally:
            asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        await self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        try:
            yield self.url_of(name)
        finally:
            await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


TestDatabases = SQLiteDatabases | PostgresDatabases


def databases_for(configured_url: str, scratch: Path) -> TestDatabases:
    if make_url(configured_url).get_backend_name() == "postgresql":
        return PostgresDatabases(configured_url)
    return SQLiteDatabases(scratch)
