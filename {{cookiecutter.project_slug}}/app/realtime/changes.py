"""`BroadcastChanges`: mixed into a resource's repository, it announces every create, update and
delete to the sockets in the scope the change was made in, once its transaction commits. A
change is never announced when its transaction, or the savepoint it was made in, rolls back.

A message names the change, not the row: `{"event": "created", "resource": "items", "id": …}`.
A client reads the row from the API, where every rule of the API applies to what it sees.
"""

import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.realtime.broadcast import BROADCASTER, Broadcaster, Change
from app.realtime.rooms import room_of_scope
from app.repositories.base import BaseRepository, ModelT

PENDING = "changes_to_announce"  # the key of a session's `PendingChanges` in `session.info`


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
        message = {"event": change, "resource": self.table.name, "id": str(record_id)}
        announce_on_commit(self.session, (room_of_scope(self.scope_values()), message))


def announce_on_commit(session: AsyncSession, change: Change) -> None:
    """Announce the change when the session's transaction commits; nothing when the app has
    no broadcaster or nobody would hear it."""
    broadcaster: Broadcaster | None = session.info.get(BROADCASTER)
    if broadcaster is None or not broadcaster.wanted:
        return
    pending: PendingChanges | None = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = PendingChanges(session.sync_session, broadcaster)
    pending.add(change)


class PendingChanges:
    """One session's changes not yet committed, each with the transaction (or savepoint) it was
    made in. Made at a session's first change, so only such a session listens to its commits
    and rollbacks: every other session, and every read, costs nothing more."""

    def __init__(self, session: Session, broadcaster: Broadcaster) -> None:
        self.session = session
        self.broadcaster = broadcaster
        self.changes: list[tuple[SessionTransaction, Change]] = []
        event.listen(session, "after_commit", self._committed)
        event.listen(session, "after_soft_rollback", self._rolled_back)

    def add(self, change: Change) -> None:
        transaction = self.session.get_nested_transaction() or self.session.get_transaction()
        assert transaction is not None, "a change is made inside a transaction"
        self.changes.append((transaction, change))

    def _committed(self, session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint released: its changes wait for the transaction's commit
        changes, self.changes = self.changes, []
        self.broadcaster.announce([change for _, change in changes])

    def _rolled_back(self, _session: Session, rolled_back: SessionTransaction) -> None:
        self.changes = [
            (transaction, change)
            for transaction, change in self.changes
            if not made_within(transaction, rolled_back)
        ]


def made_within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False
