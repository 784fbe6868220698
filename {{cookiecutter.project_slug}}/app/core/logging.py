"""Logging set up once at start-up: every line carries the id of the request it belongs to, and
outside `local` each line is one JSON object, for log collectors to index."""

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
# What the request's handling learns (who signed in), for its access log line.
access_fields_var: ContextVar[dict[str, str] | None] = ContextVar("access_fields", default=None)
# A record's own attributes; anything else on it is a field its JSON line carries.
RECORD_ATTRIBUTES = {*vars(logging.makeLogRecord({})), "message", "asctime", "request_id"}


def add_to_access_log(**fields: object) -> None:
    """Facts the current request's access log line carries, such as `user_id=user.id`."""
    current = access_fields_var.get()
    if current is not None:
        current.update((name, str(value)) for name, value in fields.items())


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id (or `-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, the fields the
    record carries (`extra=`: the access line's method, path, status...), and a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        fields = vars(record).items()
        line.update((name, value) for name, value in fields if name not in RECORD_ATTRIBUTES)
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: str, *, json_lines: bool) -> None:
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": RequestIdFilter}},
            "formatters": {
                "plain": {
                    "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
                },
                "json": {"()": JsonFormatter},
            },
            "handlers": {
                "console": {
                    "class": "logging.StreamHandler",
                    "filters": ["request_id"],
                    "formatter": "json" if json_lines else "plain",
                }
            },
            "root": {"handlers": ["console"], "level": level},
        }
    )
