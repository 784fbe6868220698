"""The migration heads: the ones `alembic/versions` ships and the ones a database is at.

The readiness route compares them, and so does the toolkit's check of the dev database, which
imports this module alone rather than the routes and clients of `app.core.health`.
"""

from functools import cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from app.core.config import PROJECT_ROOT

VERSION_TABLE = "alembic_version"


@cache
def newest_revisions() -> set[str]:
    """The head revisions of `alembic/versions`, read once: they change only with a deploy."""
    config = Config(PROJECT_ROOT / "alembic.ini")
    return set(ScriptDirectory.from_config(config).get_heads())


def current_heads(connection: Connection) -> set[str]:
    """The revisions the database says it is at (none before its first migration)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
