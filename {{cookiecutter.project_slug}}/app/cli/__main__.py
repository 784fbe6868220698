"""`python -m app.cli create-user EMAIL [--role admin] ...`: what a deployed service needs from
a shell. `python -m app.cli create-user --help` lists the options."""

import argparse
import sys

from app.auth.roles import ROLES
from app.cli.users import add_sign_in_options, create_user
from app.core.commands import run_command


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
    return run_command(lambda: create_user(arguments))


if __name__ == "__main__":
    sys.exit(main())
