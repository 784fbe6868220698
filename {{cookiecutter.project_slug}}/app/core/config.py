"""Settings read from the environment and `.env`, validated once at start-up."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal{% if cookiecutter.auth == "jwt" %}, Self{% endif %}

from fastapi import Depends, Request
{%- if cookiecutter.auth == "jwt" %}
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
{%- else %}
from pydantic import Field, ValidationError, field_validator
{%- endif %}
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
{%- if cookiecutter.auth == "jwt" %}
PLACEHOLDER_SECRET = "changethis"
MIN_SECRET_BYTES = 32
{%- endif %}

Environment = Literal["local", "test", "staging", "production"]

# Plain URLs name the sync drivers; the service talks to its database asynchronously.
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


class Settings(BaseSettings):
    """Every setting the service reads; each can be set as an environment variable."""

    # .env beside pyproject.toml, wherever the command runs from.
    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore")

    project_name: str = "{{ cookiecutter.project_name }}"
    # Unset means production, where nothing meant for development is allowed. The hook's .env
    # says `local`; the test suite says `test`.
    environment: Environment = "production"
    database_url: str = "{{ cookiecutter.__database_url }}"
    database_echo: bool = False
    # Connections one worker keeps open, and how many more it may open at a peak. No overflow by
    # default: under steady load an overflow connection is closed as soon as it is returned and
    # opened again a moment later, and each new connection costs a connect and its statements
    # prepared anew (a third fewer lists per second here, at 10 + 10 against 20 + 0).
    database_pool_size: int = Field(default=20, ge=1, le=100)
    database_pool_overflow: int = Field(default=0, ge=0, le=100)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Unset: plain lines in `local`, one JSON object per line everywhere else.
    log_format: Literal["json", "plain"] | None = None
    # Set either to switch it on (app/core/observability.py); unset, it costs nothing.
    sentry_dsn: str | None = None
    otel_exporter_otlp_endpoint: str | None = None  # e.g. http://collector:4318
    cors_origins: list[str] = []
    # A larger request body is refused with 413 (1 MiB by default).
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)
{%- if cookiecutter.__redis == "yes" %}
    # Shared state across workers and replicas, e.g. redis://localhost:6379/0
    redis_url: str | None = None
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # Access tokens are short-lived: a stolen one is useful for minutes.
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=7, ge=1, le=90)
    # After this many failed logins for one email in the window, logins for it answer 429.
    login_failures_allowed: int = Field(default=5, ge=1)
    login_failure_window_seconds: int = Field(default=15 * 60, ge=1)

    @model_validator(mode="after")
    def refuse_weak_secret(self) -> Self:
        """SECRET_KEY signs the tokens: a deployed service must never run with the placeholder
        everybody can read here, nor with one short enough to guess (RFC 7518 asks for at least
        as many bytes as HS256's 32-byte hash)."""
        if self.environment in ("local", "test"):
            return self
        secret = self.secret_key.get_secret_value()
        if secret == PLACEHOLDER_SECRET:
            raise ValueError(
                f"SECRET_KEY is the placeholder {PLACEHOLDER_SECRET!r}; "
                f"set a real secret for the {self.environment!r} environment"
            )
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(
                f"SECRET_KEY signs tokens and must be at least {MIN_SECRET_BYTES} bytes long; "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return self
{%- endif %}

    @field_validator("database_url")
    @classmethod
    def use_async_driver(cls, url: str) -> str:
        """Accept the usual `postgresql://` and `sqlite:///` URLs by naming the async driver."""
        scheme, separator, rest = url.partition("://")
        return f"{ASYNC_DRIVERS.get(scheme, scheme)}{separator}{rest}"

    @property
    def log_json(self) -> bool:
        if self.log_format is not None:
            return self.log_format == "json"
        return self.environment != "local"

    @property
    def docs_enabled(self) -> bool:
        """Interactive API docs are for development, not production."""
        return self.environment != "production"


async def settings_of(request: Request) -> Settings:
    """The settings the app was created with (tests create apps with settings of their own)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(settings_of)]


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read on first use rather than at import time."""
    return Settings()


def settings_problem(error: ValidationError) -> str:
    """The first invalid setting, as one line: `SECRET_KEY: Value error, ...`."""
    problem = error.errors()[0]
    setting = ".".join(str(part) for part in problem["loc"]).upper() or "the settings"
    return f"{setting}: {problem['msg']}"
