"""`python -m toolkit check`, one check at a time, against the service and small throwaway inputs.

Throwaway tables live on a registry of their own, so they never reach `SQLModel.metadata` (and
never reach Alembic or the other tests).
"""

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import pytest
from alembic.script import ScriptDirectory
from fastapi import APIRouter, FastAPI, status
from pydantic import BaseModel, StringConstraints
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import registry
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import NAMING_CONVENTION
from toolkit.check import check
from toolkit.checks.data_loss import data_loss_problems
from toolkit.checks.migrations import (
    compare_schema,
    describe_diffs,
    head_problems,
    migration_problems,
)
from toolkit.checks.routes import api_routes, route_problems, service_app
from toolkit.checks.schemas import (
    SchemaKind,
    factory_problems,
    filter_problems,
    model_schema_problems,
    schema_problems,
)
from toolkit.revisions import read_revision

# --- the service as rendered passes every check ---------------------------------------------


def test_the_migrations_have_one_head() -> None:
    assert head_problems() == []


def test_the_migrations_build_what_the_models_describe() -> None:
    assert migration_problems() == []


def test_the_schemas_match_the_models() -> None:
    assert schema_problems() == []


def test_the_routes_follow_the_conventions() -> None:
    assert route_problems() == []
    assert any(route.path == "/api/v1/items/" for route in api_routes(service_app()))


def test_no_revision_loses_data_unacknowledged() -> None:
    assert data_loss_problems() == []


def test_check_passes_and_says_what_it_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert check() == 0

    output = capsys.readouterr().out
    assert output.startswith("check passed:")
    assert "table" in output
    assert "route" in output
    assert "revision" in output


# --- migrations against models: alembic's diffs, as sentences ----------------------------------


def items_table(metadata: MetaData, *extra: Column[object] | UniqueConstraint) -> Table:
    return Table(
        "items",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("title", String(255), nullable=False),
        *extra,
    )


@pytest.fixture
def migrated() -> Iterator[Connection]:
    """A database holding `items` as "the migrations" made it: id and title."""
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        items_table(MetaData()).create(connection)
        yield connection
    engine.dispose()


def differences(connection: Connection, models: MetaData) -> list[str]:
    return describe_diffs(compare_schema(connection, models), {"items": "Item"})


def test_a_column_no_migration_creates_is_named_with_its_model(migrated: Connection) -> None:
    models = MetaData()
    items_table(models, Column("sku", String(40), nullable=True))

    [problem] = differences(migrated, models)

    assert "model Item" in problem
    assert "`items`" in problem
    assert "`sku`" in problem
    assert 'make migration m="add item sku"' in problem


def test_a_table_no_migration_creates_is_reported(migrated: Connection) -> None:
    models = MetaData()
    items_table(models)
    Table("prices", models, Column("id", Integer, primary_key=True))

    [problem] = differences(migrated, models)

    assert "table `prices`" in problem
    assert "no migration that creates" in problem


def test_tables_and_columns_no_model_has_are_reported(migrated: Connection) -> None:
    models = MetaData()
    Table("items", models, Column("id", Integer, primary_key=True))

    [problem] = differences(migrated, models)

    assert "column `title` on table `items`" in problem
    assert "but model Item does not have it" in problem

    assert "table `items` but no model" in differences(migrated, MetaData())[0]


def test_type_and_nullability_changes_of_one_column_are_each_reported(
    migrated: Connection,
) -> None:
    """compare_metadata nests both modify_* diffs of `title` in one list."""
    models = MetaData()
    Table(
        "items",
        models,
        Column("id", Integer, primary_key=True),
        Column("title", Numeric(10, 2), nullable=True),
    )

    problems = differences(migrated, models)

    assert len(problems) == 2
    assert any("`title`" in problem and "Numeric" in problem for problem in problems)
    assert any("nullable in the model but NOT NULL" in problem for problem in problems)


def test_indexes_unique_constraints_and_foreign_keys_are_reported() -> None:
    def schema(metadata: MetaData, *declared: Column[object] | UniqueConstraint) -> MetaData:
        Table("owners", metadata, Column("id", Integer, primary_key=True))
        items_table(metadata, *declared)
        return metadata

    migrations = schema(MetaData(), Column("owner_id", Integer))
    models = schema(
        MetaData(naming_convention=NAMING_CONVENTION),
        Column("owner_id", Integer, ForeignKey("owners.id"), index=True),
        UniqueConstraint("title"),
    )
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        migrations.create_all(connection)
        problems = differences(connection, models)
    engine.dispose()

    assert len(problems) == 3
    found = "\n".join(problems)
    assert "model Item (table `items`) has index `ix_items_owner_id` (owner_id)" in found
    assert "has unique constraint `uq_items_title` (title)" in found
    assert "has foreign key `fk_items_owner_id_owners` (owner_id → owners.id)" in found


# --- one head -----------------------------------------------------------------------------------


def write_revision(directory: Path, revision: str, body: str = "pass", extra: str = "") -> Path:
    path = directory / f"{revision}_change.py"
    path.write_text(
        "from alembic import op\n"
        "import sqlalchemy as sa\n\n"
        f"revision = {revision!r}\n"
        "down_revision = None\n"
        f"{extra}\n\n"
        "def upgrade() -> None:\n"
        f"    {body}\n\n\n"
        "def downgrade() -> None:\n"
        "    pass\n"
    )
    return path


def test_two_heads_are_named_with_the_merge_command(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    write_revision(versions, "aaaa1111")
    write_revision(versions, "bbbb2222")

    [problem] = head_problems(ScriptDirectory(str(tmp_path)))

    assert "2 heads" in problem
    assert "aaaa1111" in problem
    assert "bbbb2222_change.py" in problem
    assert "alembic merge" in problem


# --- schemas against models ----------------------------------------------------------------------


class ThrowawayModel(SQLModel, registry=registry()):
    """Tables for these tests only, on a registry and metadata of their own."""


SECRET = {"secret": True}


class Account(ThrowawayModel, table=True):
    __tablename__ = "accounts"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=100)
    hashed_password: str
    balance: Decimal = Field(default=Decimal(0), max_digits=10, decimal_places=2)
    nickname: str | None = Field(default=None, max_length=30)


class AccountCreate(SQLModel):
    email: str = Field(max_length=100)
    hashed_password: str
    balance: Decimal = Field(default=Decimal(0), max_digits=10, decimal_places=2)
    nickname: str | None = Field(default=None, max_length=30)


class AccountUpdate(SQLModel):
    email: str | None = Field(default=None, max_length=100)
    hashed_password: str | None = None
    balance: Decimal | None = Field(default=None, max_digits=10, decimal_places=2)
    nickname: str | None = Field(default=None, max_length=30)


class AccountPublic(SQLModel):
    id: uuid.UUID
    email: str
    balance: Decimal
    nickname: str | None


def account_problems(
    create: type[BaseModel] = AccountCreate,
    update: type[BaseModel] = AccountUpdate,
    public: type[BaseModel] = AccountPublic,
) -> list[str]:
    return model_schema_problems(Account, {"Create": create, "Update": update, "Public": public})


def test_schemas_that_agree_with_their_model_have_no_problems() -> None:
    assert account_problems() == []


def test_a_max_length_other_than_the_columns_is_reported() -> None:
    class ShortCreate(AccountCreate):
        email: str = Field(max_length=50)

    [problem] = account_problems(create=ShortCreate)

    assert "ShortCreate.email has max_length=50" in problem
    assert "`accounts.email` holds 100" in problem


def test_decimal_limits_other_than_the_columns_are_reported() -> None:
    class LooseUpdate(AccountUpdate):
        balance: Decimal | None = Field(default=None, max_digits=12, decimal_places=4)

    [problem] = account_problems(update=LooseUpdate)

    assert "LooseUpdate.balance has max_digits=12, decimal_places=4" in problem
    assert "Numeric(10, 2)" in problem


def test_annotated_types_inside_a_union_are_seen_through() -> None:
    """Pydantic strips the outer Annotated of a field, not one inside `X | None`."""

    class AnnotatedUpdate(AccountUpdate):
        email: Annotated[str, StringConstraints(max_length=100)] | None = None
        nickname: Annotated[str, StringConstraints(max_length=20)] | None = None

    [problem] = account_problems(update=AnnotatedUpdate)

    assert "AnnotatedUpdate.nickname has max_length=20" in problem


def test_a_required_update_field_is_reported() -> None:
    class StrictUpdate(AccountUpdate):
        email: str = Field(max_length=100)

    [problem] = account_problems(update=StrictUpdate)

    assert "StrictUpdate.email must be optional" in problem
    assert "email: str | None = None" in problem


def test_a_public_schema_exposing_a_hashed_password_is_reported() -> None:
    class LeakyPublic(AccountPublic):
        hashed_password: str

    [problem] = account_problems(public=LeakyPublic)

    assert "LeakyPublic.hashed_password exposes the secret column" in problem


class Token(ThrowawayModel, table=True):
    """A table whose secret column has a name that does not say so."""

    __tablename__ = "tokens"

    id: int | None = Field(default=None, primary_key=True)
    value: str = Field(sa_column_kwargs={"info": SECRET})


def test_a_column_marked_secret_is_never_public() -> None:
    class TokenPublic(SQLModel):
        id: int
        value: str

    [problem] = model_schema_problems(Token, {"Public": TokenPublic})

    assert "TokenPublic.value exposes the secret column `tokens.value`" in problem


class Owned(ThrowawayModel, table=True):
    """A table with a column the server sets, never the client."""

    __tablename__ = "owned"

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(sa_column_kwargs={"info": {"server_set": True}})
    note: str


def test_a_server_set_column_is_never_the_clients_to_send() -> None:
    class OwnedCreate(SQLModel):
        note: str

    class OwnedUpdate(SQLModel):
        note: str | None = None
        owner: str | None = None

    class OwnedPublic(SQLModel):
        owner: str

    schemas: dict[SchemaKind, type[BaseModel]] = {
        "Create": OwnedCreate,
        "Update": OwnedUpdate,
        "Public": OwnedPublic,
    }
    [problem] = model_schema_problems(Owned, schemas)

    assert "OwnedUpdate.owner lets clients set `owned.owner`, which the server sets" in problem


def test_nullability_that_disagrees_with_the_column_is_reported() -> None:
    class NullableCreate(AccountCreate):
        email: str | None = Field(default=None, max_length=100)  # type: ignore[assignment]

    class StrictPublic(AccountPublic):
        nickname: str

    problems = account_problems(create=NullableCreate, public=StrictPublic)

    assert any("NullableCreate.email accepts null" in problem for problem in problems)
    assert any("StrictPublic.nickname does not accept null" in problem for problem in problems)


def test_fields_that_are_not_columns_or_have_another_type_are_reported() -> None:
    class OddPublic(AccountPublic):
        email: int  # type: ignore[assignment]
        karma: int

    problems = account_problems(public=OddPublic)

    assert any("OddPublic.email is int but model Account.email is str" in p for p in problems)
    assert any("OddPublic.karma is not a column" in problem for problem in problems)


class Shelf(ThrowawayModel, table=True):
    __tablename__ = "shelves"

    id: int | None = Field(default=None, primary_key=True)


class Book(ThrowawayModel, table=True):
    __tablename__ = "books"

    id: int | None = Field(default=None, primary_key=True)
    shelf_id: int = Field(foreign_key="shelves.id")
    shelf: Shelf = Relationship()


def test_a_nested_relationship_is_not_mistaken_for_a_missing_column() -> None:
    class ShelfPublic(SQLModel):
        id: int

    class BookPublic(SQLModel):
        id: int
        shelf_id: int
        shelf: ShelfPublic

    assert model_schema_problems(Book, {"Public": BookPublic}) == []


def test_a_create_without_a_required_column_is_reported() -> None:
    class PartialCreate(SQLModel):
        email: str = Field(max_length=100)

    [problem] = account_problems(create=PartialCreate)

    assert "PartialCreate has no field for `accounts.hashed_password`" in problem


def test_a_field_the_update_leaves_out_is_reported() -> None:
    class NoNicknameUpdate(SQLModel):
        email: str | None = Field(default=None, max_length=100)
        hashed_password: str | None = None
        balance: Decimal | None = Field(default=None, max_digits=10, decimal_places=2)

    [problem] = account_problems(update=NoNicknameUpdate)

    assert problem.startswith("NoNicknameUpdate has no field nickname, which AccountCreate")


class Ticket(ThrowawayModel, table=True):
    __tablename__ = "tickets"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=20, sa_column_kwargs={"info": {"immutable": True}})
    title: str = Field(max_length=100)
    seats: int
    notes: str = Field(sa_type=Text)
    internal_ref: str = Field(max_length=20, sa_column_kwargs={"info": {"unfiltered": True}})


class TicketCreate(SQLModel):
    code: str = Field(max_length=20)
    title: str = Field(max_length=100)
    seats: int
    notes: str
    internal_ref: str = Field(max_length=20)


class TicketUpdate(SQLModel):
    title: str | None = Field(default=None, max_length=100)
    seats: int | None = None
    notes: str | None = None
    internal_ref: str | None = Field(default=None, max_length=20)


class TicketListParams(BaseModel):
    code: str | None = None
    title: str | None = None


def test_an_immutable_column_may_be_left_out_of_the_update() -> None:
    assert model_schema_problems(Ticket, {"Create": TicketCreate, "Update": TicketUpdate}) == []


def test_a_filterable_column_missing_from_the_list_filters_is_reported() -> None:
    # seats (a whole number) is missing; notes (long text) and internal_ref (marked) need none.
    [problem] = filter_problems(Ticket, TicketCreate, TicketListParams)

    assert problem.startswith("TicketListParams has no filter seats")


def test_a_field_the_test_factory_leaves_out_is_reported() -> None:
    payload = {"code", "title", "seats", "internal_ref"}

    [problem] = factory_problems(Ticket, TicketCreate, payload)

    assert problem.startswith("tests/factories/test_check.py sends no notes")


# --- route conventions ----------------------------------------------------------------------


class Thing(BaseModel):
    name: str


def app_with_routes() -> FastAPI:
    router = APIRouter(prefix="/things")

    @router.get("", response_model=Thing, summary="No slash", operation_id="no_slash")
    async def no_slash() -> Thing:
        return Thing(name="a")

    @router.get("/quiet/", response_model=Thing, operation_id="quiet")
    async def quiet() -> Thing:
        return Thing(name="b")

    @router.get("/nameless/", response_model=Thing, summary="Nameless")
    async def nameless() -> Thing:
        return Thing(name="c")

    @router.get("/again/", response_model=Thing, summary="Again", operation_id="quiet")
    async def again() -> Thing:
        return Thing(name="d")

    @router.post("/untyped/", summary="Untyped", operation_id="untyped")
    async def untyped() -> None:
        return None

    @router.delete(
        "/gone/",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Gone",
        operation_id="gone",
    )
    async def gone() -> None:
        return None

    app = FastAPI()
    app.include_router(router, prefix="/api")
    return app


@pytest.fixture(scope="module")
def route_report() -> list[str]:
    return route_problems(app_with_routes())


def problems_of(report: list[str], route: str) -> list[str]:
    return [problem for problem in report if f" {route} (" in problem]


def test_a_path_without_trailing_slash_is_reported_with_its_prefix(route_report: list[str]) -> None:
    [problem] = problems_of(route_report, "GET /api/things")

    assert "must end with `/`" in problem
    assert "no_slash in" in problem


def test_a_route_without_summary_is_reported(route_report: list[str]) -> None:
    problems = problems_of(route_report, "GET /api/things/quiet/")

    assert any("has no summary" in problem for problem in problems)


def test_a_route_without_operation_id_is_reported(route_report: list[str]) -> None:
    [problem] = problems_of(route_report, "GET /api/things/nameless/")

    assert 'has no operation_id — add operation_id="nameless"' in problem


def test_a_duplicate_operation_id_is_reported_once_naming_both_routes(
    route_report: list[str],
) -> None:
    [problem] = [problem for problem in route_report if "operation_id `quiet`" in problem]

    assert "used by 2 routes" in problem
    assert "/api/things/quiet/" in problem
    assert "/api/things/again/" in problem


def test_a_route_without_response_model_is_reported_unless_204(route_report: list[str]) -> None:
    [problem] = problems_of(route_report, "POST /api/things/untyped/")

    assert "has no response_model" in problem
    assert problems_of(route_report, "DELETE /api/things/gone/") == []


# --- destructive migrations -------------------------------------------------------------------


def test_a_dropped_column_needs_an_acknowledgement(tmp_path: Path) -> None:
    body = 'op.drop_column("items", "sku")'
    unacknowledged = write_revision(tmp_path, "cccc3333", body)

    [problem] = data_loss_problems([unacknowledged])

    assert "cccc3333_change.py" in problem
    assert "drop_column items.sku" in problem
    assert 'intended_data_loss = "<why>"' in problem

    acknowledged = write_revision(
        tmp_path, "dddd4444", body, extra='intended_data_loss = "sku moved to prices"'
    )
    assert data_loss_problems([acknowledged]) == []


def test_a_not_null_column_added_without_server_default_is_flagged(tmp_path: Path) -> None:
    revision = tmp_path / "2026_01_01_000000-abc_add_sku.py"
    revision.write_text(
        "def upgrade() -> None:\n"
        '    op.add_column("items", sa.Column("sku", sa.String(), nullable=False))\n'
        '    op.add_column("items", sa.Column("code", sa.String(), nullable=True))\n'
        '    op.add_column("items", sa.Column("n", sa.Integer(), nullable=False, '
        'server_default="0"))\n'
    )

    operations = read_revision(revision).operations

    assert [operation.fails_on_rows is not None for operation in operations] == [
        True,
        False,
        False,
    ]
    assert "WARNING" in operations[0].describe()
    assert read_revision(revision).unacknowledged_data_loss == []
