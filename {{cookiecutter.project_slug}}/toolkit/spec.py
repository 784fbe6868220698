"""The resource grammar: `Name field:type[?][:unique][:index] ...`, parsed and checked.

Types are the keys of `toolkit.field_types.FIELD_TYPES`; `name:ref:<Resource>` is a foreign key
`<name>_id` to that resource's table (indexed, `ondelete="CASCADE"`). A `?` after the type (or
after the resource) makes the field optional (nullable, default None). Parsing reads only the
text: what a `ref:` names is looked up when the resource is planned (`toolkit.plan`).
"""

import builtins
import keyword
import re
from dataclasses import dataclass

from toolkit import CommandError
from toolkit.field_types import FIELD_TYPES, REFERENCE, FieldType
from toolkit.names import plural, plural_snake_case, singular_of, snake_case

MODIFIERS = ("unique", "index")
# Columns every table already has, and names SQLAlchemy or pydantic keep for themselves.
RESERVED_FIELDS = {"id", "created_at", "updated_at", {% if cookiecutter.multi_tenant == "yes" %}"tenant_id", {% endif %}"metadata", "registry"}
PASCAL_CASE = re.compile(r"[A-Z][a-zA-Z0-9]*")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@dataclass(frozen=True)
class FieldSpec:
    """One field as written: `count:int?:unique` or `customer:ref:Customer`."""

    name: str
    type_name: str
    optional: bool = False
    unique: bool = False
    index: bool = False
    target: str | None = None  # the resource a `ref:` names

    @property
    def kind(self) -> FieldType:
        return FIELD_TYPES[self.type_name]

    @property
    def column(self) -> str:
        return f"{self.name}_id" if self.target else self.name


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    plural_name: str
    table: str  # the plural in snake_case
    fields: tuple[FieldSpec, ...]


def parse_resource(
    name: str, field_arguments: list[str], plural_name: str | None = None
) -> ResourceSpec:
    """`plural_name`: the plural to use where the library's guess (`toolkit.names`) is wrong."""
    fields = tuple(parse_field(argument) for argument in field_arguments)
    columns = [field.column for field in fields]
    duplicates = sorted({column for column in columns if columns.count(column) > 1})
    if duplicates:
        raise CommandError(f"field {duplicates[0]!r} is given twice")
    if not fields:
        raise CommandError("a resource needs at least one field")
    check_name(name, plural_name)
    return ResourceSpec(name, *parse_plural(name, plural_name), fields)


def check_name(name: str, plural_name: str | None) -> None:
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
    if plural_name is None and (singular := singular_of(name)):
        raise CommandError(
            f"resource name {name!r} is plural: name one of them, {singular} (if {name} is "
            f"singular, give its plural with --plural)"
        )


def parse_plural(name: str, given: str | None) -> tuple[str, str]:
    """The plural in PascalCase and in snake_case. It names the list's schema, the table and
    the path, so it must differ from the name."""
    if given is None:
        guessed = plural(name)
        if guessed == name:
            raise CommandError(
                f"resource name {name!r} is its own plural, so its list and one of them would "
                "share names: give a plural that differs with --plural"
            )
        return guessed, plural_snake_case(name)
    if not PASCAL_CASE.fullmatch(given) or given == name:
        raise CommandError(
            f"--plural {given!r} must be {name}'s plural in PascalCase, different from {name}"
        )
    return given, snake_case(given)


def parse_field(text: str) -> FieldSpec:
    """One `name:type[?][:unique][:index]` (or `name:ref:Target[?]`) argument."""
    name, _, rest = text.partition(":")
    if not rest:
        raise CommandError(f"field {text!r} needs a type: write it as name:type, e.g. title:str")
    type_name, *modifiers = rest.split(":")
    target = None
    if type_name == REFERENCE:
        if not modifiers or not modifiers[0].removesuffix("?"):
            raise CommandError(f"field {text!r} names no resource: write it as {name}:ref:Item")
        target = modifiers.pop(0)
        optional = target.endswith("?")
        target = target.removesuffix("?")
    else:
        optional = type_name.endswith("?")
        type_name = type_name.removesuffix("?")
        if type_name not in FIELD_TYPES:
            types = ", ".join(kind for kind in FIELD_TYPES if kind != REFERENCE)
            raise CommandError(
                f"field {name!r} has unknown type {type_name!r}: use one of {types} "
                "or ref:<Resource>"
            )
    check_modifiers(name, modifiers)
    check_field_name(name)
    unique = "unique" in modifiers
    if unique and not FIELD_TYPES[type_name].can_be_unique:
        uniques = ", ".join(kind for kind, field in FIELD_TYPES.items() if field.can_be_unique)
        raise CommandError(f"field {name!r}: unique is supported on {uniques} fields only")
    return FieldSpec(name, type_name, optional, unique, "index" in modifiers, target)


def check_modifiers(name: str, modifiers: list[str]) -> None:
    for position, modifier in enumerate(modifiers):
        if modifier not in MODIFIERS:
            raise CommandError(
                f"field {name!r} has unknown modifier {modifier!r}: use unique or index"
            )
        if modifier in modifiers[:position]:
            raise CommandError(f"field {name!r} gives the modifier {modifier!r} twice")


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
