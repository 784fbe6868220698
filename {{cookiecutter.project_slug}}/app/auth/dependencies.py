"""`CurrentUser`, the signed-in user of a request, and `require_role(...)` for routes only some
users may call. How a request proves who it is lives in `app/auth/{{ cookiecutter.auth }}.py`.

Every refusal is the same 401, whatever was wrong: the reason would only help an attacker.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from app.auth.{{ cookiecutter.auth }} import get_current_user
from app.auth.roles import Role
from app.core.errors import PermissionDenied
from app.schemas.user import UserPublic

__all__ = ["CurrentUser", "get_current_user", "require_role"]

CurrentUser = Annotated[UserPublic, Depends(get_current_user)]


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
