"""The checks behind `python -m toolkit check`, one module each, and the wording they share.

Each check is a function returning one sentence per problem, naming the model, column or file
and the command that fixes it. Its inputs default to the service's own (models, schemas, app,
revision files), so tests can hand it small throwaway ones.
"""

import types
import typing
from pathlib import Path

from app.core.config import PROJECT_ROOT

MODELS_PACKAGE = "app.models"
SCHEMAS_PACKAGE = "app.schemas"
SECRET_WORDS = ("password", "secret")
UNIONS = (typing.Union, types.UnionType)


def shown(path: str | Path) -> str:
    """A path relative to the service when it is inside it."""
    path = Path(path)
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def migration_fix(message: str) -> str:
    return f'run `make migration m="{message}"` and review the revision it writes'


def counted(count: int, noun: str) -> str:
    """`counted(1, "table")` is "1 table"; `counted(3, "table")` is "3 tables"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
