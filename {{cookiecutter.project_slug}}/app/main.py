"""The application factory. Run it with `uvicorn app.main:create_app --factory`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
{%- if cookiecutter.auth == "jwt" %}
from redis.asyncio import Redis
{%- endif %}

{% if cookiecutter.auth == "jwt" -%}
from app.auth import routes as sign_in
{% endif -%}
from app.core import health
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import register_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import RequestGuardMiddleware, RequestLoggingMiddleware
from app.routers import api_router

API_PREFIX = "/api/v1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
{%- if cookiecutter.auth == "jwt" %}
    """The engine (and the Redis client, when REDIS_URL is set) live exactly as long as the
    application serves requests."""
    settings: Settings = app.state.settings
    engine = create_engine(settings)
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    try:
        yield
    finally:
        if app.state.redis is not None:
            await app.state.redis.aclose()
        await engine.dispose()
{%- else %}
    """The engine lives exactly as long as the application serves requests."""
    engine = create_engine(app.state.settings)
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    try:
        yield
    finally:
        await engine.dispose()
{%- endif %}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title=settings.project_name,
        lifespan=lifespan,
        # A 307 to the slashed path drops the Authorization header: answer 404 instead.
        redirect_slashes=False,
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url="/redoc" if settings.docs_enabled else None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
    )
    app.state.settings = settings
    register_error_handlers(app)
    app.add_middleware(RequestGuardMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestLoggingMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.include_router(health.router)
{%- if cookiecutter.auth == "jwt" %}
    app.include_router(sign_in.router, prefix=API_PREFIX)  # the only routes open to anyone
{%- endif %}
    app.include_router(api_router(), prefix=API_PREFIX)
    return app
