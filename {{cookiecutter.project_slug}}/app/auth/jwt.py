"""Bearer tokens: the signed-in user of a request is the one its access token names.

A token is refused (expired, forged, signed with another key, `alg: none`, revoked, or its user
deactivated) with the one 401 every bad token gets.
"""

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.requests import HTTPConnection
from fastapi.security import OAuth2PasswordBearer
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.revocation import RevokedTokensDep, revoked_tokens_of
from app.auth.signed_in import SignedIn
from app.auth.tokens import InvalidToken, Token, TokenType, decode_token
from app.core.config import Settings, SettingsDep
from app.core.db import request_session
from app.core.errors import AuthenticationFailed
from app.core.logging import add_to_access_log
from app.models.user import User
from app.schemas.user import UserPublic

NOT_AUTHENTICATED = "Not authenticated."

# auto_error=False: a missing token gets the service's own 401 body, like a bad one.
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login/", auto_error=False)


async def get_bearer_token(
    encoded: Annotated[str | None, Depends(bearer_token)], settings: SettingsDep
) -> Token:
    """The request's access token, its signature and claims checked (not yet its revocation)."""
    if encoded is None:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    return verified_token(encoded, "access", settings)


BearerToken = Annotated[Token, Depends(get_bearer_token)]


async def get_access_token(token: BearerToken, revoked_tokens: RevokedTokensDep) -> Token:
    """The request's access token, verified and not revoked."""
    if await revoked_tokens.is_revoked(token):
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    return token


AccessToken = Annotated[Token, Depends(get_access_token)]


def verified_token(encoded: str, token_type: TokenType, settings: Settings) -> Token:
    """The token's claims, or the one 401 every bad token gets."""
    try:
        return decode_token(encoded, token_type, settings)
    except InvalidToken as error:
        raise AuthenticationFailed(NOT_AUTHENTICATED) from error


async def active_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    """The user a token names, or a 401 when they are gone or deactivated."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    return user


async def get_current_user(
    connection: HTTPConnection, encoded: str | None, session: AsyncSession
) -> UserPublic:
    """The active user the access token was issued to, the token checked against revocation in
    the same statement that loads the user."""
    if encoded is None:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    token = verified_token(encoded, "access", connection.app.state.settings)
    user = await revoked_tokens_of(connection, session).user_unless_revoked(token)
    if user is None or not user.is_active:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    add_to_access_log(user_id=user.id)
    return user


async def signed_in(
    request: Request, encoded: Annotated[str | None, Depends(bearer_token)]
) -> AsyncIterator[SignedIn]:
    """Sign-in and the request's session, as one dependency: every signed-in request runs it,
    and FastAPI spends time on each dependency it resolves, on every request."""
    async with request_session(request) as session:
        yield SignedIn(await get_current_user(request, encoded, session), session)
