"""What `create-user` needs when oauth2-proxy signs users in: nothing but the email. Creating a
user before their first visit chooses their role (and tenant)."""

import argparse
from typing import Any


def add_credential_options(parser: argparse.ArgumentParser) -> None:
    """The proxy checks credentials: there are none to give here."""


def credential_fields(arguments: argparse.Namespace) -> dict[str, Any]:
    """The username, until the proxy sends the user's own."""
    return {"username": arguments.email}
