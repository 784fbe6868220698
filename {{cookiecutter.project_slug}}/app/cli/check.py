"""`python -m app.cli check`: prove the models, migrations, schemas and routes agree.

Each check is a function that returns one sentence per problem, naming the model, column or
file and the command that fixes it. The inputs of each check default to the service's own
(its models, schemas, app and revision files), so tests can hand it small throwaway ones.

`check()` runs them in order and exits 1 when any found a problem. Model modules are looked
at first, before anything else imports them, to see exactly what Alembic's env.py sees.
"""

import asyncio
import importlib
import pkgutil
import types
import typing
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKeyConstraint,
    Index,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    make_url,
    pool,
)
from sqlalchemy import Enum as SQLEnum
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import SQLModel
from sqlmodel.main import default_registry

from app.cli import CommandError
from app.cli.database import alembic_config, is_postgres, run_migrations, scratch_database
from app.cli.revisions import ACKNOWLEDGEMENT, read_revision, revision_files
from app.core.config import PROJECT_ROOT, Settings, get_settings

MODELS_PACKAGE = "app.models"
SCHEMAS_PACKAGE = "app.schemas"
SECRET_WORDS = ("password", "secret")
UNIONS = (typing.Union, types.UnionType)


def _shown(path: str | Path) -> str:
    """A path relative to the service when it is inside it."""
    path = Path(path)
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def _migration_fix(message: str) -> str:
    return f'run `make migration m="{message}"` and review the revision it writes'


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- Every model module is imported where Alembic sees it ----------------------------------------


@dataclass(frozen=True)
class UnimportedTable:
    """A table defined in a model module that the models package never imports."""

    table: str
    module: str
    class_name: str | None
    package_init: str

    def describe(self) -> str:
        module = importlib.import_module(self.module)
        file = _shown(module.__file__ or self.module)
        if self.class_name:
            owner = f"model {self.class_name} (table `{self.table}`)"
            line = f"from {self.module} import {self.class_name}"
        else:
            owner = f"table `{self.table}`"
            line = f"import {self.module}  # noqa: F401"
        return (
            f"{owner} in {file} is invisible to Alembic: {_shown(self.package_init)} never "
            f"imports it — add `{line}` there"
        )


def _mapped_classes() -> dict[str, type[Any]]:
    """Table name → the SQLModel table class mapped to it."""
    classes: dict[str, type[Any]] = {}
    for mapper in default_registry.mappers:
        if isinstance(mapper.local_table, Table):
            classes[mapper.local_table.name] = mapper.class_
    return classes


def unimported_model_tables(
    package: str = MODELS_PACKAGE, metadata: MetaData = SQLModel.metadata
) -> list[UnimportedTable]:
    """Tables that appear on `metadata` only once every module of `package` is imported.

    Alembic's env.py imports the package alone, so autogenerate never sees those tables.
    """
    root = importlib.import_module(package)
    init = root.__file__ or package
    seen = set(metadata.tables)
    found: list[UnimportedTable] = []
    for module_info in sorted(pkgutil.iter_modules(root.__path__), key=lambda info: info.name):
        name = f"{package}.{module_info.name}"
        importlib.import_module(name)
        classes = _mapped_classes()
        for table in sorted(set(metadata.tables) - seen):
            mapped = classes.get(table)
            module = mapped.__module__ if mapped is not None else name
            class_name = mapped.__name__ if mapped is not None else None
            found.append(UnimportedTable(table, module, class_name, init))
        seen = set(metadata.tables)
    return found


def model_import_problems(unimported: Iterable[UnimportedTable]) -> list[str]:
    return [table.describe() for table in unimported]


# --- Exactly one head ----------------------------------------------------------------------------


def head_problems(script: ScriptDirectory | None = None) -> list[str]:
    script = script or ScriptDirectory.from_config(alembic_config())
    heads = sorted(script.get_heads())
    if len(heads) == 1:
        return []
    if not heads:
        return [f"there is no migration yet — {_migration_fix('initial schema')}"]
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
        for table, mapped in _mapped_classes().items()
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
            f"{', '.join(str(part) for part in diff[1:])}) — {_migration_fix(kind)}"
        )

    def table_diff(self, kind: str, table: Table) -> str:
        if kind == "add_table":
            return (
                f"{self.owner(table.name)} has no migration that creates its table — "
                f"{_migration_fix(f'add {self.noun(table.name)}')}"
            )
        return (
            f"the migrations create table `{table.name}` but no model defines it — restore its "
            f"model, or {_migration_fix(f'drop {table.name}')}"
        )

    def column_diff(self, kind: str, table: str, column: Column[Any]) -> str:
        noun = self.noun(table)
        if kind == "add_column":
            return (
                f"{self.owner(table)} has column `{column.name}` that no migration creates — "
                f"{_migration_fix(f'add {noun} {column.name}')}"
            )
        model = self.models.get(table)
        lacking = f"model {model} has" if model else "the models have"
        return (
            f"the migrations create column `{column.name}` on table `{table}` but {lacking} "
            f"no such field — put it back, or "
            f"{_migration_fix(f'drop {noun} {column.name}')}"
        )

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
            f"{_migration_fix(f'change {self.noun(table)} {column} {what}')}"
        )

    def index_diff(self, kind: str, index: Index) -> str:
        kind_name = "unique index" if index.unique else "index"
        name = f"{kind_name} `{index.name}` ({_columns_of(index)})"
        return self.declared_diff(kind, _table_name(index), name, f"index {index.name}")

    def constraint_diff(self, kind: str, constraint: Any) -> str:
        if isinstance(constraint, ForeignKeyConstraint):
            targets = ", ".join(element.target_fullname for element in constraint.elements)
            columns = ", ".join(constraint.column_keys)
            name = f"foreign key `{constraint.name}` ({columns} → {targets})"
        else:
            columns = _columns_of(constraint)
            name = f"{_constraint_kind(constraint)} `{constraint.name}` ({columns})"
        return self.declared_diff(kind, _table_name(constraint), name, str(constraint.name))

    def declared_diff(self, kind: str, table: str, name: str, slug: str) -> str:
        """An index or constraint that only the models, or only the migrations, declare."""
        noun = self.noun(table)
        if kind.startswith("add_"):
            return (
                f"{self.owner(table)} declares {name} that no migration creates — "
                f"{_migration_fix(f'add {noun} {slug}')}"
            )
        model = self.models.get(table)
        declarer = f"model {model} does" if model else "the models do"
        return (
            f"the migrations create {name} on table `{table}` but {declarer} not declare it — "
            f"declare it, or {_migration_fix(f'drop {noun} {slug}')}"
        )


# --- The schemas match the models ----------------------------------------------------------------

SchemaKind = Literal["Create", "Update", "Public"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("Create", "Update", "Public")


def table_models() -> list[type[SQLModel]]:
    """Every SQLModel table class imported so far, by name."""
    classes = [mapper.class_ for mapper in default_registry.mappers]
    return sorted(
        (cls for cls in classes if isinstance(cls, type) and issubclass(cls, SQLModel)),
        key=lambda cls: cls.__name__,
    )


def schemas_of(model: type[SQLModel]) -> dict[SchemaKind, type[BaseModel]]:
    """`<Name>Create`, `<Name>Update`, `<Name>Public` in the schemas module named like the
    model's module (app.models.item → app.schemas.item); the ones that exist."""
    module_name = f"{SCHEMAS_PACKAGE}.{model.__module__.rpartition('.')[2]}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return {}
        raise
    found: dict[SchemaKind, type[BaseModel]] = {}
    for kind in SCHEMA_KINDS:
        schema = getattr(module, f"{model.__name__}{kind}", None)
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            found[kind] = schema
    return found


def schema_problems(
    models: Iterable[type[SQLModel]] | None = None,
    find_schemas: Callable[[type[SQLModel]], Mapping[SchemaKind, type[BaseModel]]] = schemas_of,
) -> list[str]:
    problems: list[str] = []
    for model in table_models() if models is None else models:
        problems += model_schema_problems(model, find_schemas(model))
    return problems


def model_schema_problems(
    model: type[SQLModel], schemas: Mapping[SchemaKind, type[BaseModel]]
) -> list[str]:
    table: Table = model.__table__  # type: ignore[attr-defined]
    # A schema may nest a related model (`owner: UserPublic`): a relationship, not a column.
    relationships = set(sa_inspect(model).relationships.keys())
    problems: list[str] = []
    for kind, schema in schemas.items():
        for name, field in schema.model_fields.items():
            if name not in relationships:
                problems += _field_problems(model, table, kind, schema, name, field)
    create, update, public = (schemas.get(kind) for kind in SCHEMA_KINDS)
    if update is not None:
        problems += _update_problems(update)
    if public is not None:
        problems += _secret_problems(table, public)
    if create is not None:
        problems += _missing_create_fields(table, create)
    return problems


def is_secret(column: Column[Any]) -> bool:
    return bool(column.info.get("secret")) or any(word in column.name for word in SECRET_WORDS)


def _bare(annotation: Any) -> Any:
    """`Annotated[datetime, ...]` is a datetime. Pydantic strips the outer Annotated of a field,
    not one inside a union (`UTCDateTime | None`)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> tuple[list[Any], bool]:
    """The types of an annotation with None taken out, and whether None was one of them."""
    annotation = _bare(annotation)
    if annotation is None or annotation is type(None):
        return [], True
    if typing.get_origin(annotation) in UNIONS:
        members = [_bare(member) for member in typing.get_args(annotation)]
        kept = [member for member in members if member is not type(None)]
        return kept, len(kept) < len(members)
    return [annotation], annotation is Any


def _type_text(members: list[Any]) -> str:
    return " | ".join(
        member.__name__ if isinstance(member, type) else str(member).replace("typing.", "")
        for member in members
    )


def _compatible(schema_type: Any, model_type: Any) -> bool:
    """Whether every value of `schema_type` is a value of `model_type`."""
    schema_type, model_type = _bare(schema_type), _bare(model_type)
    if schema_type == model_type or Any in (schema_type, model_type):
        return True
    schema_origin, model_origin = typing.get_origin(schema_type), typing.get_origin(model_type)
    if schema_origin is Literal:
        model_class = model_origin or model_type
        return isinstance(model_class, type) and all(
            isinstance(value, model_class) for value in typing.get_args(schema_type)
        )
    if schema_origin is not None or model_origin is not None:
        schema_args, model_args = typing.get_args(schema_type), typing.get_args(model_type)
        return (
            schema_origin == model_origin
            and len(schema_args) == len(model_args)
            and all(_compatible(*pair) for pair in zip(schema_args, model_args, strict=True))
        )
    return (
        isinstance(schema_type, type)
        and isinstance(model_type, type)
        and issubclass(schema_type, model_type)
    )


def _storage_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type the database stores: AutoString and other decorators wrap String & co."""
    while isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    return column_type


def _constraint(field: FieldInfo, name: str) -> Any:
    """A constraint pydantic keeps in `FieldInfo.metadata` (MaxLen, decimal limits...), or in
    an Annotated member of a union (`Annotated[str, MaxLen(20)] | None`)."""
    annotation = field.annotation
    members = typing.get_args(annotation) if typing.get_origin(annotation) in UNIONS else ()
    nested = [
        item
        for member in members
        if typing.get_origin(member) is typing.Annotated
        for item in typing.get_args(member)[1:]
    ]
    for item in [*field.metadata, *nested]:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def _field_problems(
    model: type[SQLModel],
    table: Table,
    kind: SchemaKind,
    schema: type[BaseModel],
    name: str,
    field: FieldInfo,
) -> list[str]:
    where = f"{schema.__name__}.{name}"
    column = table.columns.get(name)
    if column is None:
        return [
            f"{where} is not a column of model {model.__name__} (table `{table.name}`) — "
            f"remove it from {schema.__name__}, or add it to the model and "
            f'`make migration m="add {model.__name__.lower()} {name}"`'
        ]
    problems: list[str] = []
    at = f"column `{table.name}.{name}`"
    schema_types, accepts_none = _members(field.annotation)
    model_field = model.model_fields.get(name)
    if model_field is not None:
        model_types, _ = _members(model_field.annotation)
        if not all(any(_compatible(s, m) for m in model_types) for s in schema_types):
            problems.append(
                f"{where} is {_type_text(schema_types)} but model {model.__name__}.{name} is "
                f"{_type_text(model_types)} — give {where} the model's type"
            )
    # A Public schema need not repeat a limit; if it states one, it must be the column's.
    lenient = kind == "Public"
    column_type = _storage_type(column.type)
    if isinstance(column_type, String) and not isinstance(column_type, SQLEnum):
        length, max_length = column_type.length, _constraint(field, "max_length")
        if length is not None and max_length != length and not (lenient and max_length is None):
            allows = f"max_length={max_length}" if max_length else "no max_length"
            problems.append(
                f"{where} has {allows} but {at} holds {length} characters — "
                f"set max_length={length} on {where}"
            )
    if isinstance(column_type, Numeric) and not isinstance(column_type, Float):
        expected = (column_type.precision, column_type.scale)
        stated = (_constraint(field, "max_digits"), _constraint(field, "decimal_places"))
        if expected[0] is not None and stated != expected and not (lenient and stated[0] is None):
            problems.append(
                f"{where} has max_digits={stated[0]}, decimal_places={stated[1]} but {at} is "
                f"Numeric({expected[0]}, {expected[1]}) — set max_digits={expected[0]}, "
                f"decimal_places={expected[1]} on {where}"
            )
    if kind == "Create" and accepts_none and not column.nullable:
        problems.append(
            f"{where} accepts null but {at} is NOT NULL, so the insert would fail — "
            f"remove `| None` from {where}"
        )
    if kind == "Public" and not accepts_none and column.nullable:
        problems.append(
            f"{where} does not accept null but {at} is nullable, so a row with NULL would fail "
            f"the response — make it `{_type_text(schema_types)} | None`"
        )
    return problems


def _update_problems(update: type[BaseModel]) -> list[str]:
    return [
        f"{update.__name__}.{name} must be optional in a partial update — write "
        f"`{name}: {_type_text(_members(field.annotation)[0])} | None = None`"
        for name, field in update.model_fields.items()
        if field.is_required() or field.default is not None
    ]


def _secret_problems(table: Table, public: type[BaseModel]) -> list[str]:
    return [
        f"{public.__name__}.{name} exposes the secret column `{table.name}.{name}` in "
        f"responses — remove it from {public.__name__}"
        for name in public.model_fields
        if (column := table.columns.get(name)) is not None and is_secret(column)
    ]


def _missing_create_fields(table: Table, create: type[BaseModel]) -> list[str]:
    return [
        f"{create.__name__} has no field for `{table.name}.{column.name}`, which is NOT NULL "
        f"with no default, so every insert would fail — add the field to {create.__name__} "
        f"or give the column a default"
        for column in table.columns
        if not column.nullable
        and not column.primary_key
        and column.default is None
        and column.server_default is None
        and column.name not in create.model_fields
    ]


def _schema_count(models: Iterable[type[SQLModel]]) -> int:
    return sum(len(schemas_of(model)) for model in models)


# --- Every route follows the conventions ---------------------------------------------------------


def service_app() -> FastAPI:
    """The app as `create_app` builds it, without starting it (no database is opened)."""
    from app.main import create_app  # here, not above: it imports every router and model

    return create_app(Settings(environment="test", database_url="sqlite+aiosqlite://"))


@dataclass(frozen=True)
class Route:
    """An API route as the app serves it: full path, and the options its decorator set."""

    path: str
    methods: frozenset[str]
    endpoint: Callable[..., Any]
    summary: str | None
    operation_id: str | None
    response_model: Any
    status_code: int | None

    def __str__(self) -> str:
        module = importlib.import_module(self.endpoint.__module__)
        file = _shown(module.__file__) if module.__file__ else self.endpoint.__module__
        methods = ",".join(sorted(self.methods))
        return f"route {methods} {self.path} ({self.endpoint.__name__} in {file})"


def api_routes(app: FastAPI) -> list[Route]:
    """Every APIRoute, with the prefixes and options of the routers that include it."""
    routes: list[Route] = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            routes.append(
                Route(
                    path=context.path or "",
                    methods=frozenset(context.methods or ()),
                    endpoint=context.endpoint or context.original_route.endpoint,
                    summary=context.summary,
                    operation_id=context.operation_id,
                    response_model=context.response_model,
                    status_code=context.status_code,
                )
            )
    return routes


def route_problems(app: FastAPI | None = None) -> list[str]:
    problems: list[str] = []
    routes = api_routes(app or service_app())
    for route in routes:
        if not route.path.endswith("/"):
            problems.append(
                f"{route} must end with `/` (a redirect to it drops the Authorization header) "
                f'— write "{route.path}/"'
            )
        if route.response_model is None and route.status_code != 204:
            problems.append(
                f"{route} has no response_model — set response_model=..., or "
                f"status_code=204 when it returns nothing"
            )
        if not (route.summary or "").strip():
            problems.append(f'{route} has no summary — add summary="..." to its decorator')
        if not route.operation_id:
            problems.append(
                f'{route} has no operation_id — add operation_id="{route.endpoint.__name__}"'
            )
    counts = Counter(route.operation_id for route in routes if route.operation_id)
    for operation_id, count in sorted(counts.items()):
        if count > 1:
            users = "; ".join(str(route) for route in routes if route.operation_id == operation_id)
            problems.append(
                f"operation_id `{operation_id}` is used by {count} routes ({users}) — "
                f"give each its own"
            )
    return problems


# --- Every revision that loses data says so ------------------------------------------------------


def data_loss_problems(paths: Iterable[Path] | None = None) -> list[str]:
    problems: list[str] = []
    for path in revision_files() if paths is None else paths:
        for operation in read_revision(path).unacknowledged_data_loss:
            problems.append(
                f"{_shown(path)}: {operation.name} {operation.target} {operation.data_loss} — "
                f'if that is intended, add `{ACKNOWLEDGEMENT} = "<why>"` beside `revision` '
                f"in that file; otherwise change the migration"
            )
    return problems


# --- All of them ---------------------------------------------------------------------------------


def check() -> int:
    """Run every check, print one line per problem (or one line saying what passed); 0 or 1.

    Model imports come first, while only `app.models` has imported them; the tables they miss
    are left out of the migration comparison, so each problem is reported once.
    """
    unimported = unimported_model_tables()  # first: nothing else may have imported a model yet
    problems = model_import_problems(unimported)
    problems += head_problems()
    problems += migration_problems(excluded_tables={table.table for table in unimported})
    problems += schema_problems()
    app = service_app()
    problems += route_problems(app)
    revisions = revision_files()
    problems += data_loss_problems(revisions)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    models = table_models()
    print(
        f"check passed: {_plural(len(SQLModel.metadata.tables), 'table')} and "
        f"{_plural(len(revisions), 'revision')} agree (one head); "
        f"{_plural(_schema_count(models), 'schema')} match {_plural(len(models), 'model')}; "
        f"{_plural(len(api_routes(app)), 'route')} follow the conventions; "
        f"no unacknowledged data loss"
    )
    return 0
