"""What a request knows of its caller: the user as the API shows them (`UserPublic`), read by
sign-in in the statement that checks the token.

Sign-in runs on every request, so it selects these columns and builds no ORM object (loading
one costs about as much again as the query). `CurrentUser` is a snapshot for the request, not
the row: to change the user, load it (`await session.get(User, user.id)`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.user import User
from app.schemas.user import UserPublic

USERS: Table = User.__table__  # type: ignore[attr-defined]
# The columns sign-in selects, in the order of UserPublic's fields.
SIGNED_IN_COLUMNS: list[Column[Any]] = [USERS.columns[name] for name in UserPublic.model_fields]


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A signed-in request: its caller, and the request's one session, which sign-in opened."""

    user: UserPublic
    session: AsyncSession


def signed_in_user(values: Sequence[Any]) -> UserPublic:
    """The caller, from the values of `SIGNED_IN_COLUMNS`."""
    return UserPublic.model_validate(dict(zip(UserPublic.model_fields, values, strict=True)))


def signed_in_as(user: User) -> UserPublic:
    return signed_in_user([getattr(user, name) for name in UserPublic.model_fields])
