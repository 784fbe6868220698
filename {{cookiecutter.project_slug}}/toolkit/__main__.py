"""`python -m toolkit COMMAND`: check, migration, add-resource (and --undo), template-update.

`python -m toolkit COMMAND --help` says more about each.
"""

import argparse
import sys

from app.core.commands import run_command
from toolkit import CommandError


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m toolkit",
        description="Keep the service's models, migrations and schemas in step.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "check",
        help="fail when migrations, schemas or routes have drifted from the models",
    )
    migration = commands.add_parser(
        "migration", help="autogenerate a migration from the models and list what it does"
    )
    migration.add_argument("message", help='what changed, e.g. "add item sku"')
    resource = commands.add_parser(
        "add-resource",
        help="write model, schemas, repository, router, tests and migration for a resource",
    )
    resource.add_argument("name", help="singular PascalCase name, e.g. Invoice")
    resource.add_argument(
        "fields",
        nargs="*",
        metavar="FIELD",
        help="name:type[?][:unique][:index], e.g. number:str:unique notes:text? owner:ref:User",
    )
    resource.add_argument(
        "--plural", metavar="WORD", help="the plural, where the guess is wrong, e.g. People"
    )
    resource.add_argument(
        "--dry-run", action="store_true", help="list what would be written, write nothing"
    )
    resource.add_argument(
        "--no-migration",
        dest="migrate",
        action="store_false",
        help="write the files only; make the migration yourself (e.g. after several resources)",
    )
    resource.add_argument(
        "--undo",
        action="store_true",
        help="remove a resource add-resource made, and its migration when that is the head",
    )
    update = commands.add_parser(
        "template-update",
        help="merge what the template changed since this service was rendered (three-way)",
    )
    update.add_argument(
        "--template", help="path or URL of the template (default: the one recorded)"
    )
    update.add_argument("--checkout", help="the template's branch, tag or commit (default: HEAD)")
    return root


def parse(argv: list[str] | None) -> argparse.Namespace:
    """add-resource's fields may stand on both sides of its options (`Person --plural People
    name:str`): the ones after an option are left over by argparse, and join the others."""
    root = parser()
    arguments, left_over = root.parse_known_args(argv)
    options = [text for text in left_over if text.startswith("-")]
    if options or (left_over and arguments.command != "add-resource"):
        root.error(f"unrecognized arguments: {' '.join(left_over)}")
    if left_over:
        arguments.fields += left_over
    return arguments


def add_or_undo(arguments: argparse.Namespace) -> int:
    if not arguments.undo:
        from toolkit.resource import add_resource

        return add_resource(
            arguments.name,
            arguments.fields,
            plural_name=arguments.plural,
            dry_run=arguments.dry_run,
            migrate=arguments.migrate,
        )
    if arguments.fields or arguments.plural or not arguments.migrate:
        raise CommandError("--undo takes the resource's name alone (and --dry-run)")
    from toolkit.undo import undo_resource

    return undo_resource(arguments.name, dry_run=arguments.dry_run)


def main(argv: list[str] | None = None) -> int:
    arguments = parse(argv)
    return run_command(lambda: run(arguments))


def run(arguments: argparse.Namespace) -> int:
    if arguments.command == "check":
        from toolkit.check import check

        return check()
    if arguments.command == "template-update":
        from toolkit.template_update import update_from_template

        return update_from_template(arguments.template, arguments.checkout)
    if arguments.command == "migration":
        from toolkit.migration import make_migration

        return make_migration(arguments.message)
    return add_or_undo(arguments)


if __name__ == "__main__":
    sys.exit(main())
