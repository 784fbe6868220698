"""`python -m app.cli COMMAND`: check, migration, add-resource{% if cookiecutter.auth != "none" %}, create-user{% endif %}.

`python -m app.cli COMMAND --help` says more about each.
"""

import argparse
import sys

from pydantic import ValidationError

{% if cookiecutter.auth == "jwt" -%}
from app.auth.passwords import MIN_PASSWORD_LENGTH
{% endif -%}
{% if cookiecutter.auth != "none" -%}
from app.auth.roles import ROLES
{% endif -%}
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
    resource.add_argument(
        "--no-migration",
        dest="migrate",
        action="store_false",
        help="write the files only; make the migration yourself (e.g. after several resources)",
    )
{%- if cookiecutter.auth != "none" %}
    user = commands.add_parser(
        "create-user",
        help="create a user{% if cookiecutter.auth == "jwt" %}, e.g. for a first login{% else %} before their first visit, to choose their role{% if cookiecutter.multi_tenant == "yes" %} and tenant{% endif %}{% endif %}",
    )
    user.add_argument("email")
{%- if cookiecutter.auth == "jwt" %}
    user.add_argument(
        "--password",
        help=f"at least {MIN_PASSWORD_LENGTH} characters; asked for when left out (safer: "
        "a password on the command line ends up in shell history)",
    )
{%- endif %}
{%- if cookiecutter.multi_tenant == "yes" %}
    user.add_argument(
        "--tenant", help="the tenant's name (created if missing); default: one of their own"
    )
{%- endif %}
    user.add_argument("--role", choices=ROLES, default="member")
{%- endif %}
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
{%- if cookiecutter.auth != "none" %}
        if arguments.command == "create-user":
            from app.cli.users import create_user

            return create_user(
                arguments.email,
{%- if cookiecutter.auth == "jwt" %}
                password=arguments.password,
{%- endif %}
                role=arguments.role,
{%- if cookiecutter.multi_tenant == "yes" %}
                tenant=arguments.tenant,
{%- endif %}
            )
{%- endif %}
        from app.cli.resource import add_resource

        return add_resource(
            arguments.name,
            arguments.fields,
            dry_run=arguments.dry_run,
            migrate=arguments.migrate,
        )
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:  # the settings, from the environment and .env
        problem = error.errors()[0]
        setting = ".".join(str(part) for part in problem["loc"]).upper() or "the settings"
        print(f"error: {setting}: {problem['msg']}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
