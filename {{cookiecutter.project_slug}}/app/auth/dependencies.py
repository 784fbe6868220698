{%- if cookiecutter.auth == "jwt" -%}
"""`CurrentUser`: the signed-in user of a request, from its bearer token, or a 401.

Every refusal is the same 401, whatever was wrong with the token (expired, forged, signed with
another key, `alg: none`, revoked, or its user deactivated): the reason would only help an
attacker. `require_role(...)` builds on it for routes only some users may call.
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.revocation import RevokedTokensDep
from app.auth.roles import Role
from app.auth.tokens import InvalidToken, Token, TokenType, decode_token
from app.core.config import Settings, SettingsDep
from app.core.db import SessionDep
from app.core.errors import AuthenticationFailed, PermissionDenied
{%- if cookiecutter.multi_tenant == "yes" %}
from app.core.tenancy import confine_to_tenant
{%- endif %}
from app.models.user import User

NOT_AUTHENTICATED = "Not authenticated."

# auto_error=False: a missing token gets the service's own 401 body, like a bad one.
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login/", auto_error=False)


async def get_access_token(
    encoded: Annotated[str | None, Depends(bearer_token)],
    revoked_tokens: RevokedTokensDep,
    settings: SettingsDep,
) -> Token:
    """The request's access token, verified and not revoked."""
    if encoded is None:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    token = verified_token(encoded, "access", settings)
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


async def get_current_user(token: AccessToken, session: SessionDep) -> User:
    """The active user the access token was issued to{% if cookiecutter.multi_tenant == "yes" %}; from here on, the request's session
    sees only their tenant's rows{% endif %}."""
    user = await active_user(session, token.user_id)
{%- if cookiecutter.multi_tenant == "yes" %}
    confine_to_tenant(session, user.tenant_id)
{%- endif %}
    return user
{%- else -%}
"""`CurrentUser`: the user oauth2-proxy signed in, from the headers it forwards, or a 401.

oauth2-proxy authenticates every request before it reaches the service and passes
`X-Forwarded-Email` and `X-Forwarded-Preferred-Username` (run it with `--pass-user-headers`).
The service trusts those headers, so it must be reachable only through the proxy. A user is
created on first sight. With ENVIRONMENT=local and no headers, requests act as `dev-user`, so
the API can be tried without a proxy; every other environment refuses them.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from app.auth.emails import MAX_EMAIL_LENGTH, checked_email
from app.auth.roles import Role
from app.core.config import SettingsDep
from app.core.errors import AuthenticationFailed, PermissionDenied
{%- if cookiecutter.multi_tenant == "yes" %}
from app.core.tenancy import confine_to_tenant
{%- endif %}
from app.models.user import User
from app.repositories.user import UserRepository

EMAIL_HEADER = "X-Forwarded-Email"
USERNAME_HEADER = "X-Forwarded-Preferred-Username"
DEV_USER_EMAIL = "dev-user@example.com"
DEV_USER_NAME = "dev-user"
NOT_AUTHENTICATED = "Not authenticated."


async def get_current_user(
    request: Request, users: Annotated[UserRepository, Depends()], settings: SettingsDep
) -> User:
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
    user = await users.get_or_create(email, username=username or email)
    if not user.is_active:
        raise AuthenticationFailed(NOT_AUTHENTICATED)
{%- if cookiecutter.multi_tenant == "yes" %}
    confine_to_tenant(users.session, user.tenant_id)  # the request's session: one tenant's rows
{%- endif %}
    return user
{%- endif %}


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets only users with one of `roles` through; others get a 403.

    Use it as `dependencies=[Depends(require_role("admin"))]`, or as a parameter type:
    `admin: Annotated[User, Depends(require_role("admin"))]`.
    """

    async def user_with_role(user: CurrentUser) -> User:
        if user.role not in roles:
            raise PermissionDenied(f"This needs the role {' or '.join(roles)}.")
        return user

    return user_with_role
