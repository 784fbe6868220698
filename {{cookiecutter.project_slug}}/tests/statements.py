"""Counting the SQL statements a piece of work sends, for tests that hold a cost fixed."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

# What signing a request in costs: the user and the token's revocation, in one statement.
SIGN_IN = {{ 0 if cookiecutter.auth == "none" else 1 }}


@contextmanager
def counted_statements(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*arguments: Any) -> None:
        statements.append(arguments[2])

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
