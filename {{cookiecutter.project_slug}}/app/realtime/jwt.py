"""How a socket signs in with a token: the check every HTTP request gets (signature, expiry,
revocation, an active user), on the access token sent as `Authorization: Bearer <token>` or,
because a browser cannot set that header on a WebSocket, as the `token` query parameter.

A refused socket is closed with 1008 (policy violation) before it is accepted; an accepted one
is closed with 1008 when its token expires.
"""

from typing import Annotated

from fastapi import Depends, WebSocket, WebSocketException, status
from fastapi.security.utils import get_authorization_scheme_param

from app.auth.jwt import NOT_AUTHENTICATED, get_current_user, verified_token
from app.core.errors import AuthenticationFailed
from app.realtime.rooms import Subscription, room_of_user


def bearer_token(websocket: WebSocket) -> str | None:
    scheme, token = get_authorization_scheme_param(websocket.headers.get("Authorization"))
    return token if scheme.lower() == "bearer" else None


async def get_subscription(websocket: WebSocket, token: str | None = None) -> Subscription:
    encoded = token or bearer_token(websocket)
    try:
        if encoded is None:
            raise AuthenticationFailed(NOT_AUTHENTICATED)
        access_token = verified_token(encoded, "access", websocket.app.state.settings)
        async with websocket.app.state.read_sessionmaker() as session:
            user = await get_current_user(websocket, encoded, session)
    except AuthenticationFailed as error:
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, NOT_AUTHENTICATED) from error
    return Subscription(room_of_user(user), access_token.expires_at)


SocketSubscription = Annotated[Subscription, Depends(get_subscription)]
