"""Every `<Name>Create`/`Update`/`Public` matches its model's columns, and nothing a client
sends on create is left out of the update, the list's filters or the test factory."""

import ast
import importlib
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
)
from sqlalchemy import Enum as SQLEnum
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import SQLModel
from sqlmodel.main import default_registry

from app.core.config import PROJECT_ROOT
from toolkit.checks import SCHEMAS_PACKAGE, SECRET_WORDS, UNIONS

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
    found: dict[SchemaKind, type[BaseModel]] = {}
    for kind in SCHEMA_KINDS:
        schema = _schema_named(model, kind)
        if schema is not None:
            found[kind] = schema
    return found


def list_params_of(model: type[SQLModel]) -> type[BaseModel] | None:
    """`<Name>ListParams`, the query of the model's list route, when it has one."""
    return _schema_named(model, "ListParams")


def _schema_named(model: type[SQLModel], suffix: str) -> type[BaseModel] | None:
    module_name = f"{SCHEMAS_PACKAGE}.{model.__module__.rpartition('.')[2]}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise
    schema = getattr(module, f"{model.__name__}{suffix}", None)
    return schema if isinstance(schema, type) and issubclass(schema, BaseModel) else None


def schema_problems(
    models: Iterable[type[SQLModel]] | None = None,
    find_schemas: Callable[[type[SQLModel]], Mapping[SchemaKind, type[BaseModel]]] = schemas_of,
) -> list[str]:
    problems: list[str] = []
    for model in table_models() if models is None else models:
        schemas = find_schemas(model)
        problems += model_schema_problems(model, schemas)
        create = schemas.get("Create")
        if create is not None:
            problems += filter_problems(model, create, list_params_of(model))
            problems += factory_problems(model, create, factory_payload_keys(model))
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
    problems += _server_set_problems(table, schemas)
    create, update, public = (schemas.get(kind) for kind in SCHEMA_KINDS)
    if update is not None:
        problems += _update_problems(update)
    if public is not None:
        problems += _secret_problems(table, public)
    if create is not None:
        problems += _missing_create_fields(table, create)
    if create is not None and update is not None:
        problems += _missing_update_fields(table, create, update)
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


def _server_set_problems(table: Table, schemas: Mapping[SchemaKind, type[BaseModel]]) -> list[str]:
    """A column the server sets (`info={"server_set": True}`) is never the client's to send."""
    return [
        f"{schema.__name__}.{column.name} lets clients set `{table.name}.{column.name}`, which "
        f"the server sets — remove the field from {schema.__name__}"
        for kind, schema in schemas.items()
        if kind != "Public"
        for column in table.columns
        if column.info.get("server_set") and column.name in schema.model_fields
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
        and not column.info.get("server_set")  # the server fills it in, not the client
        and column.name not in create.model_fields
    ]


# How a column says it is left out on purpose: never changed after create, never a filter.
IMMUTABLE = 'info={"immutable": True}'
UNFILTERED = 'info={"unfiltered": True}'


def _sent_columns(table: Table, create: type[BaseModel]) -> list[Column[Any]]:
    """The columns a client sends on create."""
    return [table.columns[name] for name in create.model_fields if name in table.columns]


def _missing_update_fields(
    table: Table, create: type[BaseModel], update: type[BaseModel]
) -> list[str]:
    """A field sent on create but missing from the update could never be corrected."""
    return [
        f"{update.__name__} has no field {column.name}, which {create.__name__} accepts, so "
        f"`{table.name}.{column.name}` could never be changed — add `{column.name}: ... | None "
        f"= None` to {update.__name__}, or mark the column `{IMMUTABLE}`"
        for column in _sent_columns(table, create)
        if column.name not in update.model_fields and not column.info.get("immutable")
    ]


def is_filterable(column: Column[Any]) -> bool:
    """The columns `add-resource` offers as exact-match list filters: short text, whole
    numbers, booleans, dates and references."""
    storage = _storage_type(column.type)
    if isinstance(storage, String):
        return storage.length is not None and not isinstance(storage, SQLEnum)
    return isinstance(storage, Integer | Boolean | Date | Uuid)


def filter_problems(
    model: type[SQLModel], create: type[BaseModel], list_params: type[BaseModel] | None
) -> list[str]:
    if list_params is None:
        return []
    table: Table = model.__table__  # type: ignore[attr-defined]
    return [
        f"{list_params.__name__} has no filter {column.name}, so the list cannot be filtered "
        f"by `{table.name}.{column.name}` — add `{column.name}: ... | None = None` to "
        f"{list_params.__name__}, or mark the column `{UNFILTERED}`"
        for column in _sent_columns(table, create)
        if is_filterable(column)
        and column.name not in list_params.model_fields
        and not column.info.get("unfiltered")
    ]


def factory_payload_keys(model: type[SQLModel]) -> set[str] | None:
    """The keys of the create body `tests/factories/<module>.py` builds, read from the source of
    `<module>_payload` (dict keys, and `payload["key"] = ...`); None when there is no factory."""
    module = model.__module__.rpartition(".")[2]
    factory = PROJECT_ROOT / "tests" / "factories" / f"{module}.py"
    if not factory.is_file():
        return None
    functions = [
        node
        for node in ast.walk(ast.parse(factory.read_text()))
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
        and node.name == f"{module}_payload"
    ]
    keys: list[ast.expr | None] = []
    for node in (inner for function in functions for inner in ast.walk(function)):
        if isinstance(node, ast.Dict):
            keys += node.keys
        elif isinstance(node, ast.Assign):
            keys += [target.slice for target in node.targets if isinstance(target, ast.Subscript)]
    return {
        key.value for key in keys if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def factory_problems(
    model: type[SQLModel], create: type[BaseModel], payload_keys: set[str] | None
) -> list[str]:
    """A field the factory leaves out is a field no generated test ever stores."""
    if payload_keys is None:
        return []
    module = model.__module__.rpartition(".")[2]
    return [
        f"tests/factories/{module}.py sends no {name}, so no test stores "
        f"`{model.__tablename__}.{name}` — add it to `{module}_payload`"
        for name in create.model_fields
        if name not in payload_keys
    ]


def schema_count(models: Iterable[type[SQLModel]]) -> int:
    return sum(len(schemas_of(model)) for model in models)
