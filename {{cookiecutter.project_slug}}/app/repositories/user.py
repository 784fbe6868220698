"""Users, looked up across {% if cookiecutter.multi_tenant == "yes" %}tenants: signing in finds a user before anything knows their tenant{% else %}the service{% endif %}."""

from sqlmodel import col, select

from app.auth.emails import canonical_email, checked_email
from app.auth.roles import Role
{%- if cookiecutter.auth == "oauth2_proxy" or cookiecutter.multi_tenant == "yes" %}
from app.core.errors import Conflict
{%- endif %}
{%- if cookiecutter.multi_tenant == "yes" %}
from app.models.tenant import Tenant
{%- endif %}
from app.models.user import User
from app.repositories.base import BaseRepository

{%- if cookiecutter.multi_tenant == "yes" %}


def default_tenant_name(email: str) -> str:
    """A user given no tenant gets one of their own, named after their email: nobody shares
    data by accident (two strangers with gmail.com addresses must not share a tenant)."""
    return canonical_email(email)
{%- endif %}


class UserRepository(BaseRepository[User]):
    model = User

    async def get_by_email(self, email: str) -> User | None:
        statement = select(User).where(col(User.email) == canonical_email(email))
        return (await self.session.exec(statement)).first()

    async def add(
        self,
        email: str,
{%- if cookiecutter.auth == "jwt" %}
        *,
        hashed_password: str,
{%- else %}
        *,
        username: str,
{%- endif %}
        role: Role = "member",
{%- if cookiecutter.multi_tenant == "yes" %}
        tenant_name: str | None = None,
{%- endif %}
    ) -> User:
{%- if cookiecutter.multi_tenant == "yes" %}
        """A new user, in the tenant `tenant_name` (default: one of their own), which is
        created when it does not exist yet; a 409 when the email already has an account."""
        email = checked_email(email)
        tenant = await self.tenant_named(tenant_name or default_tenant_name(email))
{%- else %}
        """A new user; a 409 when the email already has an account."""
        email = checked_email(email)
{%- endif %}
        user = User(
            email=email,
{%- if cookiecutter.auth == "jwt" %}
            hashed_password=hashed_password,
{%- else %}
            username=username,
{%- endif %}
            role=role,
{%- if cookiecutter.multi_tenant == "yes" %}
            tenant_id=tenant.id,
{%- endif %}
        )
        self.session.add(user)
        await self._flush()
        return user
{%- if cookiecutter.auth == "oauth2_proxy" %}

    async def get_or_create(self, email: str, *, username: str) -> User:
        """The user with this email, created on first sight; the stored username follows the
        proxy's."""
        user = await self.get_by_email(email)
        if user is None:
            try:
                async with self.session.begin_nested():
                    user = await self.add(email, username=username)
            except Conflict:
                # A concurrent first request created them a moment ago.
                user = await self.get_by_email(email)
                if user is None:
                    raise
        if user.username != username:
            user.username = username
            await self._flush()
        return user
{%- endif %}
{%- if cookiecutter.multi_tenant == "yes" %}

    async def tenant_named(self, name: str) -> Tenant:
        """The tenant called `name`, created when it does not exist yet."""
        statement = select(Tenant).where(col(Tenant.name) == name)
        tenant = (await self.session.exec(statement)).first()
        if tenant is not None:
            return tenant
        try:
            async with self.session.begin_nested():
                tenant = Tenant(name=name)
                self.session.add(tenant)
                await self._flush()
        except Conflict:
            # A concurrent request created it a moment ago.
            tenant = (await self.session.exec(statement)).first()
            if tenant is None:
                raise
        return tenant
{%- endif %}
