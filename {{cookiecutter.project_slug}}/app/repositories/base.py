"""CRUD every resource gets, written once: lookup by id, filtered pages, create, update, delete."""

import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, Self, TypedDict, TypeVar

from sqlalchemy import (
    ColumnElement,
    Insert,
    Integer,
    Select,
    Table,
    UnaryExpression,
    UniqueConstraint,
    bindparam,
    func,
    insert,
)
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

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
    """Queries for one table model. Subclasses set `model`; every query carries `scope()`."""

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

    @classmethod
    def scope(cls) -> list[ColumnElement[bool]]:
        """Conditions every query of this repository carries, with `bindparam`s for their values
        (`scope_values()`); none for an unscoped table."""
        return []

    def scope_values(self) -> dict[str, Any]:
        return {}

    async def get(self, record_id: uuid.UUID) -> ModelT:
        values = {**self.scope_values(), "record_id": record_id}
        statement = get_statement(type(self))
        record: ModelT | None = (await self.session.exec(statement, params=values)).first()
        if record is None:
            raise self._not_found(record_id)
        return record

    def _not_found(self, record_id: uuid.UUID) -> NotFound:
        return NotFound(f"{self.label} {record_id} was not found.")

    async def list_page(self, params: ListParams) -> Page:
        """The page and the total in one statement: the count is a scalar subquery beside the
        columns (a window `count(*) OVER ()` would read and sort every matching row). Rows are
        plain column values, read through the session's connection: no ORM objects to build, no
        relationship loads, and no session-wide criteria to add (`scope()` is in the statement)."""
        filters = params.filters()
        page, total = list_statements(
            type(self), params.sort_by, params.sort_order == "desc", tuple(sorted(filters))
        )
        values = {
            **self.scope_values(),
            **{f"filter_{name}": value for name, value in filters.items()},
            "skip": params.skip,
            "limit": params.limit,
        }
        connection = await self.session.connection()
        rows = (await connection.execute(page, values)).all()
        if rows:
            count = rows[0][-1]
        elif params.skip == 0:
            count = 0
        else:  # past the last page: no row carries the total
            count = (await self.session.exec(total, params=values)).one()
        names = self.table.columns.keys()
        return Page(data=[dict(zip(names, row, strict=False)) for row in rows], count=count)

    async def create(self, data: SQLModel, **values: Any) -> ModelT:
        """Insert a row from a Create schema; `values` are set by the server, not the client.
        One `INSERT … RETURNING`: the answer is what was stored ("0100.5" → "100.50")."""
        statement = insert_statement(type(self))
        with self._refusing_bad_writes():
            result = await self.session.exec(statement, params=[{**data.model_dump(), **values}])
        record: ModelT = result.scalar_one()
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

    async def _flush(self) -> None:
        """Send pending changes now, so a broken constraint is a 409 here and not a 500 later."""
        with self._refusing_bad_writes():
            await self.session.flush()

    @contextmanager
    def _refusing_bad_writes(self) -> Iterator[None]:
        """A write the database refuses: a broken constraint is a 409, a value too big a 422."""
        try:
            yield
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


# The statements of get, create and list, built once per repository and shape, then run with the
# request's values: building a statement costs more than running a cached one.


_statements: dict[tuple[object, ...], Any] = {}


def get_statement(repository: type[BaseRepository[Any]]) -> SelectOfScalar[Any]:
    key = (repository, "get")
    if key not in _statements:
        model = repository.model
        condition = col(model.id) == bindparam("record_id")
        _statements[key] = select(model).where(*repository.scope(), condition)
    statement: SelectOfScalar[Any] = _statements[key]
    return statement


def insert_statement(repository: type[BaseRepository[Any]]) -> Insert:
    key = (repository, "insert")
    if key not in _statements:
        _statements[key] = insert(repository.model).returning(repository.model)
    statement: Insert = _statements[key]
    return statement


def list_statements(
    repository: type[BaseRepository[Any]], sort_by: str, descending: bool, filters: tuple[str, ...]
) -> tuple[Select[*tuple[Any, ...]], SelectOfScalar[int]]:
    """A page of rows with the total beside them, and the total alone (for a page past the
    end); their parameters are the scope's values, `filter_<name>`, `skip` and `limit`. One
    pair per sort and set of filters, so the cache stays as small as the API."""
    key = (repository, "list", sort_by, descending, filters)
    if key not in _statements:
        _statements[key] = build_list_statements(repository, sort_by, descending, filters)
    statements: tuple[Select[*tuple[Any, ...]], SelectOfScalar[int]] = _statements[key]
    return statements


def build_list_statements(
    repository: type[BaseRepository[Any]], sort_by: str, descending: bool, filters: tuple[str, ...]
) -> tuple[Select[*tuple[Any, ...]], SelectOfScalar[int]]:
    model, table = repository.model, repository.model.__table__
    conditions = [
        *repository.scope(),
        *(table.columns[name] == bindparam(f"filter_{name}") for name in filters),
    ]
    total = select(func.count()).select_from(model).where(*conditions)
    page = (
        sa_select(*table.columns, total.scalar_subquery())
        .where(*conditions)
        .order_by(*order_by(table, sort_by, descending))
        .offset(bindparam("skip", type_=Integer))
        .limit(bindparam("limit", type_=Integer))
    )
    return page, total


def order_by(table: Table, sort_by: str, descending: bool) -> list[UnaryExpression[Any]]:
    """The sort column, then `id` in the same direction, so pages never overlap and an index on
    (…, sort column, id) serves the order. NULLs last on every database."""
    column = table.columns[sort_by]
    key = column.desc() if descending else column.asc()
    if column.nullable:
        key = key.nulls_last()
    identity = table.columns["id"]
    return [key, identity.desc() if descending else identity.asc()]
