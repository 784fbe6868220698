"""The GraphQL endpoint, as routes of the API: signed in, with the API's error answers."""

from http import HTTPStatus
from typing import Any

from cross_web import HTTPException
from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

from app.core.config import Settings
from app.core.errors import BadRequest, NotFound
from app.graphql.context import context_getter
from app.graphql.schema import build_schema, repositories
from app.routers import new_api_router

GRAPHQL_PREFIX = "/api/graphql"
SUMMARIES = {
    "GET": ("Run a GraphQL query sent in the query string", "graphql_query_get"),
    "POST": ("Run a GraphQL query", "graphql_query"),
}


class GraphQLResponse(BaseModel):
    """What a query answers (for the API's documentation: Strawberry writes the response)."""

    data: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None


class StrawberryRouter(GraphQLRouter[Any, None]):
    async def run(  # type: ignore[override]
        self, request: Request, context: Any = UNSET, root_value: None = UNSET
    ) -> Response:
        """A request Strawberry cannot read (a body that is not JSON, no query, a mutation in a
        GET; GraphiQL asked for where it is not served) is answered in the service's error
        shape, not in plain text."""
        try:
            return await super().run(request, context, root_value)
        except HTTPException as error:
            if error.status_code == HTTPStatus.NOT_FOUND:
                raise NotFound("GraphiQL is not served here: send a query.") from None
            raise BadRequest(error.reason) from None


def graphql_router(settings: Settings) -> APIRouter:
    """Strawberry's GET and POST routes, added to a router that carries what every API route
    carries (sign-in first of all). Queries only: its WebSocket route for subscriptions is left
    out. The GraphiQL page is served where the OpenAPI docs are."""
    strawberry_router = StrawberryRouter(
        build_schema(),
        path="/",
        context_getter=context_getter(repositories()),
        graphql_ide="graphiql" if settings.docs_enabled else None,
    )
    router = new_api_router()
    for route in strawberry_router.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods or ():
            summary, operation_id = SUMMARIES[method]
            router.add_api_route(
                route.path,
                route.endpoint,
                methods=[method],
                response_model=GraphQLResponse,
                summary=summary,
                operation_id=operation_id,
                tags=["graphql"],
            )
    return router
