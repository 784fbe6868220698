"""The WebSocket routes, under /api/v1/ws/. How a socket signs in is in
`app/realtime/{{ cookiecutter.auth }}.py`."""

import asyncio
from contextlib import suppress

from fastapi import APIRouter, WebSocket, status

from app.realtime.broadcast import Broadcaster, broadcasting
from app.realtime.connections import DEAD_SOCKET_ERRORS
from app.realtime.{{ cookiecutter.auth }} import SocketSubscription

router = APIRouter(prefix="/ws", tags=["realtime"], lifespan=broadcasting)

READY = {"event": "ready"}
EXPIRED = "The credentials have expired."


@router.websocket("/changes/")
async def changes(websocket: WebSocket, subscription: SocketSubscription) -> None:
    """Every change committed in the caller's scope, one JSON message each, after a first
    `{"event": "ready"}`: from then on, no change is missed."""
    broadcaster: Broadcaster = websocket.app.state.broadcaster
    connections = broadcaster.connections
    await connections.connect(websocket, subscription.room, subprotocol=subscription.subprotocol)
    try:
        await broadcaster.listening.wait()
        await connections.send(websocket, READY)
        async with asyncio.timeout(subscription.seconds_left()):
            # The client has nothing to say: reading only notices it leave.
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass
    except TimeoutError:
        with suppress(*DEAD_SOCKET_ERRORS):
            await websocket.close(status.WS_1008_POLICY_VIOLATION, EXPIRED)
    finally:
        connections.disconnect(websocket)
