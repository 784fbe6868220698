"""The versioned API, under /api/v1: `include_api(app)` includes every module of this package
that defines `router`, by module name, so a new resource needs no registration.
{%- if cookiecutter.auth != "none" %}

Every route requires a signed-in user: the dependency is added as each module's router is
included, so a route added later cannot forget it.
{%- endif %}
"""

import importlib
import pkgutil

from fastapi import APIRouter, FastAPI

{% if cookiecutter.auth == "none" -%}
from app.core.errors import ValidationFailed, error_responses
{%- elif cookiecutter.multi_tenant == "yes" -%}
from app.core.errors import AuthenticationFailed, ValidationFailed, error_responses

# Signing in, then confining the request's session to the user's tenant.
from app.tenancy import SIGN_IN_TO_TENANT as SIGN_IN
{%- else -%}
from app.auth.dependencies import SIGN_IN
from app.core.errors import AuthenticationFailed, ValidationFailed, error_responses
{%- endif %}

API_PREFIX = "/api/v1"
# What every API route shares: its dependencies and error answers.
{%- if cookiecutter.auth != "none" %}
DEPENDENCIES = (SIGN_IN,)
RESPONSES = error_responses(AuthenticationFailed, ValidationFailed)
{%- else %}
DEPENDENCIES = ()
RESPONSES = error_responses(ValidationFailed)
{%- endif %}


def new_api_router() -> APIRouter:
    """An empty router with what every API route shares, for routes made outside this package."""
    return APIRouter(dependencies=DEPENDENCIES, responses=RESPONSES)


def include_api(app: FastAPI) -> None:
    """Each module's router straight into the app, not through one router that holds them all:
    FastAPI matches a request against each level of routers it passes through, so one level
    less saves time on every request."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
        router = importlib.import_module(f"{__name__}.{module.name}").router
        app.include_router(
            router, prefix=API_PREFIX, dependencies=DEPENDENCIES, responses=RESPONSES
        )
