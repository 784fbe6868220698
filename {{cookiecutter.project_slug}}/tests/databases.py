"""The suite's database: built once per session by running the migrations, emptied after every
test that used it, and dropped at the end.

The server comes from `DATABASE_URL` (environment, then `.env`): SQLite tests use a migrated
file in a scratch directory; PostgreSQL tests a migrated database beside the configured one.
Deleting a test's few rows takes about a millisecond, where copying a migrated file per test
(SQLite) or cloning a database (`CREATE DATABASE … TEMPLATE`, a third of a second) did not let
one app and its connections serve the whole suite.
"""

import asyncio
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from toolkit.database import (
    create_database,
    drop_database,
    is_postgres,
    run_migrations,
    with_database,
)


class SQLiteDatabase:
    def __init__(self, directory: Path) -> None:
        self.file = directory / "migrated.db"
        self.url = f"sqlite+aiosqlite:///{self.file}"

    def migrate(self) -> None:
        run_migrations(self.url)

    def drop(self) -> None:
        self.file.unlink(missing_ok=True)


class PostgresDatabase:
    def __init__(self, server_url: str) -> None:
        name = f"{make_url(server_url).database}_test_{uuid.uuid4().hex[:8]}"
        self.url = with_database(server_url, name)

    def migrate(self) -> None:
        asyncio.run(create_database(self.url))
        run_migrations(self.url)

    def drop(self) -> None:
        asyncio.run(drop_database(self.url))


SuiteDatabase = SQLiteDatabase | PostgresDatabase


def suite_database_for(configured_url: str, scratch: Path) -> SuiteDatabase:
    if is_postgres(configured_url):
        return PostgresDatabase(configured_url)
    return SQLiteDatabase(scratch)


async def empty_every_table(engine: AsyncEngine) -> None:
    """Delete every row a test left, children first, in one transaction sent as one script: a
    single round trip, where a statement at a time took most of a small test's time. (`TRUNCATE`
    is slower on small tables: it replaces their files.)"""
    quote = engine.dialect.identifier_preparer.format_table
    children_first = reversed(SQLModel.metadata.sorted_tables)
    deletes = [f"DELETE FROM {quote(table)};" for table in children_first]
    script = " ".join(["BEGIN;", *deletes, "COMMIT;"])
    async with engine.connect() as connection:
        driver: Any = (await connection.get_raw_connection()).driver_connection
        # aiosqlite and asyncpg both run a script of several statements, under these names.
        run_script = driver.executescript if engine.dialect.name == "sqlite" else driver.execute
        await run_script(script)
