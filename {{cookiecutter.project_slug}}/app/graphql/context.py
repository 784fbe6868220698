"""What the resolvers of one request share: its repositories and its DataLoaders."""

import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Annotated, Any, TypeVar, cast

import strawberry
from fastapi import Depends
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from app.graphql.loaders import rows_by_id
from app.repositories.base import BaseRepository

RepositoryT = TypeVar("RepositoryT", bound=BaseRepository[Any])
Row = Mapping[str, Any]


class Context(BaseContext):
    """The request's repositories, one of each, and a DataLoader per repository, made on first
    use: every `load` a query makes while it resolves one level is one statement."""

    def __init__(self, repositories: Iterable[BaseRepository[Any]]) -> None:
        super().__init__()
        self._repositories = {type(repository): repository for repository in repositories}
        self._loaders: dict[type[BaseRepository[Any]], DataLoader[uuid.UUID, Row | None]] = {}

    def repository(self, kind: type[RepositoryT]) -> RepositoryT:
        return cast(RepositoryT, self._repositories[kind])

    def loader(self, kind: type[BaseRepository[Any]]) -> DataLoader[uuid.UUID, Row | None]:
        """Rows of `kind`'s table by id, within its scope: None for an id it cannot see."""
        if kind not in self._loaders:
            self._loaders[kind] = DataLoader(load_fn=partial(rows_by_id, self.repository(kind)))
        return self._loaders[kind]


Info = strawberry.Info[Context, None]


def context_getter(
    repositories: Sequence[type[BaseRepository[Any]]],
) -> Callable[..., Awaitable[Context]]:
    """The dependency that makes a request's Context. Each repository comes from its own
    `provider()`, the dependency its REST routes take: GraphQL reads through the same scope."""

    async def get_context(**provided: BaseRepository[Any]) -> Context:
        return Context(provided.values())

    # One keyword parameter per repository, for FastAPI to resolve as it would for a route.
    get_context.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                f"repository_{index}",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[repository, Depends(repository.provider())],
            )
            for index, repository in enumerate(repositories)
        ]
    )
    return get_context
