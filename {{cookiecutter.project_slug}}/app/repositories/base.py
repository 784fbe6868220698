"""CRUD every resource gets, written once: lookup by id, filtered pages, create, update, delete."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Table, UniqueConstraint, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.db import SessionDep
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.models.base import UUIDPrimaryKey
from app.schemas.common import ListParams

ModelT = TypeVar("ModelT", bound=UUIDPrimaryKey)


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    """One page of rows and the number of rows matching the filters, across all pages."""

    data: Sequence[ModelT]
    count: int


class BaseRepository(Generic[ModelT]):
    """Queries for one table model. Subclasses set `model`; every query goes through `_scope()`."""

    model: ClassVar[type[Any]]

    def __init__(self, session: SessionDep) -> None:
        self.session = session

    @property
    def label(self) -> str:
        return self.model.__name__

    @property
    def table(self) -> Table:
        table: Table = self.model.__table__
        return table

    def _scope(self) -> list[ColumnElement[bool]]:
        """Conditions every query of this repository carries; none for an unscoped table."""
        return []

    def _select(self) -> SelectOfScalar[ModelT]:
        return select(self.model).where(*self._scope())

    async def get(self, record_id: uuid.UUID) -> ModelT:
        statement = self._select().where(col(self.model.id) == record_id)
        record = (await self.session.exec(statement)).first()
        if record is None:
            raise NotFound(f"{self.label} {record_id} was not found.")
        return record

    async def list_page(self, params: ListParams) -> Page[ModelT]:
        conditions = [*self._scope(), *self._filter_conditions(params.filters())]
        sort_column = self.table.columns[params.sort_by]
        order = sort_column.asc() if params.sort_order == "asc" else sort_column.desc()
        statement = (
            select(self.model)
            .where(*conditions)
            .order_by(order, col(self.model.id))
            .offset(params.skip)
            .limit(params.limit)
        )
        rows = (await self.session.exec(statement)).all()
        count_statement = select(func.count()).select_from(self.model).where(*conditions)
        count = (await self.session.exec(count_statement)).one()
        return Page(data=rows, count=count)

    async def create(self, data: SQLModel, **values: Any) -> ModelT:
        """Insert a row from a Create schema; `values` are set by the server, not the client."""
        record: ModelT = self.model.model_validate(data, update=values)
        self.session.add(record)
        await self._flush()
        return record

    async def update(self, record: ModelT, data: SQLModel) -> ModelT:
        """Apply the fields the client sent; sending `null` for a required column is refused."""
        changes = data.model_dump(exclude_unset=True)
        for name, value in changes.items():
            if value is None and not self.table.columns[name].nullable:
                raise ValidationFailed(f"{name} cannot be null.")
        record.sqlmodel_update(changes)
        self.session.add(record)
        await self._flush()
        return record

    async def delete(self, record: ModelT) -> None:
        await self.session.delete(record)
        await self._flush()

    def _filter_conditions(self, filters: dict[str, object]) -> list[ColumnElement[bool]]:
        return [self.table.columns[name] == value for name, value in filters.items()]

    async def _flush(self) -> None:
        """Send pending changes now, so a broken constraint is a 409 here and not a 500 later."""
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Conflict(self._conflict_message(error)) from error

    def _conflict_message(self, error: IntegrityError) -> str:
        reported = str(error.orig)
        taken = [
            column.name
            for constraint in self.table.constraints
            if isinstance(constraint, UniqueConstraint)
            for column in constraint.columns
            if column.name in reported
        ]
        if taken:
            return f"Another {self.label} already has this {' and '.join(taken)}."
        return f"The {self.label} conflicts with stored data (a referenced record may not exist)."
