"""`python -m app.cli create-user EMAIL [--role admin]`: a user who can then sign in, e.g. the
first admin."""

import argparse
import asyncio

from sqlalchemy.exc import SQLAlchemyError

from app.auth.emails import checked_email
from app.cli.{{ cookiecutter.auth }} import add_credential_options, credential_fields
from app.core.commands import CommandError
from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import Conflict
{%- if cookiecutter.multi_tenant == "yes" %}
from app.repositories.tenants import default_tenant_name
{%- endif %}
from app.repositories.user import UserRepository


def add_sign_in_options(parser: argparse.ArgumentParser) -> None:
    add_credential_options(parser)
{%- if cookiecutter.multi_tenant == "yes" %}
    parser.add_argument(
        "--tenant", help="the tenant's name (created if missing); default: one of their own"
    )
{%- endif %}


def create_user(arguments: argparse.Namespace) -> int:
    try:
        email = checked_email(arguments.email)
    except ValueError as error:
        raise CommandError(str(error)) from error
    fields = credential_fields(arguments)
    created_in = ""
{%- if cookiecutter.multi_tenant == "yes" %}
    if arguments.tenant is not None and not arguments.tenant.strip():
        raise CommandError("the tenant name must not be empty")
    fields["tenant_name"] = arguments.tenant
    created_in = f" in tenant {arguments.tenant or default_tenant_name(email)}"
{%- endif %}

    async def store_user() -> None:
        engine = create_engine(get_settings())
        try:
            async with create_sessionmaker(engine)() as session:
                await UserRepository(session).add(email, role=arguments.role, **fields)
                await session.commit()
        finally:
            await engine.dispose()

    try:
        asyncio.run(store_user())
    except Conflict as error:
        raise CommandError(f"a user with the email {email} already exists") from error
    except (OSError, SQLAlchemyError) as error:
        raise CommandError(
            f"cannot store the user; is the database migrated (`make migrate`)? {error}"
        ) from error
    print(f"Created {arguments.role} {email}{created_in}.")
    return 0
