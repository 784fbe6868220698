"""`python -m app.cli create-user EMAIL{% if cookiecutter.auth == "jwt" %} --password P{% endif %}{% if cookiecutter.multi_tenant == "yes" %} [--tenant NAME]{% endif %} [--role admin]`.

{% if cookiecutter.auth == "jwt" %}Creates a user who can then log in, e.g. the first one.{% else %}Creates a user before oauth2-proxy first sends them, to choose their role{% if cookiecutter.multi_tenant == "yes" %} and tenant{% endif %}.{% endif %}
"""

import asyncio
{%- if cookiecutter.auth == "jwt" %}
from getpass import getpass
{%- endif %}

from sqlalchemy.exc import SQLAlchemyError

from app.auth.emails import checked_email
{% if cookiecutter.auth == "jwt" -%}
from app.auth.passwords import MIN_PASSWORD_LENGTH, hash_password
{% endif -%}
from app.auth.roles import Role
from app.cli import CommandError
from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import Conflict
from app.repositories.user import UserRepository{% if cookiecutter.multi_tenant == "yes" %}, default_tenant_name{% endif %}


def create_user(
    email: str,
    *,
{%- if cookiecutter.auth == "jwt" %}
    password: str | None,
{%- endif %}
    role: Role = "member",
{%- if cookiecutter.multi_tenant == "yes" %}
    tenant: str | None = None,
{%- endif %}
) -> int:
    try:
        email = checked_email(email)
    except ValueError as error:
        raise CommandError(str(error)) from error
{%- if cookiecutter.auth == "jwt" %}
    if password is None:
        password = prompt_for_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
{%- endif %}
{%- if cookiecutter.multi_tenant == "yes" %}
    if tenant is not None and not tenant.strip():
        raise CommandError("the tenant name must not be empty")
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    hashed_password = hash_password(password)
{%- endif %}

    async def store_user() -> None:
        engine = create_engine(get_settings())
        try:
            async with create_sessionmaker(engine)() as session:
                await UserRepository(session).add(
                    email,
{%- if cookiecutter.auth == "jwt" %}
                    hashed_password=hashed_password,
{%- else %}
                    username=email,
{%- endif %}
                    role=role,
{%- if cookiecutter.multi_tenant == "yes" %}
                    tenant_name=tenant,
{%- endif %}
                )
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
{%- if cookiecutter.multi_tenant == "yes" %}
    print(f"Created {role} {email} in tenant {tenant or default_tenant_name(email)}.")
{%- else %}
    print(f"Created {role} {email}.")
{%- endif %}
    return 0
{%- if cookiecutter.auth == "jwt" %}


def prompt_for_password() -> str:
    """Asked for, not passed as `--password`, it stays out of shell history and `ps`."""
    password = getpass("Password: ")
    if getpass("Password again: ") != password:
        raise CommandError("the two passwords differ")
    return password
{%- endif %}
