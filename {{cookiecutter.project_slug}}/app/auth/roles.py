"""The roles a user can have; `require_role(...)` lets only some of them through."""

from typing import Literal

Role = Literal["member", "admin"]
ROLES: tuple[Role, ...] = ("member", "admin")
