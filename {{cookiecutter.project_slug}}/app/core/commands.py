"""What the service's command-line tools share: a failure is one sentence for the person who ran
the command (`error: ...` and exit status 1), never a traceback."""

import sys
from collections.abc import Callable

from pydantic import ValidationError

from app.core.config import settings_problem


class CommandError(Exception):
    """A command cannot go on; its message is one sentence for the person who ran it."""


def run_command(command: Callable[[], int]) -> int:
    """The command's exit status; a refusal or invalid settings print one line instead."""
    try:
        return command()
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
    except ValidationError as error:  # the settings, from the environment and .env
        print(f"error: {settings_problem(error)}", file=sys.stderr)
    return 1
