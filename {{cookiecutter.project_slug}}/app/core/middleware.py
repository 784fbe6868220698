"""Plain ASGI middleware on every request: its log line and id, the last resort for a bug (a
JSON 500 that carries the id too), the limit on a request body's size, and the refusal of NUL
characters, which PostgreSQL cannot store in text."""

import json
import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import INTERNAL_ERROR
from app.core.logging import request_id_var

REQUEST_ID_HEADER = b"x-request-id"
# A client's own request id is kept only when it is a short token: anything else (newlines,
# quotes, a megabyte) would end up in log lines, so it is replaced by one of ours.
CLIENT_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")

logger = logging.getLogger("app.requests")


def request_id_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and CLIENT_REQUEST_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return uuid.uuid4().hex


class RequestLoggingMiddleware:
    """Plain ASGI, not BaseHTTPMiddleware: no task or stream per request, and streaming and
    background tasks are untouched. It is the service's access log (run uvicorn with
    `--no-access-log`, so each request is logged once)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = request_id_of(scope)
        header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_code = 0

        async def send_with_request_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            if status_code:  # the response has begun: nothing else can be sent
                raise
            logger.exception("unhandled error")
            await send_internal_error(send_with_request_id)
        finally:
            if logger.isEnabledFor(logging.INFO):
                elapsed_ms = (time.perf_counter() - started) * 1000
                method, path = scope["method"], scope["path"]
                logger.info("%s %s -> %d in %.1f ms", method, path, status_code, elapsed_ms)
            request_id_var.reset(token)


async def send_internal_error(send: Send) -> None:
    """A bug is still answered in the one JSON shape; the traceback went to the log."""
    await send_json(send, 500, INTERNAL_ERROR)


async def send_json(send: Send, status: int, content: dict[str, str]) -> None:
    body = json.dumps(content).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """A request body over `max_bytes` is a 413 before the service stores or even parses it:
    at once when its Content-Length says so, else as soon as the bytes received pass it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.too_large = f"The request body is larger than {max_bytes} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if declared_length(scope) > self.max_bytes:
            await send_json(send, 413, {"detail": self.too_large, "code": "content_too_large"})
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # Raised while the route reads its body: answered by the HTTP error handler.
                raise HTTPException(413, self.too_large)
            return message

        await self.app(scope, receive_within_limit, send)


def declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


# A NUL character: raw or percent-encoded in a URL or a form, or a JSON `\u0000` escape (one not
# itself escaped: `\\u0000` is a backslash followed by the text "u0000").
ENCODED_NUL = re.compile(rb"\x00|%00")
JSON_NUL = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
NUL_REFUSED = "The request holds a NUL character, which no text field can store."


class RefuseNulMiddleware:
    """A NUL anywhere in a request's path, query or body is a 422 on every database: PostgreSQL
    cannot store it in text (the driver would fail with a 500), and SQLite would keep it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = (scope.get("raw_path") or b"") + b"?" + scope["query_string"]
        if ENCODED_NUL.search(url):
            await send_json(send, 422, {"detail": NUL_REFUSED, "code": "validation_error"})
            return
        nul = ENCODED_NUL if is_form(scope) else JSON_NUL
        tail = b""

        async def receive_without_nul() -> Message:
            nonlocal tail
            message = await receive()
            seen = tail + message.get("body", b"")
            if nul.search(seen):
                # Raised while the route reads its body: answered by the HTTP error handler.
                raise HTTPException(422, NUL_REFUSED)
            tail = seen[-16:]  # a NUL's spelling may straddle two chunks
            return message

        await self.app(scope, receive_without_nul, send)


def is_form(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value).lower().startswith(b"application/x-www-form-urlencoded")
    return False
