"""The resource grammar: `Name field:type[?][:unique][:index] ...`, parsed and checked.

Types: str, text, int, float, decimal, bool, date, datetime, uuid, json, and `ref:<Resource>`
(a foreign key `<field>_id` to that resource's table, indexed, `ondelete="CASCADE"`). A `?`
after the type makes the field optional (nullable, default None).
"""

import builtins
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from toolkit import CommandError

KINDS = ("str", "text", "int", "float", "decimal", "bool", "date", "datetime", "uuid", "json")
UNIQUE_KINDS = ("str", "int", "uuid")
MODIFIERS = ("unique", "index")
# Columns every table already has, and names SQLAlchemy or pydantic keep for themselves.
RESERVED_FIELDS = {"id", "created_at", "updated_at", {% if cookiecutter.multi_tenant == "yes" %}"tenant_id", {% endif %}"metadata", "registry"}
PASCAL_CASE = re.compile(r"[A-Z][a-zA-Z0-9]*")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

INT32 = "ge=-(2**31), le=2**31 - 1"  # what an INTEGER column holds on every database


class Kind(NamedTuple):
    """How one field type is declared, and the values its generated tests use.

    Values are Python source, as they appear in the generated files.
    """

    annotation: str
    limits: str = ""  # validation, in the model and repeated in <Name>Update
    column_type: str = ""  # the SQL type, when SQLModel's default for the annotation is not it
    sample: str = ""
    changed: str = ""
    bad_values: tuple[str, ...] = ()


KINDS_BY_NAME = {
    "str": Kind("str", "min_length=1, max_length=255", "", "", '"changed"', ('""', '"x" * 256')),
    "text": Kind("str", "", "sa_type=Text", '"Some longer text."', '"Changed text."', ("123",)),
    "int": Kind("int", INT32, "", "7", "42", ('"not-a-number"', "2**31")),
    "float": Kind("FiniteFloat", "", "", "1.5", "2.5", ('"not-a-number"', '"inf"')),
    "decimal": Kind(
        "Decimal",
        "max_digits=12, decimal_places=2",
        "",
        '"9.99"',
        '"12.50"',
        ('"not-a-number"', '"1.001"', '"NaN"'),
    ),
    "bool": Kind("bool", "", "", "True", "False", ('"not-a-bool"',)),
    "date": Kind("date", "", "", '"2026-01-31"', '"2026-02-28"', ('"not-a-date"',)),
    "datetime": Kind(
        "UTCDateTime",
        "",
        "sa_type=DateTime(timezone=True)",
        '"2026-01-31T12:00:00Z"',
        '"2026-02-28T08:30:00Z"',
        ('"not-a-datetime"',),
    ),
    "uuid": Kind(
        "uuid.UUID",
        "",
        "",
        "str(uuid.uuid4())",
        '"00000000-0000-4000-8000-000000000000"',
        ('"not-a-uuid"',),
    ),
    # none_as_null: an omitted value is SQL NULL, not the JSON text 'null'.
    "json": Kind(
        "dict[str, Any]",
        "",
        "sa_type=JSON(none_as_null=True)",
        '{"key": "value"}',
        '{"changed": True}',
        ('"text"',),
    ),
    "ref": Kind("uuid.UUID", bad_values=('"not-a-uuid"',)),
}
# Three values in ascending order, for sorting tests.
ORDERED_SAMPLES = {
    "str": ('"a {0}"', '"b {0}"', '"c {0}"'),
    "int": ("1", "2", "3"),
    "float": ("1.5", "2.5", "3.5"),
    "decimal": ('"1.00"', '"2.00"', '"3.00"'),
    "date": ('"2026-01-01"', '"2026-01-02"', '"2026-01-03"'),
    "datetime": ('"2026-01-01T00:00:00Z"', '"2026-01-02T00:00:00Z"', '"2026-01-03T00:00:00Z"'),
}
SORTABLE_KINDS = ("str", "int", "float", "decimal", "bool", "date", "datetime")
FILTERABLE_KINDS = ("str", "int", "bool", "date", "uuid", "ref")


def snake_case(name: str) -> str:
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", spaced).lower()


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class Reference:
    """What a `ref:<Target>` field points at, read from the target's own files."""

    target: str
    module: str
    table: str

    @property
    def constant(self) -> str:
        """The tests' URL constant for the target, as its factory names it."""
        return self.table.upper()


# Turns a `ref:` target into the facts the templates need (read from the target's files).
ReferenceResolver = Callable[[str], Reference]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    optional: bool = False
    unique: bool = False
    index: bool = False
    reference: Reference | None = None
    # A column the field is unique together with (its table's scope), or None: unique alone.
    unique_within: str | None = None

    @property
    def column(self) -> str:
        return f"{self.name}_id" if self.reference else self.name

    @property
    def spelled(self) -> Kind:
        return KINDS_BY_NAME[self.kind]

    @property
    def annotation(self) -> str:
        base = self.spelled.annotation
        return f"{base} | None" if self.optional else base

    def _field(self, *arguments: str, default: str | None = None) -> str:
        parts = [part for part in arguments if part]
        if self.optional:
            default = "None"
        if not parts:
            return f" = {default}" if default is not None else ""
        if self.optional:
            parts.insert(0, "default=None")
        return f" = Field({', '.join(parts)})"

    @property
    def model_line(self) -> str:
        """The field as the model's Base class declares it (limits and constraints included)."""
        database = []
        if self.reference:
            database += [f'foreign_key="{self.reference.table}.id"', 'ondelete="CASCADE"']
        if self.unique and self.unique_within is None:
            database.append("unique=True")
        if self.index or self.reference:
            database.append("index=True")
        default = "False" if self.kind == "bool" else None
        arguments = (self.spelled.limits, *database, self.spelled.column_type)
        return f"{self.column}: {self.annotation}{self._field(*arguments, default=default)}"

    @property
    def update_line(self) -> str:
        """The field in `<Name>Update`: optional, with the same validation limits."""
        limits = self.spelled.limits
        value = f"Field(default=None, {limits})" if limits else "None"
        return f"{self.column}: {self.spelled.annotation} | None = {value}"

    @property
    def unique_constraint(self) -> str | None:
        """A unique field of a scoped table is unique within its scope, not across the table."""
        if not self.unique or self.unique_within is None:
            return None
        return f'UniqueConstraint("{self.unique_within}", "{self.column}")'

    @property
    def relationship_line(self) -> str | None:
        if not self.reference:
            return None
        target = self.reference.target
        annotation = f"{target} | None" if self.optional else target
        options = '{"lazy": "selectin"}'  # loaded with its parent's query, never lazily
        return f"{self.name}: {annotation} = Relationship(sa_relationship_kwargs={options})"

    @property
    def sample(self) -> str:
        if self.kind == "str":
            unique_suffix = "{uuid.uuid4().hex[:8]}"
            return f'f"{self.name} {unique_suffix}"'
        if self.kind == "int" and self.unique:
            return "uuid.uuid4().int % 2**31"
        return self.spelled.sample

    @property
    def changed(self) -> str:
        return self.spelled.changed

    @property
    def bad_values(self) -> tuple[str, ...]:
        return self.spelled.bad_values

    @property
    def ordered_samples(self) -> tuple[str, ...] | None:
        samples = ORDERED_SAMPLES.get(self.kind)
        if samples is None or self.reference:
            return None
        return tuple(sample.format(self.name) for sample in samples)

    @property
    def sortable(self) -> bool:
        return self.kind in SORTABLE_KINDS

    @property
    def filterable(self) -> bool:
        return self.kind in FILTERABLE_KINDS

    @property
    def filter_line(self) -> str:
        return f"{self.column}: {self.spelled.annotation} | None = None"


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    fields: tuple[FieldSpec, ...]

    @property
    def module(self) -> str:
        return snake_case(self.name)

    @property
    def table(self) -> str:
        words = self.module.split("_")
        return "_".join([*words[:-1], plural(words[-1])])

    @property
    def plural_name(self) -> str:
        return plural(self.name)

    @property
    def words(self) -> str:
        """How prose names one of these: "invoice line"."""
        return self.module.replace("_", " ")

    @property
    def article(self) -> str:
        """ "An invoice line", "A customer"."""
        return f"{'An' if self.words[0] in 'aeiou' else 'A'} {self.words}"

    @property
    def path(self) -> str:
        """The URL segment: plural, lowercase, hyphenated."""
        return self.table.replace("_", "-")

    @property
    def constant(self) -> str:
        """The name of the tests' URL constant, e.g. INVOICE_LINES."""
        return self.table.upper()

    @property
    def references(self) -> list[FieldSpec]:
        return [field for field in self.fields if field.reference]

    @property
    def required(self) -> list[FieldSpec]:
        return [field for field in self.fields if not field.optional and field.kind != "bool"]

    @property
    def unique(self) -> list[FieldSpec]:
        return [field for field in self.fields if field.unique]

    @property
    def unique_constraints(self) -> list[str]:
        return [field.unique_constraint for field in self.fields if field.unique_constraint]

    @property
    def sortable(self) -> list[str]:
        columns = [field.column for field in self.fields if field.sortable]
        return [*columns, "created_at", "updated_at"]

    @property
    def filters(self) -> list[FieldSpec]:
        return [field for field in self.fields if field.filterable]

    @property
    def changeable(self) -> FieldSpec | None:
        """The field the update test changes: the first that is not a reference."""
        return next((field for field in self.fields if not field.reference), None)

    @property
    def sorted_by(self) -> FieldSpec | None:
        """The field the list test sorts by: the first with three ordered sample values."""
        return next((field for field in self.fields if field.ordered_samples), None)

    @property
    def filtered_by(self) -> FieldSpec | None:
        """The field the list test filters on: the first filterable one that is no reference."""
        candidates = [field for field in self.filters if not field.reference]
        return next((field for field in candidates if field.ordered_samples), None)

    def uses(self, *kinds: str) -> bool:
        return any(field.kind in kinds for field in self.fields)


def parse_name(name: str) -> str:
    if not PASCAL_CASE.fullmatch(name):
        raise CommandError(
            f"resource name {name!r} must be singular PascalCase, like Invoice or InvoiceLine"
        )
    module = snake_case(name)
    if keyword.iskeyword(module) or keyword.issoftkeyword(module) or hasattr(builtins, module):
        raise CommandError(
            f"resource name {name!r} would name its module and variables {module!r}, "
            "which Python already uses"
        )
    return name


def parse_field(
    text: str, resolve: ReferenceResolver, unique_within: str | None = None
) -> FieldSpec:
    """One `name:type[?][:unique][:index]` (or `name:ref:Target[?]`) argument."""
    parts = text.split(":")
    if len(parts) < 2:
        raise CommandError(f"field {text!r} needs a type: write it as name:type, e.g. title:str")
    name, kind = parts[0], parts[1]
    rest = parts[2:]
    reference = None
    if kind == "ref":
        if not rest or not rest[0].rstrip("?"):
            raise CommandError(f"field {text!r} names no resource: write it as {name}:ref:Item")
        target = rest.pop(0)
        optional = target.endswith("?")
        reference = resolve(target.rstrip("?"))
    else:
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if kind not in KINDS:
            raise CommandError(
                f"field {name!r} has unknown type {kind!r}: use one of {', '.join(KINDS)} "
                "or ref:<Resource>"
            )
    unknown = [modifier for modifier in rest if modifier not in MODIFIERS]
    if unknown:
        raise CommandError(
            f"field {name!r} has unknown modifier {unknown[0]!r}: use unique or index"
        )
    check_field_name(name)
    unique = "unique" in rest
    if unique and kind not in UNIQUE_KINDS:
        raise CommandError(
            f"field {name!r}: unique is supported on {', '.join(UNIQUE_KINDS)} fields only"
        )
    return FieldSpec(name, kind, optional, unique, "index" in rest, reference, unique_within)


def check_field_name(name: str) -> None:
    if not SNAKE_CASE.fullmatch(name):
        raise CommandError(f"field name {name!r} must be snake_case, like due_on")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise CommandError(f"field name {name!r} is a Python keyword")
    if name in RESERVED_FIELDS or name.startswith("model_"):
        raise CommandError(
            f"field name {name!r} is reserved: every table has it, or a library uses it"
        )
    if hasattr(builtins, name):
        raise CommandError(f"field name {name!r} would shadow Python's built-in {name}()")


def parse_resource(
    name: str,
    field_arguments: list[str],
    resolve: ReferenceResolver,
    unique_within: str | None = None,
) -> ResourceSpec:
    """`unique_within`: the column that scopes every row, when the service has one."""
    fields = tuple(parse_field(argument, resolve, unique_within) for argument in field_arguments)
    columns = [field.column for field in fields]
    duplicates = sorted({column for column in columns if columns.count(column) > 1})
    if duplicates:
        raise CommandError(f"field {duplicates[0]!r} is given twice")
    if not fields:
        raise CommandError("a resource needs at least one field")
    return ResourceSpec(parse_name(name), fields)
