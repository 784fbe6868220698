"""What clients see of a user: never the {% if cookiecutter.auth == "jwt" %}password hash{% else %}data of other users{% endif %}."""

import uuid

from pydantic import BaseModel

from app.auth.roles import Role
from app.models.base import UTCDateTime


class UserPublic(BaseModel):
    id: uuid.UUID
    email: str
{%- if cookiecutter.auth == "oauth2_proxy" %}
    username: str
{%- endif %}
    role: Role
    is_active: bool
{%- if cookiecutter.multi_tenant == "yes" %}
    tenant_id: uuid.UUID
{%- endif %}
    created_at: UTCDateTime
