"""`python -m toolkit check` fails when a GraphQL type drifts from its model."""

import uuid
from datetime import datetime
from decimal import Decimal
from types import ModuleType

import strawberry

from app.core.config import PROJECT_ROOT
from app.repositories.item import ItemRepository
from toolkit.checks.graphql import graphql_problems


def resource_module(graphql_type: type | None) -> ModuleType:
    """A resource module as `add-resource` writes one, holding `graphql_type` as ItemType."""
    module = ModuleType("app.graphql.resources.items")
    module.__file__ = str(PROJECT_ROOT / "app" / "graphql" / "resources" / "items.py")
    module.REPOSITORY = ItemRepository  # type: ignore[attr-defined]
    if graphql_type is not None:
        module.ItemType = graphql_type  # type: ignore[attr-defined]
    return module


def test_every_graphql_type_matches_its_model() -> None:
    assert graphql_problems() == []


def test_a_column_missing_from_the_type_is_a_problem() -> None:
    @strawberry.type(name="Item")
    class ItemType:
        id: uuid.UUID
        title: str
        description: str | None
        is_active: bool
        created_at: datetime
        updated_at: datetime

    assert graphql_problems([resource_module(ItemType)]) == [
        "ItemType has no field for column `items.price`, so GraphQL cannot show it — add "
        "`price: ...` to ItemType in app/graphql/resources/items.py (and to its from_row)"
    ]


def test_a_field_without_a_column_is_a_problem() -> None:
    @strawberry.type(name="Item")
    class ItemType:
        id: uuid.UUID
        title: str
        description: str | None
        price: Decimal
        is_active: bool
        sku: str
        created_at: datetime
        updated_at: datetime

    assert graphql_problems([resource_module(ItemType)]) == [
        "ItemType.sku is not a column of model Item (table `items`) — remove it from ItemType "
        'in app/graphql/resources/items.py, or add it to the model and `make migration m="add '
        'item sku"`'
    ]


def test_a_field_that_refuses_the_null_its_column_holds_is_a_problem() -> None:
    @strawberry.type(name="Item")
    class ItemType:
        id: uuid.UUID
        title: str
        description: str
        price: Decimal
        is_active: bool
        created_at: datetime
        updated_at: datetime

        @strawberry.field
        def label(self) -> str:
            """A resolved field: no column is expected behind it."""
            return self.title

    assert graphql_problems([resource_module(ItemType)]) == [
        "ItemType.description does not accept null but column `items.description` is "
        "nullable, so a row with NULL would fail the query — make it `... | None` in "
        "app/graphql/resources/items.py"
    ]


def test_a_resource_module_without_its_type_is_a_problem() -> None:
    assert graphql_problems([resource_module(None)]) == [
        "app/graphql/resources/items.py has no GraphQL type ItemType for model Item — define "
        "it there, with a field for each column"
    ]
