"""Batched reads for DataLoaders: the rows of many ids in one statement, within the scope of
the repository that asks."""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select

from app.repositories.base import BaseRepository

# One statement per repository, built once and run with each batch's ids (as base.py does).
_statements: dict[type[BaseRepository[Any]], Select[Any]] = {}


def rows_by_id_statement(repository: type[BaseRepository[Any]]) -> Select[Any]:
    if repository not in _statements:
        table = repository.model.__table__
        ids = table.columns["id"].in_(bindparam("ids", expanding=True))
        _statements[repository] = select(*table.columns).where(*repository.scope(), ids)
    return _statements[repository]


async def rows_by_id(
    repository: BaseRepository[Any], ids: Sequence[uuid.UUID]
) -> list[Mapping[str, Any] | None]:
    """The row of each id, in the order asked; None for an id out of scope or not there."""
    connection = await repository.session.connection()
    values = {**repository.scope_values(), "ids": list(ids)}
    result = await connection.execute(rows_by_id_statement(type(repository)), values)
    found = {row["id"]: row for row in result.mappings()}
    return [found.get(record_id) for record_id in ids]
