{%- if cookiecutter.auth == "none" -%}
"""The versioned API: every resource router, mounted under /api/v1 by `create_app()`."""

from fastapi import APIRouter

api_router = APIRouter()
{%- else -%}
"""The versioned API, mounted under /api/v1 by `create_app()`.

Every router included in `api_router` requires a signed-in user: the dependency is on the
router itself, so a route added later cannot forget it.{% if cookiecutter.auth == "jwt" %} Only `public_router`, which signs users
in, is open to anonymous callers.{% endif %}
"""

from fastapi import APIRouter, Depends

from app.auth.dependencies import get_current_user
from app.routers import {% if cookiecutter.auth == "jwt" %}auth, {% endif %}users
{%- if cookiecutter.auth == "jwt" %}

public_router = APIRouter()
public_router.include_router(auth.router)
{%- endif %}

api_router = APIRouter(dependencies=[Depends(get_current_user)])
api_router.include_router(users.router)
{%- endif %}
