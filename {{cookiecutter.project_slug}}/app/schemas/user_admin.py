"""What admins send to administer users, and the page of users they get back."""

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool

from app.auth.emails import EMAIL_PATTERN, MAX_EMAIL_LENGTH
from app.auth.passwords import MIN_PASSWORD_LENGTH
from app.auth.roles import Role
from app.schemas.common import never_null
from app.schemas.user import UserPublic

# Argon2 takes any length; a megabyte of password is a way to burn the server's CPU.
MAX_PASSWORD_LENGTH = 1024


class NewUser(BaseModel):
    """A user an admin creates, with the password they first sign in with."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=MAX_EMAIL_LENGTH, pattern=EMAIL_PATTERN)
    password: SecretStr = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)
    role: Role = "member"


class UserChanges(BaseModel):
    """A partial change of a user: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    # May be left out, never sent as null.
    role: Role | None = Field(default=None, json_schema_extra=never_null)
    is_active: StrictBool | None = Field(default=None, json_schema_extra=never_null)


class NewPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: SecretStr = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)


class UsersPublic(BaseModel):
    """One page of users and the number there are."""

    data: list[UserPublic]
    count: int
