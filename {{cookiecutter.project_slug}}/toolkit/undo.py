"""`python -m toolkit add-resource --undo Name`: remove a resource that `add-resource` made.

Its files go; so does its migration when that is the head and was written for this resource
alone (`add <name>`, making its table and nothing else), after the dev database is downgraded
past it. Anything more would take other work with it, so it is refused: another resource
refers to this one, or a later migration came after its own.
"""

import re
from pathlib import Path

from alembic.script import Script, ScriptDirectory

from app.core.config import PROJECT_ROOT, get_settings
from toolkit import CommandError
from toolkit.checks import shown
from toolkit.database import alembic_config, current_revision
from toolkit.names import snake_case
from toolkit.plan import SCOPE, ExistingResource, existing_resource, resource_files
from toolkit.revisions import read_revision
from toolkit.rollback import all_or_nothing
from toolkit.steps import downgrade_dev_database


def undo_resource(name: str, *, dry_run: bool = False) -> int:
    resource = existing_resource(name)
    if resource is None:
        module = snake_case(name)
        raise CommandError(f"{name} is no resource: app/models/{module}.py has no table {name}")
    files = resource_files(resource.module, resource.table, SCOPE)
    present = [path for path in files if (PROJECT_ROOT / path).exists()]
    refuse_if_referred_to(resource, present)
    migration = own_migration(resource)
    removed = [*present, *([shown(migration.path)] if migration else [])]
    if dry_run:
        print(f"Would remove resource {name} (nothing removed):")
        for path in removed:
            print(f"  remove {path}")
        return 0

    downgraded_to = remove_resource(present, migration)

    print(f"Removed resource {name}:")
    for path in removed:
        print(f"  removed {path}")
    if downgraded_to:
        print(f"  downgraded the dev database to {downgraded_to}")
    return 0


def refuse_if_referred_to(resource: ExistingResource, own_files: list[str]) -> None:
    """A `ref:` to the resource imports its model and its factory elsewhere."""
    imported = re.compile(rf"\b(app\.models|tests\.factories)\.{resource.module}\b")
    for folder in ("app", "tests"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = shown(path)
            if relative not in own_files and imported.search(path.read_text()):
                raise CommandError(f"{relative} refers to {resource.name}: undo or change it first")


def own_migration(resource: ExistingResource) -> Script | None:
    """The revision that made the resource's table, when it may go with the resource; None
    when no revision made it (the resource was added with --no-migration)."""
    script = ScriptDirectory.from_config(alembic_config())
    maker = next(
        (
            revision
            for revision in script.walk_revisions()
            if any(
                operation.name == "create_table" and operation.target == resource.table
                for operation in read_revision(Path(revision.path)).operations
            )
        ),
        None,
    )
    if maker is None:
        return None
    file = shown(maker.path)
    if script.get_heads() != [maker.revision]:
        raise CommandError(
            f"{file} made the {resource.table} table and later migrations came after it: "
            "write a migration that drops it instead"
        )
    others = [
        operation
        for operation in read_revision(Path(maker.path)).operations
        if operation.target.split(".")[0] != resource.table
    ]
    written_for_it = maker.doc == f"add {resource.module.replace('_', ' ')}"
    if not written_for_it or others or not isinstance(maker.down_revision, str | None):
        raise CommandError(
            f"{file} made the {resource.table} table along with other changes: "
            "write a migration that drops it instead"
        )
    return maker


def remove_resource(files: list[str], migration: Script | None) -> str | None:
    """Remove the files and the migration, downgrading the dev database first when it is at
    that migration; the revision it went down to, if it did."""
    database_url = get_settings().database_url if migration else None
    downgraded_to = None
    try:
        with all_or_nothing(database_url) as changes:
            if migration and database_url and current_revision(database_url) == migration.revision:
                downgraded_to = str(migration.down_revision or "base")
                downgrade_dev_database(downgraded_to)
            for path in [*files, *([shown(migration.path)] if migration else [])]:
                changes.remove(path)
    except KeyboardInterrupt:
        raise CommandError("stopped before it finished, so nothing was changed") from None
    return downgraded_to
