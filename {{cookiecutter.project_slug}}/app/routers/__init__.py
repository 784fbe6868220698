"""The versioned API, mounted under /api/v1 by `create_app()`: every module of this package
that defines `router` is included, by module name, so a new resource needs no registration.
{%- if cookiecutter.auth != "none" %}

Every route requires a signed-in user: the dependency is on the router that includes them all,
so a route added later cannot forget it.
{%- endif %}
"""

import importlib
import pkgutil

from fastapi import APIRouter{{ ", Depends" if cookiecutter.auth != "none" }}

{% if cookiecutter.auth == "none" -%}
from app.core.errors import ValidationFailed, error_responses
{%- elif cookiecutter.multi_tenant == "yes" -%}
from app.core.errors import AuthenticationFailed, ValidationFailed, error_responses

# Signing in, then confining the request's session to the user's tenant.
from app.tenancy import get_current_tenant as signed_in
{%- else -%}
from app.auth.dependencies import get_current_user as signed_in
from app.core.errors import AuthenticationFailed, ValidationFailed, error_responses
{%- endif %}

API_PREFIX = "/api/v1"


def new_api_router() -> APIRouter:
    """An empty router with what every API route shares: its dependencies and error answers."""
    return APIRouter(
{%- if cookiecutter.auth != "none" %}
        dependencies=[Depends(signed_in)],
        responses=error_responses(AuthenticationFailed, ValidationFailed),
{%- else %}
        responses=error_responses(ValidationFailed),
{%- endif %}
    )


def api_router() -> APIRouter:
    router = new_api_router()
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
        router.include_router(importlib.import_module(f"{__name__}.{module.name}").router)
    return router
