"""oauth2-proxy in front: the signed-in user of a request is the one the proxy's headers name.

oauth2-proxy authenticates every request before it reaches the service and passes
`X-Forwarded-Email` and `X-Forwarded-Preferred-Username` (run it with `--pass-user-headers`).
The service trusts those headers, so it must be reachable only through the proxy. A user is
created on first sight. With ENVIRONMENT=local and no headers, requests act as `dev-user`, so
the API can be tried without a proxy; every other environment refuses them.
"""

from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.requests import HTTPConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.emails import MAX_EMAIL_LENGTH, checked_email
from app.auth.signed_in import SignedIn, signed_in_as
from app.core.config import Settings
from app.core.db import request_session
from app.core.errors import AuthenticationFailed, Conflict
from app.core.logging import add_to_access_log
from app.models.user import User
from app.repositories.user import UserRepository
from app.schemas.user import UserPublic

EMAIL_HEADER = "X-Forwarded-Email"
USERNAME_HEADER = "X-Forwarded-Preferred-Username"
DEV_USER_EMAIL = "dev-user@example.com"
DEV_USER_NAME = "dev-user"
NOT_AUTHENTICATED = "Not authenticated."


async def get_current_user(
    request: HTTPConnection, session: AsyncSession, settings: Settings
) -> UserPublic:
    """The active user named by the proxy's headers, created on their first request."""
    email = request.headers.get(EMAIL_HEADER, "")
    username = request.headers.get(USERNAME_HEADER, "").strip()
    if not email:
        if settings.environment != "local":
            raise AuthenticationFailed(NOT_AUTHENTICATED)
        email, username = DEV_USER_EMAIL, DEV_USER_NAME
    try:
        email = checked_email(email)
    except ValueError as error:
        raise AuthenticationFailed(NOT_AUTHENTICATED) from error
    if len(username) > MAX_EMAIL_LENGTH:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    username = username or email
    user = await UserRepository(session).get_by_email(email)
    if user is None or user.username != username:
        # A write on any request, a GET's too: in a session of its own, committed at once.
        async with request.app.state.sessionmaker.begin() as writer:
            user = await get_or_create(UserRepository(writer), email, username=username)
    if not user.is_active:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    add_to_access_log(user_id=user.id)
    return signed_in_as(user)


async def signed_in(request: Request) -> AsyncIterator[SignedIn]:
    """Sign-in and the request's session, as one dependency: every signed-in request runs it,
    and FastAPI spends time on each dependency it resolves, on every request."""
    async with request_session(request) as session:
        settings = request.app.state.settings
        yield SignedIn(await get_current_user(request, session, settings), session)


async def get_or_create(users: UserRepository, email: str, *, username: str) -> User:
    """The user with this email, created on first sight; the stored username follows the
    proxy's."""
    user = await users.get_by_email(email)
    if user is None:
        try:
            async with users.session.begin_nested():
                user = await users.add(email, username=username)
        except Conflict:
            # A concurrent first request created them a moment ago.
            user = await users.get_by_email(email)
            if user is None:
                raise
    if user.username != username:
        user.username = username
        await users.session.flush()
    return user
