"""What `add-resource` writes for a parsed resource: its names and files, each field's column
as the templates spell it, what its `ref:`s point at (read from their files), and the scope
every resource of this service shares."""

import re
from dataclasses import asdict, dataclass{{ ", replace" if cookiecutter.websockets == "yes" }}
from pathlib import Path
from string import Template

from app.core.config import PROJECT_ROOT
from toolkit import CommandError
from toolkit.names import snake_case
from toolkit.spec import FieldSpec, ResourceSpec

TEMPLATES = Path(__file__).parent / "templates"
ADDED = TEMPLATES / "added"


@dataclass(frozen=True)
class Scope:
    """What every resource of this service shares beyond its own fields."""

    model_imports: tuple[str, ...] = ()
    model_mixins: tuple[str, ...] = ()
    repository_import: str = "from app.repositories.base import BaseRepository"
    repository_base: str = "BaseRepository"
    # Mixed into every repository before its base, each with the line that imports it.
    repository_mixins: tuple[tuple[str, str], ...] = ()
    unique_within: str | None = None  # the column unique fields are unique together with
    sort_index_prefix: tuple[str, ...] = ()  # columns every list filters on, before its sort
    test_suffixes: tuple[str, ...] = ()  # "x" adds tests/test_<table>_x.py from test_x.py.jinja
    columns: str = "id, the fields above, then the timestamps"  # in the model's docstring

{% if cookiecutter.multi_tenant == "yes" %}
# Every resource belongs to a tenant, and is reached only through its tenant.
SCOPE = Scope(
    model_imports=("from app.models.tenant import TenantScoped",),
    model_mixins=("TenantScoped",),
    repository_import="from app.tenancy import TenantRepository",
    repository_base="TenantRepository",
    unique_within="tenant_id",
    sort_index_prefix=("tenant_id",),
    test_suffixes=("tenancy",),
    columns="id, its tenant, the fields above, then the timestamps",
)
{%- else %}
SCOPE = Scope()
{%- endif %}
{%- if cookiecutter.websockets == "yes" %}

# Every resource announces its changes to the sockets in its scope (app/realtime/).
SCOPE = replace(
    SCOPE,
    repository_mixins=(("BroadcastChanges", "from app.realtime.changes import BroadcastChanges"),),
)
{%- endif %}


@dataclass(frozen=True)
class ExistingResource:
    """A resource the service already has, as its model file names it."""

    name: str
    module: str
    table: str

    @property
    def constant(self) -> str:
        """The tests' URL constant for it, as its factory names it."""
        return self.table.upper()


def existing_resource(name: str) -> ExistingResource | None:
    module = snake_case(name)
    model_file = PROJECT_ROOT / "app" / "models" / f"{module}.py"
    source = model_file.read_text() if model_file.is_file() else ""
    table = re.search(r'^    __tablename__ = "(\w+)"', source, re.MULTILINE)
    if not re.search(rf"^class {name}\(", source, re.MULTILINE) or table is None:
        return None
    return ExistingResource(name, module, table.group(1))


def resolve_reference(target: str) -> ExistingResource:
    """A `ref:` target must be a resource with a model and a test factory."""
    resource = existing_resource(target)
    module = snake_case(target)
    if resource is None:
        raise CommandError(
            f"ref:{target} names no resource: app/models/{module}.py has no table {target}"
        )
    if not (PROJECT_ROOT / "tests" / "factories" / f"{module}.py").is_file():
        raise CommandError(
            f"ref:{target} needs tests/factories/{module}.py to build {target}s in tests"
        )
    return resource


def resource_files(module: str, table: str, scope: Scope) -> dict[str, str]:
    """Every file of a resource: path → the template that writes it."""
    return {
        f"app/models/{module}.py": "model.py.jinja",
        f"app/schemas/{module}.py": "schemas.py.jinja",
        f"app/repositories/{module}.py": "repository.py.jinja",
        f"app/routers/{table}.py": "router.py.jinja",
        f"tests/factories/{module}.py": "factory.py.jinja",
        f"tests/test_{table}.py": "test.py.jinja",
        **{
            f"tests/test_{table}_{suffix}.py": f"test_{suffix}.py.jinja"
            for suffix in scope.test_suffixes
        },
        **added_files(module, table),
    }


def added_files(module: str, table: str) -> dict[str, str]:
    """The files options add to every resource: each template under `templates/added/` writes
    the path it is named by, with the resource's `{module}` and `{table}` in it. A render keeps
    only the chosen options' templates."""
    files = {}
    for template in sorted(ADDED.rglob("*.jinja")):
        path = str(template.relative_to(ADDED)).removesuffix(".jinja")
        files[path.format(module=module, table=table)] = template.relative_to(TEMPLATES).as_posix()
    return files


@dataclass(frozen=True)
class FieldPlan(FieldSpec):
    """A field as the templates write it: its type's entry (`kind`) and its resolved `ref:`."""

    reference: ExistingResource | None = None
    # A column the field is unique together with (its table's scope), or None: unique alone.
    unique_within: str | None = None

    @property
    def annotation(self) -> str:
        return f"{self.kind.annotation} | None" if self.optional else self.kind.annotation

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
        arguments = (self.kind.limits, *database, self.kind.column)
        declared = self._field(*arguments, default=self.kind.default)
        return f"{self.column}: {self.annotation}{declared}"

    def _optional(self, annotation: str, *extra: str) -> str:
        """The field optional (default None), with the body's limits and any `extra` arguments."""
        arguments = [part for part in (self.kind.limits, *extra) if part]
        value = f"Field(default=None, {', '.join(arguments)})" if arguments else "None"
        return f"{self.column}: {annotation} | None = {value}"

    @property
    def filter_line(self) -> str:
        """The field as an exact-match filter of the list: optional, with the body's limits."""
        return self._optional(self.kind.filter_annotation or self.kind.annotation)

    @property
    def update_line(self) -> str:
        """The field in `<Name>Update`: optional, and null only where the column takes NULL (the
        schema does not offer null for the others; the repository refuses it)."""
        if self.optional:
            return self._optional(self.kind.annotation)
        return self._optional(self.kind.annotation, "schema_extra=NOT_NULL")

    @property
    def public_line(self) -> str:
        """The field in `<Name>Public`: its type alone (the body's limits held when it was
        stored)."""
        return f"{self.column}: {self.annotation}"

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
        target = self.reference.name
        annotation = f"{target} | None" if self.optional else target
        options = '{"lazy": "selectin"}'  # loaded with its parent's query, never lazily
        return f"{self.name}: {annotation} = Relationship(sa_relationship_kwargs={options})"

    @property
    def model_imports(self) -> tuple[str, ...]:
        target = self.reference
        own = (f"from app.models.{target.module} import {target.name}",) if target else ()
        return (*self.kind.imports, *self.kind.column_imports, *own)

    @property
    def sample(self) -> str:
        unique = self.unique and self.kind.unique_sample
        return self._named(self.kind.unique_sample if unique else self.kind.sample)

    @property
    def ascending(self) -> tuple[str, ...] | None:
        values = self.kind.ascending
        return tuple(self._named(value) for value in values) if values else None

    def _named(self, value: str) -> str:
        return Template(value).substitute(name=self.name)


@dataclass(frozen=True)
class ResourcePlan:
    """A resource as the templates read it (they call it `spec`)."""

    name: str
    plural_name: str
    table: str
    fields: tuple[FieldPlan, ...]
    scope: Scope

    @property
    def module(self) -> str:
        return snake_case(self.name)

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
    def files(self) -> dict[str, str]:
        return resource_files(self.module, self.table, self.scope)

    @property
    def migration_message(self) -> str:
        return f"add {self.words}"

    @property
    def references(self) -> list[FieldPlan]:
        return [field for field in self.fields if field.reference]

    @property
    def required(self) -> list[FieldPlan]:
        return [field for field in self.fields if not field.optional and field.kind.default is None]

    @property
    def unique(self) -> list[FieldPlan]:
        return [field for field in self.fields if field.unique]

    @property
    def unique_constraints(self) -> list[str]:
        return [field.unique_constraint for field in self.fields if field.unique_constraint]

    @property
    def sortable(self) -> list[str]:
        columns = [field.column for field in self.fields if field.kind.sortable]
        return [*columns, "created_at", "updated_at"]

    @property
    def filters(self) -> list[FieldPlan]:
        return [field for field in self.fields if field.kind.filterable]

    @property
    def changeable(self) -> FieldPlan | None:
        """The field the update test changes: the first that is not a reference."""
        return next((field for field in self.fields if not field.reference), None)

    @property
    def sorted_by(self) -> FieldPlan | None:
        """The field the list test sorts by: the first with three ascending sample values."""
        return next((field for field in self.fields if field.ascending), None)

    @property
    def filtered_by(self) -> FieldPlan | None:
        """The field the list test filters on: the first filter with ascending values."""
        return next((field for field in self.filters if field.ascending), None)

    @property
    def model_imports(self) -> list[str]:
        """What the model's fields and scope need beyond what its template imports itself."""
        lines = [line for field in self.fields for line in field.model_imports]
        lines.append("from sqlalchemy import Index")  # the default sort's index
        if self.unique_constraints:
            lines.append("from sqlalchemy import UniqueConstraint")
        return unique_lines([*lines, *self.scope.model_imports])

    @property
    def schema_imports(self) -> list[str]:
        """What the update body and the list filters need for their annotations."""
        lines = [line for field in self.fields for line in field.kind.imports]
        if any(not field.optional for field in self.fields):
            lines.append("from app.schemas.common import NOT_NULL")
        return unique_lines(lines)


def unique_lines(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def plan_resource(spec: ResourceSpec, scope: Scope = SCOPE) -> ResourcePlan:
    """Resolve what the spec's `ref:`s name, and give every field the service's scope."""
    fields = tuple(
        FieldPlan(
            **asdict(field),
            reference=resolve_reference(field.target) if field.target else None,
            unique_within=scope.unique_within,
        )
        for field in spec.fields
    )
    return ResourcePlan(spec.name, spec.plural_name, spec.table, fields, scope)
