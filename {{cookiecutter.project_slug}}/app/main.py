"""The application factory. Run it with `uvicorn app.main:create_app --factory`."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

{% if cookiecutter.auth == "jwt" -%}
from app.auth import routes as sign_in
{% endif -%}
from app.core import health
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_read_sessionmaker, create_sessionmaker
from app.core.errors import register_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import RequestGuardMiddleware, RequestLoggingMiddleware
from app.core.observability import start_error_reporting, start_tracing
from app.core.openapi import document_text_rule
{%- if cookiecutter.__redis == "yes" %}
from app.core.redis import connect_redis
{%- endif %}
from app.mounts import mounts
from app.routers import {{ "API_PREFIX, " if cookiecutter.auth == "jwt" }}include_api


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Logging is set up, and connections live, exactly as long as the application serves
    requests: building an app (to read its routes, or its API document) changes nothing else."""
    settings: Settings = app.state.settings
    configure_logging(settings.log_level, json_lines=settings.log_json)
    async with AsyncExitStack() as connections:
        engine = create_engine(settings)
        connections.push_async_callback(engine.dispose)
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.read_sessionmaker = create_read_sessionmaker(engine)
{%- if cookiecutter.__redis == "yes" %}
        app.state.redis = await connections.enter_async_context(connect_redis(settings))
{%- endif %}
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    start_error_reporting(settings)
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
    document_text_rule(app)
    app.add_middleware(RequestGuardMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestLoggingMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    start_tracing(app, settings)
    # FastAPI tries routes in the order they were added, and each one tried costs time: the
    # health check (polled all day, and cheap) comes first, signing in (rare) after the API.
    app.include_router(health.router)
    include_api(app)
{%- if cookiecutter.auth == "jwt" %}
    app.include_router(sign_in.router, prefix=API_PREFIX)  # the only routes open to anyone
{%- endif %}
    for mount in mounts():
        mount(app, settings)
    return app
