"""The sockets one worker holds, each in one room: a message for a room reaches its sockets and
no other."""

import asyncio
import json
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect

# What a send to a socket whose client is gone raises, depending on the server and the moment:
# a disconnect seen, a close already sent, or the connection reset under it.
DEAD_SOCKET_ERRORS = (WebSocketDisconnect, RuntimeError, OSError)


class ConnectionManager:
    """Connect, disconnect, send to one socket, broadcast to a room. A socket that fails a send
    is dropped, and the other sockets of the room still get the message."""

    def __init__(self) -> None:
        self._rooms: dict[str, set[WebSocket]] = {}
        self._room_of: dict[WebSocket, str] = {}

    def __len__(self) -> int:
        """How many sockets are connected."""
        return len(self._room_of)

    async def connect(
        self, websocket: WebSocket, room: str, *, subprotocol: str | None = None
    ) -> None:
        await websocket.accept(subprotocol)
        self._rooms.setdefault(room, set()).add(websocket)
        self._room_of[websocket] = room

    def disconnect(self, websocket: WebSocket) -> None:
        room = self._room_of.pop(websocket, None)
        if room is None:
            return
        sockets = self._rooms[room]
        sockets.discard(websocket)
        if not sockets:
            del self._rooms[room]

    async def send(self, websocket: WebSocket, message: dict[str, Any]) -> None:
        """Send to one socket, which is dropped when its client is gone."""
        await self._send_text(websocket, encoded(message))

    async def broadcast(self, room: str, text: str) -> None:
        """Send a message, encoded once, to every socket of the room at the same time: a slow
        client does not hold up the others. (A client that stops answering pings is closed by
        the server, which fails its sends.)"""
        sockets = self._rooms.get(room)
        if sockets:
            await asyncio.gather(*(self._send_text(websocket, text) for websocket in [*sockets]))

    async def _send_text(self, websocket: WebSocket, text: str) -> None:
        try:
            await websocket.send_text(text)
        except DEAD_SOCKET_ERRORS:
            self.disconnect(websocket)


def encoded(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))
