"""Every route that serves a tenant-scoped model goes through a `TenantRepository`.

A route serves a model when its response model holds the model or its `<Model>...Public`
schemas, or when its endpoint's code names the model. Going through the tenant scope means a
`TenantRepository` subclass is among the route's dependencies: only then are its queries
confined to the caller's tenant (seed 000: every endpoint must filter by tenant).
"""

import inspect
import re
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlmodel import SQLModel

from app.cli.checks.routes import Route
from app.cli.checks.schemas import table_models
from app.models.tenant import TenantScoped
from app.repositories.scoped import TenantRepository


def tenant_scoped_models() -> list[type[SQLModel]]:
    return [model for model in table_models() if issubclass(model, TenantScoped)]


def types_in(annotation: Any, seen: set[type] | None = None) -> set[type]:
    """Every class in a type, through generics, unions and the fields of pydantic models."""
    seen = set() if seen is None else seen
    for argument in typing.get_args(annotation):
        types_in(argument, seen)
    if isinstance(annotation, type) and annotation not in seen:
        seen.add(annotation)
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                types_in(field.annotation, seen)
    return seen


def served_models(route: Route, models: Iterable[type[SQLModel]]) -> list[type[SQLModel]]:
    names = {cls.__name__ for cls in types_in(route.response_model)}
    try:
        source = inspect.getsource(route.endpoint)
    except OSError:  # no source file to read (e.g. a route built in a REPL)
        source = ""
    return [
        model
        for model in models
        if any(name == model.__name__ or name.startswith(model.__name__) for name in names)
        or re.search(rf"\b{model.__name__}\b", source)
    ]


def goes_through_tenant_scope(route: Route) -> bool:
    return any(
        isinstance(call, type) and issubclass(call, TenantRepository) for call in route.dependencies
    )


def tenancy_problems(
    routes: Iterable[Route], models: Iterable[type[SQLModel]] | None = None
) -> list[str]:
    scoped = tenant_scoped_models() if models is None else list(models)
    problems = []
    for route in routes:
        served = served_models(route, scoped)
        if served and not goes_through_tenant_scope(route):
            names = " and ".join(model.__name__ for model in served)
            problems.append(
                f"{route} serves {names}, which is tenant-scoped, without a TenantRepository, "
                f"so it can reach other tenants' rows — take the {served[0].__name__}Repository "
                f"dependency instead of querying the session"
            )
    return problems
