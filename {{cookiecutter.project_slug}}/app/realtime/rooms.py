"""Rooms: a socket joins the room of its scope, and a change is heard in the room of the scope
it was made in. A scope is what confines a repository's queries (`scope_values()`): the tenant,
where rows belong to tenants; nothing, where every caller sees every row (one room for all)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.models.base import utcnow

# The fields of a signed-in user that confine their requests, as `scope_values()` names them.
SCOPE_FIELDS = {"tenant_id"}


@dataclass(frozen=True)
class Subscription:
    """What a socket hears, and until when: the room of its scope, until its credentials
    expire (never, for credentials that do not). `subprotocol`: the one its handshake is
    accepted with, when its credentials came as one."""

    room: str
    expires_at: datetime | None = None
    subprotocol: str | None = None

    def seconds_left(self) -> float | None:
        if self.expires_at is None:
            return None
        return max((self.expires_at - utcnow()).total_seconds(), 0.0)


def room_of_scope(scope_values: dict[str, Any]) -> str:
    """`tenant_id=<uuid>`, or the empty name of the one room of an unscoped service."""
    return "&".join(f"{name}={value}" for name, value in sorted(scope_values.items()))


def room_of_user(user: BaseModel) -> str:
    """The room of a signed-in user's scope: their tenant's, where rows belong to tenants."""
    return room_of_scope(user.model_dump(include=SCOPE_FIELDS))
