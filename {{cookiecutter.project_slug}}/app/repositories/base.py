"""CRUD every resource gets, written once: lookup by id, filtered pages, create, update, delete."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, Self, TypedDict, TypeVar, cast

from sqlalchemy import ColumnElement, Table, UnaryExpression, UniqueConstraint, func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select, SelectOfScalar

from app.core.db import SessionDep
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.models.base import UUIDPrimaryKey
from app.schemas.common import ListParams

ModelT = TypeVar("ModelT", bound=UUIDPrimaryKey)


class Page(TypedDict):
    """One page of rows, as column values, and the number of rows matching the filters across
    all pages. The route's response model validates it once, straight from the values."""

    data: list[dict[str, Any]]
    count: int


class BaseRepository(Generic[ModelT]):
    """Queries for one table model. Subclasses set `model`; every query goes through `_scope()`."""

    model: ClassVar[type[Any]]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @classmethod
    def provider(cls) -> Callable[..., Awaitable[Self]]:
        """The repository as a dependency: `Depends(ItemRepository.provider())`. An async
        function, because FastAPI runs a class's sync `__init__` in a worker thread."""

        async def provide(session: SessionDep) -> Self:
            return cls(session)

        return provide

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
            raise self._not_found(record_id)
        return record

    def _not_found(self, record_id: uuid.UUID) -> NotFound:
        return NotFound(f"{self.label} {record_id} was not found.")

    async def list_page(self, params: ListParams) -> Page:
        """The page and the total in one statement: the count is a scalar subquery beside the
        columns (a window `count(*) OVER ()` would read and sort every matching row). Rows are
        plain column values: no ORM objects to build, and no relationship loads."""
        conditions = [*self._scope(), *self._filter_conditions(params.filters())]
        total = select(func.count()).select_from(self.model).where(*conditions)
        names = list(self.table.columns.keys())
        # ORM attributes, not table columns: the tenant guard applies to ORM entities.
        columns = [getattr(self.model, name) for name in names]
        statement = (
            sa_select(*columns, total.scalar_subquery())
            .where(*conditions)
            .order_by(*self._order_by(params))
            .offset(params.skip)
            .limit(params.limit)
        )
        # As SQLModel's Select: its exec() types rows of the select it knows.
        rows = (await self.session.exec(cast("Select[*tuple[Any, ...]]", statement))).all()
        if rows:
            count = rows[0][-1]
        elif params.skip == 0:
            count = 0
        else:  # past the last page: no row carries the total
            count = (await self.session.exec(total)).one()
        return Page(data=[dict(zip(names, row, strict=False)) for row in rows], count=count)

    def _order_by(self, params: ListParams) -> list[UnaryExpression[Any]]:
        """The sort column, then `id` in the same direction, so pages never overlap and an
        index on (…, sort column, id) serves the order. NULLs last on every database."""
        column = self.table.columns[params.sort_by]
        descending = params.sort_order == "desc"
        key = column.desc() if descending else column.asc()
        if column.nullable:
            key = key.nulls_last()
        identity = self.table.columns["id"]
        return [key, identity.desc() if descending else identity.asc()]

    async def create(self, data: SQLModel, **values: Any) -> ModelT:
        """Insert a row from a Create schema; `values` are set by the server, not the client."""
        record: ModelT = self.model.model_validate(data, update=values)
        self.session.add(record)
        await self._flush()
        await self.session.refresh(record)  # answer with what was stored, e.g. "1e2" → "100.00"
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
        await self.session.refresh(record)
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
        except DataError as error:
            raise ValidationFailed("A value does not fit its column.") from error

    def _conflict_message(self, error: IntegrityError) -> str:
        """Name the unique fields the database reports, by constraint name (PostgreSQL) or
        by `table.column` list (SQLite); the naming convention makes both predictable."""
        reported = str(error.orig)
        for constraint in self.table.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            columns = [column.name for column in constraint.columns]
            sqlite_list = ", ".join(f"{self.table.name}.{column}" for column in columns)
            if f'"{constraint.name}"' in reported or reported.endswith(sqlite_list):
                # Name only the columns a client sends, not those the server sets.
                sent = [
                    column.name
                    for column in constraint.columns
                    if not column.info.get("server_set")
                ]
                return f"Another {self.label} already has this {' and '.join(sent)}."
        return (
            f"The {self.label} refers to a record that does not exist, "
            "or conflicts with stored data."
        )
