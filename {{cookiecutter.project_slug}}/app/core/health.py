"""Liveness and readiness, for load balancers and orchestrators."""

from fastapi import APIRouter, Request
{%- if cookiecutter.__redis == "yes" %}
from redis.asyncio import Redis
from redis.exceptions import RedisError
{%- endif %}
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import ServiceUnavailable, error_responses
from app.core.migration_heads import current_heads, newest_revisions
from app.schemas.health import HealthStatus, ReadinessStatus

router = APIRouter(prefix="/health", tags=["health"])


@router.get(
    "/",
    response_model=HealthStatus,
    summary="The process is up",
    operation_id="health",
)
async def health() -> HealthStatus:
    return HealthStatus()


@router.get(
    "/ready/",
    response_model=ReadinessStatus,
    summary="The database is reachable and migrated{% if cookiecutter.__redis == "yes" %} (and Redis, when configured){% endif %}",
    operation_id="readiness",
    responses=error_responses(ServiceUnavailable),
)
async def readiness(request: Request) -> ReadinessStatus:
    engine: AsyncEngine = request.app.state.engine
    try:
        async with engine.connect() as connection:
            applied = await connection.run_sync(current_heads)
    except (SQLAlchemyError, OSError) as error:
        raise ServiceUnavailable("The database is not reachable.") from error
    if applied != newest_revisions():
        # Serving now would answer 500s for tables or columns the database lacks.
        raise ServiceUnavailable(
            "The database is not at the newest migration: run `alembic upgrade head`."
        )
{%- if cookiecutter.__redis == "yes" %}
    redis: Redis | None = request.app.state.redis
    if redis is not None:
        try:
            await redis.ping()
        except (RedisError, OSError) as error:
            raise ServiceUnavailable("Redis is not reachable.") from error
{%- endif %}
    return ReadinessStatus()
