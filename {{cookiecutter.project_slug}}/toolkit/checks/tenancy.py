"""Every route that serves a tenant-scoped model goes through that model's `TenantRepository`.

A route serves a model when its response model holds the model, `<Model>Public` or
`<Models>Public` (named after its table: `invoice_lines`, InvoiceLinesPublic), or when its
endpoint's code names the model. Going through the tenant scope means the route takes a
`TenantRepository` of that very model: only then are its queries confined to the caller's
tenant. (The session guard in `app.tenancy` filters ORM queries in any case; this check keeps
routes on the path that says so.)
"""

import inspect
import re
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlmodel import SQLModel

from app.tenancy import TenantRepository, tenant_scoped_models
from toolkit.checks.routes import Route


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
    lowercase_names = {name.lower() for name in names}

    def named(model: type[SQLModel]) -> bool:
        name = model.__name__
        plural_public = f"{str(model.__tablename__).replace('_', '')}public"
        return bool(names & {name, f"{name}Public"}) or plural_public in lowercase_names

    try:
        source = inspect.getsource(route.endpoint)
    except OSError:  # no source file to read (e.g. a route built in a REPL)
        source = ""
    return [
        model for model in models if named(model) or re.search(rf"\b{model.__name__}\b", source)
    ]


def taken_types(call: Any) -> set[Any]:
    """The classes a dependency (or endpoint) declares as its parameters' types."""
    try:
        parameters = inspect.signature(call).parameters.values()
    except ValueError:  # a callable without a signature to read
        return set()
    return {
        typing.get_args(parameter.annotation)[0]
        if typing.get_origin(parameter.annotation) is typing.Annotated
        else parameter.annotation
        for parameter in parameters
    }


def goes_through_tenant_scope(route: Route, model: type[SQLModel]) -> bool:
    """Some callable of the route's dependency tree is, or takes, that model's repository."""
    candidates = set(route.dependencies)
    for call in route.dependencies:
        candidates |= taken_types(call)
    return any(
        isinstance(candidate, type)
        and issubclass(candidate, TenantRepository)
        and candidate.model is model
        for candidate in candidates
    )


def tenancy_problems(
    routes: Iterable[Route], models: Iterable[type[SQLModel]] | None = None
) -> list[str]:
    scoped: list[type[SQLModel]] = list(tenant_scoped_models() if models is None else models)
    problems = []
    for route in routes:
        for model in served_models(route, scoped):
            if not goes_through_tenant_scope(route, model):
                problems.append(
                    f"{route} serves {model.__name__}, which is tenant-scoped, without its "
                    f"TenantRepository — take the {model.__name__}Repository dependency "
                    f"instead of querying the session"
                )
    return problems
