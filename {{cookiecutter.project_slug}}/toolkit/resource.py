"""`python -m toolkit add-resource`: write a whole resource, or nothing at all.

The files come from the templates in `toolkit/templates/`. The example `Item` was made by
this command when the service was rendered: `add-resource Item title:str:unique
description:text? price:decimal is_active:bool` writes its files again, byte for byte.
"""

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.core.config import PROJECT_ROOT
from toolkit import CommandError
from toolkit.spec import Reference, ResourceSpec, parse_resource, snake_case

TEMPLATES = Path(__file__).parent / "templates"
VERSIONS = PROJECT_ROOT / "alembic" / "versions"


@dataclass(frozen=True)
class Scope:
    """What every resource of this service shares beyond its own fields."""

    model_imports: tuple[str, ...] = ()
    model_mixins: tuple[str, ...] = ()
    repository_import: str = "from app.repositories.base import BaseRepository"
    repository_base: str = "BaseRepository"
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


def resolve_reference(target: str) -> Reference:
    """A `ref:` target must be a resource with a model and a test factory."""
    module = snake_case(target)
    model_file = PROJECT_ROOT / "app" / "models" / f"{module}.py"
    source = model_file.read_text() if model_file.is_file() else ""
    table = re.search(r'^    __tablename__ = "(\w+)"', source, re.MULTILINE)
    if not re.search(rf"^class {target}\(", source, re.MULTILINE) or table is None:
        raise CommandError(
            f"ref:{target} names no resource: app/models/{module}.py has no table {target}"
        )
    if not (PROJECT_ROOT / "tests" / "factories" / f"{module}.py").is_file():
        raise CommandError(
            f"ref:{target} needs tests/factories/{module}.py to build {target}s in tests"
        )
    return Reference(target=target, module=module, table=table.group(1))


def render_resource(spec: ResourceSpec) -> dict[str, str]:
    """Every new file of the resource, as it would be written: path → content."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    sqlalchemy_names = [
        name
        for kind, name in (("datetime", "DateTime"), ("json", "JSON"), ("text", "Text"))
        if spec.uses(kind)
    ]
    sqlalchemy_names.append("Index")
    if spec.unique_constraints:
        sqlalchemy_names.append("UniqueConstraint")
    context = {
        "spec": spec,
        "scope": SCOPE,
        "article": spec.article,
        "article_lower": spec.article[0].lower() + spec.article[1:],
        "words_plural": spec.table.replace("_", " "),
        "sqlalchemy_names": ", ".join(sqlalchemy_names),
        "update_uses_field": any("Field(" in field.update_line for field in spec.fields),
    }
    templates = {
        f"app/models/{spec.module}.py": "model.py.jinja",
        f"app/schemas/{spec.module}.py": "schemas.py.jinja",
        f"app/repositories/{spec.module}.py": "repository.py.jinja",
        f"app/routers/{spec.table}.py": "router.py.jinja",
        f"tests/factories/{spec.module}.py": "factory.py.jinja",
        f"tests/test_{spec.table}.py": "test.py.jinja",
        **{
            f"tests/test_{spec.table}_{suffix}.py": f"test_{suffix}.py.jinja"
            for suffix in SCOPE.test_suffixes
        },
    }
    return {
        path: tidy(path, environment.get_template(template).render(context))
        for path, template in templates.items()
    }


def tidy(path: str, source: str) -> str:
    """Sort imports and format with ruff, as `make format` would, without touching disk."""
    fixes = ["check", "--fix", "--exit-zero", "--quiet", "--select", "I,F401"]
    sorted_imports = ruff(fixes, path, source)
    return ruff(["format", "--quiet"], path, sorted_imports)


def ruff(options: list[str], path: str, source: str) -> str:
    """Run ruff on `source` as if it were the file at `path`, so the project's config applies."""
    stdin_as = ["--stdin-filename", str(PROJECT_ROOT / path), "-"]
    command = [sys.executable, "-m", "ruff", *options, *stdin_as]
    result = subprocess.run(command, input=source, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"ruff could not format {path}: {result.stderr.strip()}")
    return result.stdout


class FileChanges:
    """Files written so far, with what they held before, so a failure can put them back."""

    def __init__(self) -> None:
        self.originals: dict[Path, str | None] = {}

    def write(self, relative: str, content: str) -> None:
        path = PROJECT_ROOT / relative
        if path not in self.originals:
            self.originals[path] = path.read_text() if path.exists() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)

    def created_elsewhere(self, path: Path) -> None:
        """A file a subprocess made (the migration): it goes too if the resource is undone."""
        self.originals.setdefault(path, None)

    def undo(self) -> None:
        for path, original in self.originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(original)


@contextmanager
def all_or_nothing() -> Iterator[FileChanges]:
    changes = FileChanges()
    versions_before = set(VERSIONS.glob("*.py"))
    try:
        yield changes
    except BaseException:
        for path in set(VERSIONS.glob("*.py")) - versions_before:
            changes.created_elsewhere(path)
        changes.undo()
        raise


def run_step(description: str, *arguments: str) -> str:
    """Run `python ARGUMENTS` in a fresh process, which imports the models just written."""
    result = subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-12:])
        raise CommandError(f"{description} failed, so nothing was changed:\n{output}")
    return result.stdout


def add_resource(
    name: str, field_arguments: list[str], *, dry_run: bool, migrate: bool = True
) -> int:
    """Write the resource; then, unless `migrate` is false, its migration, applied."""
    spec = parse_resource(name, field_arguments, resolve_reference, SCOPE.unique_within)
    new_files = render_resource(spec)
    taken = [path for path in new_files if (PROJECT_ROOT / path).exists()]
    if taken:
        raise CommandError(f"{spec.name} already exists: {taken[0]} is there")
    message = f"add {spec.words}"
    if dry_run:
        print(f"Would add resource {spec.name} (nothing written):")
        for path in new_files:
            print(f"  create {path}")
        print(f'  then: python -m toolkit migration "{message}", and apply it')
        return 0

    with all_or_nothing() as changes:
        for path, content in new_files.items():
            changes.write(path, content)
        if migrate:
            migration = run_step(
                "autogenerating the migration", "-m", "toolkit", "migration", message
            )
            run_step(
                "applying the migration to the dev database", "-m", "alembic", "upgrade", "head"
            )

    print(f"Added resource {spec.name}:")
    for path in new_files:
        print(f"  created {path}")
    if not migrate:
        print(f'Next: `make migration m="{message}"`, read it, `make migrate`, `make check test`.')
        return 0
    print("  " + migration.strip().replace("\n", "\n  "))
    print("  applied to the dev database")
    print("Next: read the migration, then `make check test`.")
    return 0
