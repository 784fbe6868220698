"""One access line per request: outside `local`, a JSON object with the request id, method,
path, status and duration; never a credential, nor the query string."""

import json
import logging
import sys

import pytest
from httpx import AsyncClient

from app.core.config import Settings
from app.core.logging import JsonFormatter, RequestIdFilter


def json_access_line(caplog: pytest.LogCaptureFixture) -> dict[str, object]:
    """The request's access line, formatted as production writes it."""
    (record,) = [record for record in caplog.records if record.name == "app.requests"]
    RequestIdFilter().filter(record)
    line: dict[str, object] = json.loads(JsonFormatter().format(record))
    return line


async def test_a_request_writes_one_json_access_line(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.requests")

    response = await client.get("/api/v1/items/?limit=5", headers={"X-Request-ID": "abc-123"})

    line = json_access_line(caplog)
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/items/"  # the query string may carry secrets: left out
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    authorization = client.headers.get("Authorization")
    if authorization:
        assert authorization.split()[-1] not in json.dumps(line)


def test_an_error_line_carries_its_traceback_as_json() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = sys.exc_info()

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "failed"
    assert "RuntimeError: boom" in str(line["exc_info"])


@pytest.mark.parametrize(
    ("environment", "log_format", "json_lines"),
    [("local", None, False), ("production", None, True), ("local", "json", True)],
)
def test_lines_are_json_everywhere_but_local(
    environment: str, log_format: str | None, json_lines: bool
) -> None:
    settings = Settings.model_validate(
        {"environment": environment, "log_format": log_format, "secret_key": "s" * 40}
    )

    assert settings.log_json is json_lines
