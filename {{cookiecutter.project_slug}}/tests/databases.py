"""Test databases built by running the migrations: one migrated template, a fresh copy per test.

The server comes from `DATABASE_URL` (environment, then `.env`): SQLite tests use files in a
temporary directory, PostgreSQL tests create databases beside the configured one and drop them.
"""

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import make_url

from app.cli.database import (
    create_database,
    drop_database,
    is_postgres,
    run_migrations,
    with_database,
)


class SQLiteDatabases:
    """A migrated SQLite file, copied for each test: copying is faster than migrating."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.db"

    def create_template(self) -> None:
        run_migrations(f"sqlite+aiosqlite:///{self.template}")

    def drop_template(self) -> None:
        self.template.unlink(missing_ok=True)

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
        self.server_url = server_url
        self.prefix = f"{make_url(server_url).database}_test_{uuid.uuid4().hex[:8]}"
        self.template = with_database(server_url, f"{self.prefix}_template")

    def _new_url(self) -> str:
        return with_database(self.server_url, f"{self.prefix}_{uuid.uuid4().hex[:8]}")

    def create_template(self) -> None:
        asyncio.run(create_database(self.template))
        run_migrations(self.template)

    def drop_template(self) -> None:
        asyncio.run(drop_database(self.template))

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        url = self._new_url()
        await create_database(url, template=make_url(self.template).database)
        try:
            yield url
        finally:
            await drop_database(url)


TestDatabases = SQLiteDatabases | PostgresDatabases


def databases_for(configured_url: str, scratch: Path) -> TestDatabases:
    if is_postgres(configured_url):
        return PostgresDatabases(configured_url)
    return SQLiteDatabases(scratch)
