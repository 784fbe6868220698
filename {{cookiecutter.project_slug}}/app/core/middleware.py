"""Plain ASGI middleware on every request: its log line and id, the last resort for a bug (a
JSON 500 that carries the id too), and the guard on what a request may hold (its size, and no
NUL character, which PostgreSQL cannot store in text)."""

import json
import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import INTERNAL_ERROR
from app.core.logging import access_fields_var, request_id_var

REQUEST_ID_HEADER = b"x-request-id"
# A client's own request id is kept only when it is a short token: anything else (newlines,
# quotes, a megabyte) would end up in log lines, so it is replaced by one of ours.
CLIENT_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")

logger = logging.getLogger("app.requests")


def request_id_of(scope: Scope) -> str:
    sent = header(scope, REQUEST_ID_HEADER)
    if sent is not None and CLIENT_REQUEST_ID.fullmatch(sent):
        return sent.decode("ascii")
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
        fields: dict[str, str] = {}
        fields_token = access_fields_var.set(fields)
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
                method, path = scope["method"], scope["path"]  # the path: never the query
                access = {"method": method, "path": path, "status": status_code}
                access["duration_ms"] = round(elapsed_ms, 1)
                logger.info(
                    "%s %s -> %d in %.1f ms",
                    method,
                    path,
                    status_code,
                    elapsed_ms,
                    extra={**access, **fields},
                )
            access_fields_var.reset(fields_token)
            request_id_var.reset(token)


async def send_internal_error(send: Send) -> None:
    """A bug is still answered in the one JSON shape; the traceback went to the log."""
    await send_json(send, 500, INTERNAL_ERROR)


async def send_json(send: Send, status: int, content: dict[str, str]) -> None:
    body = json.dumps(content).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# A NUL character: raw or percent-encoded in a URL or a form, or a JSON `\u0000` escape (one not
# itself escaped: `\\u0000` is a backslash followed by the text "u0000").
ENCODED_NUL = re.compile(rb"\x00|%00")
JSON_NUL = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
NUL_REFUSED = "The request holds a NUL character, which no text field can store."


class RequestGuardMiddleware:
    """What a request may hold, refused before the service parses or stores it:

    - a body over `max_bytes` is a 413, at once when its Content-Length says so, else as soon
      as the bytes received pass it;
    - a NUL anywhere in its path, query or body is a 422 on every database: PostgreSQL cannot
      store it in text (the driver would fail with a 500), and SQLite would keep it.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.too_large = f"The request body is larger than {max_bytes} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = header(scope, b"content-length") or b"0"
        if declared.isdigit() and int(declared) > self.max_bytes:
            await send_json(send, 413, {"detail": self.too_large, "code": "content_too_large"})
            return
        if ENCODED_NUL.search((scope.get("raw_path") or b"") + b"?" + scope["query_string"]):
            await send_json(send, 422, {"detail": NUL_REFUSED, "code": "validation_error"})
            return
        content_type = (header(scope, b"content-type") or b"").lower()
        nul = ENCODED_NUL if content_type.startswith(FORM) else JSON_NUL
        received = 0
        tail = b""

        # Raised while the route reads its body, these are answered by the HTTP error handler.
        async def receive_guarded() -> Message:
            nonlocal received, tail
            message = await receive()
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_bytes:
                raise HTTPException(413, self.too_large)
            if nul.search(tail + body):
                raise HTTPException(422, NUL_REFUSED)
            tail = (tail + body)[-16:]  # a NUL's spelling may straddle two chunks
            return message

        await self.app(scope, receive_guarded, send)


FORM = b"application/x-www-form-urlencoded"


def header(scope: Scope, name: bytes) -> bytes | None:
    """A request header's raw value (`name` in lower case, as ASGI gives it), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None
