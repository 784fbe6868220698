"""`python -m toolkit add-resource`: write a whole resource, or nothing at all.

It reads top to bottom: parse the arguments (`toolkit.spec`), plan the resource against the
service (`toolkit.plan`), render its files (`toolkit.render`), then write them, make the
migration and apply it, all or nothing (`toolkit.rollback`). The example `Item` was made by
this command when the service was rendered: `add-resource Item title:str:unique
description:text? price:decimal is_active:bool` writes its files again, byte for byte.
"""

from app.core.config import PROJECT_ROOT, get_settings
from toolkit import CommandError
from toolkit.plan import ResourcePlan, plan_resource
from toolkit.render import render_files
from toolkit.rollback import all_or_nothing
from toolkit.spec import parse_resource
from toolkit.steps import autogenerate_migration, upgrade_dev_database


def add_resource(
    name: str,
    field_arguments: list[str],
    *,
    plural_name: str | None = None,
    dry_run: bool = False,
    migrate: bool = True,
) -> int:
    """Write the resource; then, unless `migrate` is false, its migration, applied."""
    spec = parse_resource(name, field_arguments, plural_name)
    plan = plan_resource(spec)
    refuse_taken_files(plan)
    files = render_files(plan)
    if dry_run:
        print(f"Would add resource {plan.name} (nothing written):")
        for path in files:
            print(f"  create {path}")
        print(f'  then: python -m toolkit migration "{plan.migration_message}", and apply it')
        return 0

    migration = write_resource(files, plan.migration_message if migrate else None)

    print(f"Added resource {plan.name}:")
    for path in files:
        print(f"  created {path}")
    if migration is None:
        print(
            f'Next: `make migration m="{plan.migration_message}"`, read it, `make migrate`, '
            "`make check test`."
        )
        return 0
    print("  " + migration.strip().replace("\n", "\n  "))
    print("  applied to the dev database")
    print("Next: read the migration, then `make check test`.")
    return 0


def refuse_taken_files(plan: ResourcePlan) -> None:
    taken = [path for path in plan.files if (PROJECT_ROOT / path).exists()]
    if taken:
        raise CommandError(f"{plan.name} already exists: {taken[0]} is there")


def write_resource(files: dict[str, str], migration_message: str | None) -> str | None:
    """Write the files, then, given a message, autogenerate the migration and apply it to the
    dev database; what the migration step said."""
    dev_database_url = get_settings().database_url if migration_message else None
    migration = None
    try:
        with all_or_nothing(dev_database_url) as changes:
            for path, content in files.items():
                changes.write(path, content)
            if migration_message:
                migration = autogenerate_migration(migration_message)
                upgrade_dev_database()
    except KeyboardInterrupt:
        raise CommandError("stopped before it finished, so nothing was changed") from None
    return migration
