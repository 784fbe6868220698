"""What `create-user` asks for when users sign in with a password."""

import argparse
from getpass import getpass
from typing import Any

from app.auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from app.core.commands import CommandError


def add_credential_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password",
        help=f"at least {MIN_PASSWORD_LENGTH} characters; asked for when left out (safer: "
        "a password on the command line ends up in shell history)",
    )


def credential_fields(arguments: argparse.Namespace) -> dict[str, Any]:
    """The user's password hash; only the hash is stored."""
    password: str = arguments.password if arguments.password is not None else prompt()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return {"hashed_password": hash_password(password)}


def prompt() -> str:
    """Asked for, not passed as `--password`, it stays out of shell history and `ps`."""
    password = getpass("Password: ")
    if getpass("Password again: ") != password:
        raise CommandError("the two passwords differ")
    return password
