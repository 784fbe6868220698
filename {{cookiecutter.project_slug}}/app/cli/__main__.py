"""`python -m app.cli create-user EMAIL [--role admin] ...`: what a deployed service needs from
a shell. `python -m app.cli create-user --help` lists the options."""

import argparse
import sys

from pydantic import ValidationError

from app.auth.roles import ROLES
from app.cli import CommandError
from app.cli.users import add_sign_in_options, create_user
from app.core.config import settings_problem


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    user = commands.add_parser("create-user", help="create a user, e.g. the first admin")
    user.add_argument("email")
    user.add_argument("--role", choices=ROLES, default="member")
    add_sign_in_options(user)
    return root


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return create_user(arguments)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:  # the settings, from the environment and .env
        print(f"error: {settings_problem(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
