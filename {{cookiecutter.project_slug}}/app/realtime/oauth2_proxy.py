"""How a socket signs in behind oauth2-proxy: the check every HTTP request gets, on the headers
the proxy forwards with the WebSocket handshake. A refused socket is closed with 1008 (policy
violation) before it is accepted."""

from typing import Annotated

from fastapi import Depends, WebSocket, WebSocketException, status

from app.auth.oauth2_proxy import NOT_AUTHENTICATED, get_current_user
from app.core.errors import AuthenticationFailed
from app.realtime.rooms import Subscription, room_of_user


async def get_subscription(websocket: WebSocket) -> Subscription:
    try:
        async with websocket.app.state.read_sessionmaker() as session:
            user = await get_current_user(websocket, session, websocket.app.state.settings)
    except AuthenticationFailed as error:
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, NOT_AUTHENTICATED) from error
    return Subscription(room_of_user(user))


SocketSubscription = Annotated[Subscription, Depends(get_subscription)]
