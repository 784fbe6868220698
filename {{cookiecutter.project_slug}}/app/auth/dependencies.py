"""`CurrentUser`, the signed-in user of a request, and `require_role(...)` for routes only some
users may call. Both read `SignedInDep`, sign-in and the request's session in one dependency.
How a request proves who it is lives in `app/auth/{{ cookiecutter.auth }}.py`.

Every refusal is the same 401, whatever was wrong: the reason would only help an attacker.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from app.auth.{{ cookiecutter.auth }} import signed_in
from app.auth.roles import Role
from app.auth.signed_in import SignedIn
from app.core.errors import PermissionDenied
from app.schemas.user import UserPublic

__all__ = ["SIGN_IN", "CurrentUser", "SignedInDep", "require_role"]

# scope="function": a write commits before the response is sent, as with `SessionDep`. One
# object for every use, so FastAPI runs it once per request (its cache key holds the scope).
SIGN_IN = Depends(signed_in, scope="function")
SignedInDep = Annotated[SignedIn, SIGN_IN]


async def current_user(signed_in: SignedInDep) -> UserPublic:
    return signed_in.user


CurrentUser = Annotated[UserPublic, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[UserPublic], Awaitable[UserPublic]]:
    """A dependency that lets only users with one of `roles` through; others get a 403.

    Use it as `dependencies=[Depends(require_role("admin"))]`, or as a parameter type:
    `admin: Annotated[UserPublic, Depends(require_role("admin"))]`.
    """

    async def user_with_role(user: CurrentUser) -> UserPublic:
        if user.role not in roles:
            raise PermissionDenied(f"This needs the role {' or '.join(roles)}.")
        return user

    return user_with_role
