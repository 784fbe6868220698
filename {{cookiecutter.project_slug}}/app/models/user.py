"""Users: who signs in, what they may do{% if cookiecutter.multi_tenant == "yes" %}, and which tenant's data they see{% endif %}."""
{% if cookiecutter.multi_tenant == "yes" %}
import uuid
{% endif %}
from sqlmodel import Field

from app.models.base import Timestamps, UUIDPrimaryKey


class User(Timestamps, UUIDPrimaryKey, table=True):
    """The `users` table. Emails are stored lowercased, so each address has one account."""

    __tablename__ = "users"

    email: str = Field(max_length=320, unique=True)
{%- if cookiecutter.auth == "jwt" %}
    # An Argon2id hash (app/auth/passwords.py); the password itself is never stored.
    hashed_password: str = Field(max_length=255)
{%- else %}
    # X-Forwarded-Preferred-Username, as oauth2-proxy last sent it (else the email).
    username: str = Field(max_length=320)
{%- endif %}
    is_active: bool = True
    role: str = Field(default="member", max_length=20)
{%- if cookiecutter.multi_tenant == "yes" %}
    # Users are not TenantScoped: sign-in must find a user before it knows the tenant.
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE", index=True)
{%- endif %}
