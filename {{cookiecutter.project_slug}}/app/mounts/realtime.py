"""The WebSocket routes, under the API's prefix: they sign their sockets in themselves."""

from fastapi import FastAPI

from app.core.config import Settings
from app.realtime import routes
from app.routers import API_PREFIX


def mount(app: FastAPI, settings: Settings) -> None:
    app.include_router(routes.router, prefix=API_PREFIX)
