"""The schema: every resource module's `Query`, merged, behind a depth and a token limit."""

import importlib
import pkgutil
from functools import cache, partial
from types import ModuleType
from typing import Any

import strawberry
from strawberry.extensions import MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from app.graphql import resources
from app.repositories.base import BaseRepository

# What a query may ask for is bounded by its text, refused before it runs: nesting deeper than
# MAX_DEPTH, or more than MAX_TOKENS tokens (names, braces, arguments), is an error.
MAX_DEPTH = 10
MAX_TOKENS = 2000


def resource_modules() -> list[ModuleType]:
    """Every module of `app.graphql.resources`, by name."""
    found = sorted(pkgutil.iter_modules(resources.__path__), key=lambda module: module.name)
    return [importlib.import_module(f"{resources.__name__}.{module.name}") for module in found]


def repositories() -> list[type[BaseRepository[Any]]]:
    return [module.REPOSITORY for module in resource_modules()]


@cache
def build_schema() -> strawberry.Schema:
    """Built once per process: a schema is the same for every app made from these modules."""
    query = merge_types("Query", tuple(module.Query for module in resource_modules()))
    return strawberry.Schema(
        query=query,
        extensions=[
            partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        ],
    )
