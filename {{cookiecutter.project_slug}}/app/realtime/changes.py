"""`BroadcastChanges`: mixed into a resource's repository, it announces every create, update and
delete to the sockets in the scope the change was made in, once its transaction commits. A
change that rolls back is never announced.

A message names the change, not the row: `{"event": "created", "resource": "items", "id": …}`.
A client reads the row from the API, where every rule of the API applies to what it sees.
"""

import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from app.realtime.broadcast import BROADCASTER, Broadcaster, Change
from app.realtime.rooms import room_of_scope
from app.repositories.base import BaseRepository, ModelT

PENDING = "changes_to_broadcast"  # the key of a session's uncommitted changes in `session.info`


class BroadcastChanges(BaseRepository[ModelT]):
    """Put it before the repository's base: `class ItemRepository(BroadcastChanges[Item],
    TenantRepository[Item])`. Each change is heard in the room of the repository's scope."""

    async def create(self, data: SQLModel, **values: Any) -> ModelT:
        record = await super().create(data, **values)
        self._announce("created", record.id)
        return record

    async def update(self, record: ModelT, data: SQLModel) -> ModelT:
        updated = await super().update(record, data)
        self._announce("updated", updated.id)
        return updated

    async def delete(self, record: ModelT) -> None:
        await super().delete(record)
        self._announce("deleted", record.id)

    def _announce(self, change: str, record_id: uuid.UUID) -> None:
        broadcaster: Broadcaster | None = self.session.info.get(BROADCASTER)
        if broadcaster is None or not broadcaster.wanted:
            return
        message = {"event": change, "resource": self.table.name, "id": str(record_id)}
        pending: list[Change] = self.session.info.setdefault(PENDING, [])
        pending.append((room_of_scope(self.scope_values()), message))


@event.listens_for(Session, "after_commit")
def _announce_committed(session: Session) -> None:
    pending: list[Change] | None = session.info.pop(PENDING, None)
    if pending:
        session.info[BROADCASTER].announce(pending)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)
