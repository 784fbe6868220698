"""`python -m toolkit migration "message"`: autogenerate a revision and say what it does.

Autogenerate runs against a scratch database brought to head, never against the dev
database, so the result depends only on the migrations and the models.
"""

import io
from contextlib import redirect_stdout
from pathlib import Path

from alembic import command
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext

from app.core.config import get_settings
from toolkit import CommandError
from toolkit.database import alembic_config, run_migrations, scratch_database
from toolkit.revisions import ACKNOWLEDGEMENT, read_revision


def autogenerate(message: str) -> Path | None:
    """Write the revision for the models' changes; None when there is nothing to migrate."""
    if not message.strip():
        raise CommandError("the migration needs a message saying what changed")

    def skip_when_empty(
        _context: MigrationContext, _revision: object, directives: list[MigrationScript]
    ) -> None:
        if directives[0].upgrade_ops is None or directives[0].upgrade_ops.is_empty():
            directives.clear()

    # Alembic announces each post-write hook on stdout; the summary below says what matters.
    with (
        scratch_database(get_settings().database_url, purpose="migration") as url,
        redirect_stdout(io.StringIO()),
    ):
        run_migrations(url)
        script = command.revision(
            alembic_config(url),
            message=message,
            autogenerate=True,
            process_revision_directives=skip_when_empty,
        )
    if script is None or isinstance(script, list):
        return None
    return Path(script.path)


def make_migration(message: str) -> int:
    path = autogenerate(message)
    if path is None:
        print("Nothing to migrate: the migrations already match the models.")
        return 0
    revision = read_revision(path)
    print(f"Wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}:")
    for operation in revision.operations:
        print(f"  {operation.describe()}")
    if revision.unacknowledged_data_loss:
        print(
            f"This revision loses data. Read it; if the loss is intended, add "
            f'{ACKNOWLEDGEMENT} = "<why>" beside `revision`, or `check` will fail.'
        )
    if any(operation.fails_on_rows for operation in revision.operations):
        print(
            "A NOT NULL column is added without a server default: give it one "
            "(sa_column_kwargs={'server_default': ...}), or fill it in the revision first."
        )
    print("Next: read it, then `make migrate` to apply it to the dev database, then `make check`.")
    return 0
