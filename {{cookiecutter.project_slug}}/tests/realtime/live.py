"""An app served by Starlette's TestClient, lifespan included, in an event loop of its own: its
sockets, and any async call (an HTTP client, a factory), run in that loop."""

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import AsyncClient
from starlette.testclient import WebSocketTestSession

from app.core.config import Settings
from app.main import create_app
from tests.clients import client_for

CHANGES = "/api/v1/ws/changes/"

T = TypeVar("T")


class LiveApp:
    def __init__(self, client: TestClient, app: FastAPI) -> None:
        self.client = client
        self.app = app

    def connect(
        self, headers: Mapping[str, str], subprotocols: list[str] | None = None
    ) -> WebSocketTestSession:
        """A socket on /api/v1/ws/changes/ (use it in `with`), signed in with `headers`."""
        return self.client.websocket_connect(CHANGES, subprotocols, headers=dict(headers))

    def call(self, headers: Mapping[str, str], action: Callable[[AsyncClient], Awaitable[T]]) -> T:
        """Run `action` with an HTTP client signed in with `headers`, in the app's loop."""

        async def run() -> T:
            async with client_for(self.app, dict(headers)) as client:
                return await action(client)

        assert self.client.portal is not None
        return self.client.portal.call(run)


@contextmanager
def serving(settings: Settings) -> Iterator[LiveApp]:
    app = create_app(settings)
    with TestClient(app) as client:
        yield LiveApp(client, app)


def listening(socket: WebSocketTestSession) -> WebSocketTestSession:
    """The socket, once the service said it hears every change from now on."""
    assert socket.receive_json() == {"event": "ready"}
    return socket


def change(event: str, resource: str, record: Mapping[str, Any]) -> dict[str, str]:
    """The message a socket gets for a change."""
    return {"event": event, "resource": resource, "id": record["id"]}
