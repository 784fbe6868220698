"""`python -m app.cli COMMAND`: check, migration, add-resource. `--help` on each says more."""

import argparse
import sys

from app.cli import CommandError


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m app.cli",
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
        nargs="+",
        metavar="FIELD",
        help="name:type[?][:unique][:index], e.g. number:str:unique notes:text? owner:ref:User",
    )
    resource.add_argument(
        "--dry-run", action="store_true", help="list what would be written, write nothing"
    )
    return root


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        if arguments.command == "check":
            from app.cli.check import check

            return check()
        if arguments.command == "migration":
            from app.cli.migration import make_migration

            return make_migration(arguments.message)
        from app.cli.resource import add_resource

        return add_resource(arguments.name, arguments.fields, dry_run=arguments.dry_run)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
