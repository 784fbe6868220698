"""Every GraphQL type of a resource shows its model's columns: no column left out, no field
without a column, and null where the column holds NULL."""

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from sqlalchemy import Table
from sqlmodel import SQLModel
from strawberry.types import has_object_definition
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

from toolkit.checks import shown
from toolkit.checks.schemas import is_secret


def resource_modules() -> list[ModuleType]:
    from app.graphql.schema import resource_modules  # here: it imports every resource

    return resource_modules()


def type_of(module: ModuleType, model: type[SQLModel]) -> type | None:
    """`<Model>Type`, the resource's GraphQL type, in its module."""
    candidate = getattr(module, f"{model.__name__}Type", None)
    return candidate if isinstance(candidate, type) and has_object_definition(candidate) else None


def graphql_problems(modules: Iterable[ModuleType] | None = None) -> list[str]:
    problems: list[str] = []
    for module in resource_modules() if modules is None else modules:
        model: type[SQLModel] = module.REPOSITORY.model
        where = shown(getattr(module, "__file__", None) or module.__name__)
        graphql_type = type_of(module, model)
        if graphql_type is None:
            problems.append(
                f"{where} has no GraphQL type {model.__name__}Type for model {model.__name__} "
                f"— define it there, with a field for each column"
            )
            continue
        problems += type_problems(model, graphql_type, where)
    return problems


def shown_columns(table: Table) -> list[str]:
    """The columns a response shows: not those the server keeps to itself, nor secrets."""
    return [
        column.name
        for column in table.columns
        if not column.info.get("server_set") and not is_secret(column)
    ]


def type_problems(model: type[SQLModel], graphql_type: type, where: str) -> list[str]:
    table: Table = model.__table__  # type: ignore[attr-defined]
    name = graphql_type.__name__
    fields: dict[str, StrawberryField] = {
        field.python_name: field
        for field in graphql_type.__strawberry_definition__.fields  # type: ignore[attr-defined]
        if field.base_resolver is None  # a resolved field (a relation, a sum) is no column
    }
    problems = [
        f"{name} has no field for column `{table.name}.{column}`, so GraphQL cannot show it "
        f"— add `{column}: ...` to {name} in {where} (and to its from_row)"
        for column in shown_columns(table)
        if column not in fields
    ]
    for field_name, field in fields.items():
        column = table.columns.get(field_name)
        if column is None:
            problems.append(
                f"{name}.{field_name} is not a column of model {model.__name__} (table "
                f"`{table.name}`) — remove it from {name} in {where}, or add it to the model "
                f'and `make migration m="add {model.__name__.lower()} {field_name}"`'
            )
        elif is_secret(column):
            problems.append(
                f"{name}.{field_name} exposes the secret column `{table.name}.{field_name}` "
                f"in queries — remove it from {name} in {where}"
            )
        elif column.nullable and not is_optional(field.type):
            problems.append(
                f"{name}.{field_name} does not accept null but column `{table.name}."
                f"{field_name}` is nullable, so a row with NULL would fail the query — make it "
                f"`... | None` in {where}"
            )
    return problems


def is_optional(field_type: Any) -> bool:
    return isinstance(field_type, StrawberryOptional)
