"""The GraphQL endpoint, at its own prefix, signed in as the API's routes are."""

from fastapi import FastAPI

from app.core.config import Settings
from app.graphql.router import GRAPHQL_PREFIX, graphql_router


def mount(app: FastAPI, settings: Settings) -> None:
    app.include_router(graphql_router(settings), prefix=GRAPHQL_PREFIX)
