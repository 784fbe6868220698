"""Every table model, imported here so that `SQLModel.metadata` (and Alembic) sees them all."""

from app.models.base import Timestamps, UUIDPrimaryKey
{%- if cookiecutter.auth == "jwt" %}
from app.models.revoked_token import RevokedToken
{%- endif %}
{%- if cookiecutter.multi_tenant == "yes" %}
from app.models.tenant import Tenant, TenantScoped
{%- endif %}
{%- if cookiecutter.auth != "none" %}
from app.models.user import User
{%- endif %}

__all__ = [
{%- if cookiecutter.auth == "jwt" %}"RevokedToken", {% endif %}
{%- if cookiecutter.multi_tenant == "yes" %}"Tenant", "TenantScoped", {% endif -%}
"Timestamps", "UUIDPrimaryKey"
{%- if cookiecutter.auth != "none" %}, "User"{% endif %}]
