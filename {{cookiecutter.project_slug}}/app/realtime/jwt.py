"""How a socket signs in with a token: the check every HTTP request gets (signature, expiry,
revocation, an active user), on the access token sent as `Authorization: Bearer <token>`.

A browser cannot set that header on a WebSocket: it offers the token as a subprotocol instead,
`new WebSocket(url, ["bearer", token])`, and the service accepts `bearer`. (Not in the query
string: servers write that into their log lines.)

A refused socket is closed with 1008 (policy violation) before it is accepted; an accepted one
is closed with 1008 when its token expires.
"""

from typing import Annotated

from fastapi import Depends, WebSocket, WebSocketException, status
from fastapi.security.utils import get_authorization_scheme_param

from app.auth.jwt import NOT_AUTHENTICATED, get_current_user, verified_token
from app.core.errors import AuthenticationFailed
from app.realtime.rooms import Subscription, room_of_user

BEARER_PROTOCOL = "bearer"


def offered_token(websocket: WebSocket) -> tuple[str | None, str | None]:
    """The token the handshake carries, and the subprotocol to accept it with (if any)."""
    scheme, token = get_authorization_scheme_param(websocket.headers.get("Authorization"))
    if scheme.lower() == BEARER_PROTOCOL and token:
        return token, None
    match websocket.scope.get("subprotocols", []):
        case [protocol, token] if protocol == BEARER_PROTOCOL:
            return token, BEARER_PROTOCOL
    return None, None


async def get_subscription(websocket: WebSocket) -> Subscription:
    encoded, subprotocol = offered_token(websocket)
    try:
        if encoded is None:
            raise AuthenticationFailed(NOT_AUTHENTICATED)
        access_token = verified_token(encoded, "access", websocket.app.state.settings)
        async with websocket.app.state.read_sessionmaker() as session:
            user = await get_current_user(websocket, encoded, session)
    except AuthenticationFailed as error:
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, NOT_AUTHENTICATED) from error
    return Subscription(room_of_user(user), access_token.expires_at, subprotocol)


SocketSubscription = Annotated[Subscription, Depends(get_subscription)]
