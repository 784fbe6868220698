"""Every field type `add-resource` knows, one entry each: adding a type is adding an entry.

An entry holds all the generated files need: how the field is declared and imported, how it is
validated (in a request body and, the same way, as a list filter), and the values its tests
use. Values are Python source, as it appears in the generated files; `$name` in a sample stands
for the field's name.
"""

from dataclasses import dataclass

INT32 = "ge=-(2**31), le=2**31 - 1"  # what an INTEGER column holds on every database


@dataclass(frozen=True)
class FieldType:
    annotation: str  # in the model, the update body and (unless filter_annotation) the filter
    imports: tuple[str, ...] = ()  # what the annotation needs, in the model and the schemas
    # Validation, in every body and in the list filter alike: a filter value the column could
    # not hold is a 422, never a database error.
    limits: str = ""
    column: str = ""  # the SQL type, when SQLModel's default for the annotation is not it
    column_imports: tuple[str, ...] = ()  # what `column` needs, in the model
    default: str | None = None  # a field with a default may be left out of a create
    can_be_unique: bool = False
    sortable: bool = False
    filterable: bool = False  # an exact-match filter on the list
    filter_annotation: str = ""  # the filter's, where a query string needs another than the body
    sample: str = ""  # in the factory's create body
    unique_sample: str = ""  # instead of `sample` on a unique column, where `sample` repeats
    changed: str = ""  # what the update test sets
    bad_values: tuple[str, ...] = ()  # each a 422, in a body and (when filterable) as a filter
    ascending: tuple[str, str, str] | None = None  # three values, for the sort and filter tests
    stored_in_utc: bool = False  # a test sends an offset and expects UTC back


FIELD_TYPES = {
    "str": FieldType(
        "str",
        limits="min_length=1, max_length=255",
        can_be_unique=True,
        sortable=True,
        filterable=True,
        sample='f"$name {uuid.uuid4().hex[:8]}"',
        changed='"changed"',
        bad_values=('""', '"x" * 256'),
        ascending=('"a $name"', '"b $name"', '"c $name"'),
    ),
    "text": FieldType(
        "str",
        column="sa_type=Text",
        column_imports=("from sqlalchemy import Text",),
        sample='"Some longer text."',
        changed='"Changed text."',
        bad_values=("123",),
    ),
    "int": FieldType(
        "int",
        limits=INT32,
        can_be_unique=True,
        sortable=True,
        filterable=True,
        sample="7",
        unique_sample="uuid.uuid4().int % 2**31",
        changed="42",
        bad_values=('"not-a-number"', "2**31"),
        ascending=("1", "2", "3"),
    ),
    "float": FieldType(
        "FiniteFloat",
        imports=("from pydantic import FiniteFloat",),
        sortable=True,
        sample="1.5",
        changed="2.5",
        bad_values=('"not-a-number"', '"inf"'),
        ascending=("1.5", "2.5", "3.5"),
    ),
    # DecimalText: a string on the wire, so no float rounding reaches the column.
    "decimal": FieldType(
        "DecimalText",
        imports=("from app.models.base import DecimalText",),
        limits="max_digits=12, decimal_places=2",
        sortable=True,
        sample='"9.99"',
        changed='"12.50"',
        bad_values=('"not-a-number"', '"1.001"', '"NaN"', "9.99"),
        ascending=('"1.00"', '"2.00"', '"3.00"'),
    ),
    # StrictBool: a JSON body's 0 or "yes" is not a boolean; a query string's "true" is.
    "bool": FieldType(
        "StrictBool",
        imports=("from pydantic import StrictBool",),
        filter_annotation="bool",
        default="False",
        sortable=True,
        filterable=True,
        sample="True",
        changed="False",
        bad_values=('"not-a-bool"',),
    ),
    # ISODate, not date: pydantic alone takes a number for seconds since 1970, so `0` is a date.
    "date": FieldType(
        "ISODate",
        imports=("from app.models.base import ISODate",),
        sortable=True,
        filterable=True,
        sample='"2026-01-31"',
        changed='"2026-02-28"',
        bad_values=('"not-a-date"', "0"),
        ascending=('"2026-01-01"', '"2026-01-02"', '"2026-01-03"'),
    ),
    "datetime": FieldType(
        "UTCDateTime",
        imports=("from app.models.base import UTCDateTime",),
        column="sa_type=DateTime(timezone=True)",
        column_imports=("from sqlalchemy import DateTime",),
        sortable=True,
        sample='"2026-01-31T12:00:00Z"',
        changed='"2026-02-28T08:30:00Z"',
        bad_values=('"not-a-datetime"',),
        ascending=('"2026-01-01T00:00:00Z"', '"2026-01-02T00:00:00Z"', '"2026-01-03T00:00:00Z"'),
        stored_in_utc=True,
    ),
    "uuid": FieldType(
        "uuid.UUID",
        imports=("import uuid",),
        can_be_unique=True,
        filterable=True,
        sample="str(uuid.uuid4())",
        changed='"00000000-0000-4000-8000-000000000000"',
        bad_values=('"not-a-uuid"',),
    ),
    # none_as_null: an omitted value is SQL NULL, not the JSON text 'null'.
    "json": FieldType(
        "dict[str, Any]",
        imports=("from typing import Any",),
        column="sa_type=JSON(none_as_null=True)",
        column_imports=("from sqlalchemy import JSON",),
        sample='{"key": "value"}',
        changed='{"changed": True}',
        bad_values=('"text"',),
    ),
    # `name:ref:Target`: the column `<name>_id`, a foreign key to Target's table (its column
    # arguments name that table), and a relationship. The factory stores a Target to refer to.
    "ref": FieldType(
        "uuid.UUID",
        imports=("import uuid",),
        column_imports=("from sqlmodel import Relationship",),
        filterable=True,
        bad_values=('"not-a-uuid"',),
    ),
}
REFERENCE = "ref"
