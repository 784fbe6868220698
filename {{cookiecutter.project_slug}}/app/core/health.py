"""Liveness and readiness, for load balancers and orchestrators."""

from fastapi import APIRouter, Request
{%- if cookiecutter.auth == "jwt" %}
from redis.asyncio import Redis
from redis.exceptions import RedisError
{%- endif %}
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import ServiceUnavailable, error_responses
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
    summary="The service can reach its database{% if cookiecutter.auth == "jwt" %} (and Redis, when configured){% endif %}",
    operation_id="readiness",
    responses=error_responses(ServiceUnavailable),
)
async def readiness(request: Request) -> ReadinessStatus:
    engine: AsyncEngine = request.app.state.engine
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as error:
        raise ServiceUnavailable("The database is not reachable.") from error
{%- if cookiecutter.auth == "jwt" %}
    redis: Redis | None = request.app.state.redis
    if redis is not None:
        try:
            await redis.ping()
        except (RedisError, OSError) as error:
            raise ServiceUnavailable(
                "Redis, which holds revoked tokens, is not reachable."
            ) from error
{%- endif %}
    return ReadinessStatus()
