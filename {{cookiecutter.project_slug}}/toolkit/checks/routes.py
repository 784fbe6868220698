"""Every route follows the conventions: trailing slash, response model, summary, id."""

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.core.config import Settings
from toolkit.checks import shown


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
    dependencies: frozenset[Callable[..., Any]]  # every callable FastAPI resolves for it

    def __str__(self) -> str:
        module = importlib.import_module(self.endpoint.__module__)
        file = shown(module.__file__) if module.__file__ else self.endpoint.__module__
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
                    dependencies=dependency_calls(context.dependant),
                )
            )
    return routes


def dependency_calls(dependant: Dependant) -> frozenset[Callable[..., Any]]:
    """The callables of a route's dependency tree (classes included), its own endpoint too."""
    calls: set[Callable[..., Any]] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        if current.call is not None:
            calls.add(current.call)
        pending.extend(current.dependencies)
    return frozenset(calls)


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
