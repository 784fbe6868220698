"""Typed errors raised where the fact is known, and the handlers that render every error alike.

Every error body has one shape: `{"detail": "<one sentence>", "code": "<machine name>"}`, plus
`"errors"` (the field-by-field list) when a request fails validation.
"""

import logging
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

logger = logging.getLogger(__name__)


RETRY_SOON = {"Retry-After": "1"}
# Python 3.13 renamed these phrases: one code whatever Python serves the API.
STABLE_CODES = {413: "content_too_large", 422: "validation_error"}
HTTP_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
# What a bug answers (app.core.middleware sends it, with the request id).
INTERNAL_ERROR = {"detail": "Internal error.", "code": "internal_error"}


class ErrorBody(BaseModel):
    """The JSON body of every error response."""

    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


class AppException(Exception):
    """Base of the errors the service raises on purpose; each subclass fixes status and code."""

    status_code = HTTPStatus.INTERNAL_SERVER_ERROR
    code = "internal_error"
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code}

    def response_headers(self) -> dict[str, str]:
        return self.headers


class BadRequest(AppException):
    status_code = HTTPStatus.BAD_REQUEST
    code = "bad_request"


{% if cookiecutter.auth != "none" -%}
class AuthenticationFailed(AppException):
    status_code = HTTPStatus.UNAUTHORIZED
    code = "not_authenticated"
{%- if cookiecutter.auth == "jwt" %}
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}
{%- endif %}


class PermissionDenied(AppException):
    status_code = HTTPStatus.FORBIDDEN
    code = "permission_denied"


{% endif -%}
class NotFound(AppException):
    status_code = HTTPStatus.NOT_FOUND
    code = "not_found"


class Conflict(AppException):
    status_code = HTTPStatus.CONFLICT
    code = "conflict"


class ValidationFailed(AppException):
    status_code = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "validation_error"


class ServiceUnavailable(AppException):
    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    code = "service_unavailable"


class TooManyRequests(AppException):
    status_code = HTTPStatus.TOO_MANY_REQUESTS
    code = "too_many_requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

    def response_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def error_responses(*errors: type[AppException]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for a route, so its documented errors match what it raises."""
    return {
        int(error.status_code): {"model": ErrorBody, "description": error.__name__}
        for error in errors
    }


async def handle_app_exception(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppException)
    headers = exc.response_headers() or None
    return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)


async def handle_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """Where and why, but not the rejected input: it may be huge, secret, or NaN (not JSON)."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    body = {
        "detail": "The request is not valid: see errors.",
        "code": ValidationFailed.code,
        "errors": jsonable_encoder(errors),
    }
    return JSONResponse(body, status_code=HTTPStatus.UNPROCESSABLE_ENTITY)


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    """Routing errors (unknown path, wrong method) in the same shape as the service's own; a
    path that lacks only its trailing slash is told the one that exists (never redirected:
    a redirect would drop the Authorization header)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == HTTPStatus.BAD_REQUEST:
        # FastAPI's only 400: a body it cannot parse (bytes that are not UTF-8, a broken
        # form). Every route documents 422 for a body it cannot use; this is one.
        error = ValidationFailed("The request body cannot be parsed (is it UTF-8 JSON?).")
        return JSONResponse(error.to_dict(), status_code=error.status_code)
    code = STABLE_CODES.get(exc.status_code) or HTTPStatus(exc.status_code).phrase
    code = code.lower().replace(" ", "_")
    detail = str(exc.detail)
    headers = exc.headers
    if exc.status_code == HTTPStatus.NOT_FOUND and exists_with_slash(request):
        detail = f"Not Found: the path is {request.url.path}/ (every path ends with /)."
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    body = {"detail": detail, "code": code}
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method the path serves: each method is a route of its own, and the 405 Starlette
    raises names only the first route whose path matched."""
    return [method for method in HTTP_METHODS if a_route_serves(request, method=method)]


def exists_with_slash(request: Request) -> bool:
    path = request.url.path
    return not path.endswith("/") and a_route_serves(request, path=f"{path}/")


def a_route_serves(request: Request, **changes: str) -> bool:
    """Whether a route fully matches the request with `changes` (another path or method)."""
    scope = {**request.scope, **changes}
    return any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes)


async def handle_integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    """A constraint broken past the repositories (say, at commit) is still a 409, never a 500."""
    assert isinstance(exc, IntegrityError)
    logger.warning("integrity error reached the handler: %s", type(exc.orig).__name__)
    conflict = Conflict("The request conflicts with data already stored.")
    return JSONResponse(conflict.to_dict(), status_code=conflict.status_code)


async def handle_database_error(_request: Request, exc: Exception) -> JSONResponse:
    """The database is unreachable, or dropped the connection: a 503 the client may retry, not
    a 500. Any other database error is a bug, answered as one."""
    assert isinstance(exc, DBAPIError)
    if not (exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)):
        raise exc
    logger.warning("database unavailable: %s", type(exc.orig).__name__)
    error = ServiceUnavailable("The database is not reachable; try again shortly.")
    return JSONResponse(error.to_dict(), status_code=error.status_code, headers=RETRY_SOON)


async def handle_data_error(_request: Request, exc: Exception) -> JSONResponse:
    """A value the schema let through but the column cannot hold is the client's error."""
    error = ValidationFailed("A value does not fit its column (out of range, or not storable).")
    return JSONResponse(error.to_dict(), status_code=error.status_code)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppException, handle_app_exception)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(IntegrityError, handle_integrity_error)
    app.add_exception_handler(DataError, handle_data_error)
    app.add_exception_handler(DBAPIError, handle_database_error)
