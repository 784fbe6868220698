"""Every revision that loses data says it means to."""

from collections.abc import Iterable
from pathlib import Path

from toolkit.checks import shown
from toolkit.revisions import ACKNOWLEDGEMENT, read_revision, revision_files


def data_loss_problems(paths: Iterable[Path] | None = None) -> list[str]:
    problems: list[str] = []
    for path in revision_files() if paths is None else paths:
        for operation in read_revision(path).unacknowledged_data_loss:
            problems.append(
                f"{shown(path)}: {operation.name} {operation.target} {operation.data_loss} — "
                f'if that is intended, add `{ACKNOWLEDGEMENT} = "<why>"` beside `revision` '
                f"in that file; otherwise change the migration"
            )
    return problems
