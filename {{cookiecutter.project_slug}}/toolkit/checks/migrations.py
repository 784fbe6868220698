"""The migrations build what the models describe, from one head."""

import asyncio
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    make_url,
    pool,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel
from sqlmodel.main import default_registry

from app.core.config import get_settings
from toolkit import CommandError
from toolkit.checks import migration_fix
from toolkit.database import alembic_config, is_postgres, run_migrations, scratch_database


def mapped_classes() -> dict[str, type[Any]]:
    """Table name → the SQLModel table class mapped to it."""
    classes: dict[str, type[Any]] = {}
    for mapper in default_registry.mappers:
        if isinstance(mapper.local_table, Table):
            classes[mapper.local_table.name] = mapper.class_
    return classes


def head_problems(script: ScriptDirectory | None = None) -> list[str]:
    script = script or ScriptDirectory.from_config(alembic_config())
    heads = sorted(script.get_heads())
    if len(heads) == 1:
        return []
    if not heads:
        return [f"there is no migration yet — {migration_fix('initial schema')}"]
    named = []
    for head in heads:
        revision = script.get_revision(head)
        named.append(f"{head} in {Path(revision.path).name}" if revision else head)
    return [
        f"the migrations have {len(heads)} heads ({', '.join(named)}) — join them with "
        f'`python -m alembic merge -m "merge heads" heads`'
    ]


# --- The migrations build what the models describe -----------------------------------------------


def model_names(metadata: MetaData = SQLModel.metadata) -> dict[str, str]:
    """Table name → model class name, for the tables of `metadata` that have a model."""
    return {
        table: mapped.__name__
        for table, mapped in mapped_classes().items()
        if table in metadata.tables
    }


def compare_schema(
    connection: Connection,
    metadata: MetaData = SQLModel.metadata,
    excluded_tables: Collection[str] = (),
) -> list[Any]:
    """Alembic's diffs between the database on `connection` and `metadata`, as autogenerate sees
    them (types compared); `excluded_tables` are left out on both sides."""

    def include(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        return not (kind == "table" and name in excluded_tables)

    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "render_as_batch": connection.dialect.name == "sqlite",
            "include_object": include,
            "target_metadata": metadata,
        },
    )
    diffs: list[Any] = compare_metadata(context, metadata)
    return diffs


def migrated_schema_diffs(
    database_url: str, metadata: MetaData, excluded_tables: Collection[str]
) -> list[Any]:
    async def compare() -> list[Any]:
        engine = create_async_engine(database_url, poolclass=pool.NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(compare_schema, metadata, excluded_tables)
        finally:
            await engine.dispose()

    return asyncio.run(compare())


def migration_problems(
    database_url: str | None = None,
    metadata: MetaData = SQLModel.metadata,
    excluded_tables: Collection[str] = (),
) -> list[str]:
    """Migrate a scratch database of the configured kind, then compare it with the models."""
    configured = database_url or get_settings().database_url
    with ExitStack() as stack:
        try:
            url = stack.enter_context(scratch_database(configured, purpose="check"))
        except (OSError, SQLAlchemyError) as error:
            server = make_url(configured).render_as_string(hide_password=True)
            raise CommandError(
                f"cannot make a scratch database beside {server}: {error}"
            ) from error
        try:
            run_migrations(url, "heads")
        except Exception as error:
            reason = (str(error).strip().splitlines() or [""])[0]
            return [
                f"the migrations fail on an empty {'PostgreSQL' if is_postgres(url) else 'SQLite'}"
                f" database ({type(error).__name__}: {reason}) — fix the revision that raises; "
                f"`python -m alembic upgrade head` shows the whole traceback"
            ]
        diffs = migrated_schema_diffs(url, metadata, excluded_tables)
    return describe_diffs(diffs, model_names(metadata))


def _flatten(diffs: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """compare_metadata groups the modify_* diffs of one column in a list."""
    for diff in diffs:
        if isinstance(diff, list):
            yield from diff
        else:
            yield diff


def describe_diffs(diffs: Iterable[Any], models: Mapping[str, str] | None = None) -> list[str]:
    """One sentence per difference between the migrated database and the models."""
    namer = _Namer(models or {})
    return [namer.describe(diff) for diff in _flatten(diffs)]


def _columns_of(item: Index | UniqueConstraint | PrimaryKeyConstraint | CheckConstraint) -> str:
    if isinstance(item, Index):
        names = [str(getattr(expression, "name", expression)) for expression in item.expressions]
    else:
        names = [column.name for column in item.columns]
    return ", ".join(names)


def _constraint_kind(constraint: Any) -> str:
    if isinstance(constraint, UniqueConstraint):
        return "unique constraint"
    if isinstance(constraint, PrimaryKeyConstraint):
        return "primary key"
    if isinstance(constraint, CheckConstraint):
        return "check constraint"
    return "constraint"


def _table_name(item: Any) -> str:
    table = getattr(item, "table", None)
    return str(getattr(table, "name", "?"))


@dataclass(frozen=True)
class _Namer:
    """Turns alembic's diff tuples into sentences that name models rather than tables."""

    models: Mapping[str, str]

    def owner(self, table: str) -> str:
        model = self.models.get(table)
        return f"model {model} (table `{table}`)" if model else f"table `{table}`"

    def noun(self, table: str) -> str:
        model = self.models.get(table)
        return model.lower() if model else table

    def describe(self, diff: tuple[Any, ...]) -> str:
        kind = diff[0]
        if kind in ("add_table", "remove_table"):
            return self.table_diff(kind, diff[1])
        if kind in ("add_column", "remove_column"):
            return self.column_diff(kind, diff[2], diff[3])
        if kind.startswith("modify_"):
            _, _schema, table, column, _existing, old, new = diff
            return self.modify_diff(kind, table, column, old, new)
        if kind in ("add_index", "remove_index"):
            return self.index_diff(kind, diff[1])
        if kind in ("add_constraint", "remove_constraint", "add_fk", "remove_fk"):
            return self.constraint_diff(kind, diff[1])
        return (
            f"the migrations and the models differ ({kind}: "
            f"{', '.join(str(part) for part in diff[1:])}) — {migration_fix(kind)}"
        )

    def table_diff(self, kind: str, table: Table) -> str:
        if kind == "add_table":
            return (
                f"{self.owner(table.name)} has no migration that creates its table — "
                f"{migration_fix(f'add {self.noun(table.name)}')}"
            )
        return (
            f"the migrations create table `{table.name}` but no model defines it — restore its "
            f"model, or {migration_fix(f'drop {table.name}')}"
        )

    def column_diff(self, kind: str, table: str, column: Column[Any]) -> str:
        return self.one_sided(kind, table, f"column `{column.name}`", column.name)

    def modify_diff(self, kind: str, table: str, column: str, old: Any, new: Any) -> str:
        what = kind.removeprefix("modify_")
        if kind == "modify_nullable":
            in_model = "nullable" if new else "NOT NULL"
            in_migrations = "nullable" if old else "NOT NULL"
        elif kind == "modify_type":
            in_model, in_migrations = repr(new), repr(old)
        else:
            in_model, in_migrations = f"{what} {new!r}", f"{what} {old!r}"
        return (
            f"{self.owner(table)} column `{column}` is {in_model} in the model but "
            f"{in_migrations} in the migrations — "
            f"{migration_fix(f'change {self.noun(table)} {column} {what}')}"
        )

    def index_diff(self, kind: str, index: Index) -> str:
        kind_name = "unique index" if index.unique else "index"
        name = f"{kind_name} `{index.name}` ({_columns_of(index)})"
        return self.one_sided(kind, _table_name(index), name, f"index {index.name}")

    def constraint_diff(self, kind: str, constraint: Any) -> str:
        if isinstance(constraint, ForeignKeyConstraint):
            targets = ", ".join(element.target_fullname for element in constraint.elements)
            columns = ", ".join(constraint.column_keys)
            name = f"foreign key `{constraint.name}` ({columns} → {targets})"
        else:
            columns = _columns_of(constraint)
            name = f"{_constraint_kind(constraint)} `{constraint.name}` ({columns})"
        return self.one_sided(kind, _table_name(constraint), name, str(constraint.name))

    def one_sided(self, kind: str, table: str, name: str, slug: str) -> str:
        """A column, index or constraint that only the models, or only the migrations, have."""
        noun = self.noun(table)
        if kind.startswith("add_"):
            return (
                f"{self.owner(table)} has {name} that no migration creates — "
                f"{migration_fix(f'add {noun} {slug}')}"
            )
        model = self.models.get(table)
        lacking = f"model {model} does" if model else "the models do"
        return (
            f"the migrations create {name} on table `{table}` but {lacking} not have it — "
            f"put it back, or {migration_fix(f'drop {noun} {slug}')}"
        )
