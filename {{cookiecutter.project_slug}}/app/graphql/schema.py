"""The schema: every resource module's `Query`, merged, behind a depth and a token limit."""

import importlib
import pkgutil
from functools import cache, partial
from types import ModuleType
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from app.graphql import resources
from app.graphql.lists import InvalidArgument
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


def is_server_error(error: GraphQLError) -> bool:
    """A resolver that failed. The client's own mistakes (a query that does not parse or
    validate, an argument out of bounds) are answered with what was wrong, as REST's 422s are."""
    return error.original_error is not None and not isinstance(
        error.original_error, InvalidArgument
    )


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log a server's errors, as REST logs its 500s; a client's are only answered."""
        super().process_errors([error for error in errors if is_server_error(error)])


@cache
def build_schema() -> strawberry.Schema:
    """Built once per process: a schema is the same for every app made from these modules."""
    query = merge_types("Query", tuple(module.Query for module in resource_modules()))
    return Schema(
        query=query,
        extensions=[
            partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
            # A server error's message could tell a caller about the service's inside.
            partial(MaskErrors, should_mask_error=is_server_error, error_message="Internal error."),
        ],
    )
