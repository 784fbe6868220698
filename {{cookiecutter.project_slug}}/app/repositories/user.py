"""Users, looked up across the whole service: signing in finds a user before anything else
is known about the request."""

from typing import Any

from sqlmodel import col, select

from app.auth.emails import canonical_email, checked_email
from app.auth.roles import Role
from app.models.user import User
from app.repositories.base import BaseRepository
{%- if cookiecutter.multi_tenant == "yes" %}
from app.repositories.tenants import default_tenant_name, tenant_named
{%- endif %}


class UserRepository(BaseRepository[User]):
    model = User

    async def get_by_email(self, email: str) -> User | None:
        statement = select(User).where(col(User.email) == canonical_email(email))
        return (await self.session.exec(statement)).first()
{% if cookiecutter.multi_tenant == "yes" %}
    async def add(
        self, email: str, *, role: Role = "member", tenant_name: str | None = None, **sign_in: Any
    ) -> User:
        """A new user in the tenant `tenant_name` (created when missing; default: one of
        their own); a 409 when the email already has an account. `sign_in`: the User's
        sign-in fields."""
        email = checked_email(email)
        tenant = await tenant_named(self.session, tenant_name or default_tenant_name(email))
        user = User(email=email, role=role, tenant_id=tenant.id, **sign_in)
{%- else %}
    async def add(self, email: str, *, role: Role = "member", **sign_in: Any) -> User:
        """A new user; a 409 when the email already has an account. `sign_in`: the User's
        sign-in fields."""
        user = User(email=checked_email(email), role=role, **sign_in)
{%- endif %}
        self.session.add(user)
        await self._flush()
        return user
