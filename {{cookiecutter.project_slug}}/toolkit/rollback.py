"""All or nothing: what `add-resource` changes is put back as it was when a step fails, or when
Ctrl-C or SIGTERM stops it part-way: the files it wrote or removed, the migration it made, and
the dev database."""

import signal
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from app.core.config import PROJECT_ROOT
from toolkit import CommandError
from toolkit.database import current_revision, sqlite_file
from toolkit.revisions import VERSIONS
from toolkit.steps import run_step


class FileChanges:
    """Files changed so far, with what they held before, so a failure can put them back."""

    def __init__(self) -> None:
        self.originals: dict[Path, str | None] = {}

    def _remember(self, path: Path) -> None:
        if path not in self.originals:
            self.originals[path] = path.read_text() if path.exists() else None

    def write(self, relative: str, content: str) -> None:
        path = PROJECT_ROOT / relative
        self._remember(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)

    def remove(self, relative: str) -> None:
        path = PROJECT_ROOT / relative
        self._remember(path)
        path.unlink(missing_ok=True)

    def created_elsewhere(self, path: Path) -> None:
        """A file a subprocess made (the migration): it goes too if the resource is undone."""
        self.originals.setdefault(path, None)

    def undo(self) -> None:
        for path, original in self.originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(original)


class SQLiteCopy:
    """The dev database as it was. Alembic runs SQLite's DDL outside a transaction, so a
    migration that fails part-way keeps the tables it made: only a copy can undo that."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.existed = database.exists()
        self.directory = tempfile.TemporaryDirectory(prefix="dev-database-")
        self.copy = Path(self.directory.name) / database.name
        if self.existed:
            copy_sqlite(database, self.copy)

    def restore(self) -> None:
        if self.existed:
            copy_sqlite(self.copy, self.database)
        else:
            self.database.unlink(missing_ok=True)

    def discard(self) -> None:
        self.directory.cleanup()


def copy_sqlite(source: Path, target: Path) -> None:
    """Through SQLite's backup API: it first rolls back whatever a killed process left
    half-written, which copying the file would bring back instead."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


class PostgresRevision:
    """The revision the dev database was at. PostgreSQL's DDL is transactional, so a failed
    migration leaves nothing; one that ran before a later failure is run back."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.revision = current_revision(database_url)

    def restore(self) -> None:
        """Down after an applied migration (add-resource), up after an undone one (--undo)."""
        if current_revision(self.database_url) == self.revision:
            return
        revision = self.revision or "base"
        for direction in ("downgrade", "upgrade"):
            try:
                run_step(f"{direction} to {revision}", "-m", "alembic", direction, revision)
            except CommandError:
                continue
            return
        print(
            f"warning: the dev database could not be put back at {revision}: "
            "see `python -m alembic current`",
            file=sys.stderr,
        )

    def discard(self) -> None:
        pass


def database_snapshot(database_url: str) -> SQLiteCopy | PostgresRevision:
    file = sqlite_file(database_url)
    return PostgresRevision(database_url) if file is None else SQLiteCopy(file)


@contextmanager
def all_or_nothing(dev_database_url: str | None = None) -> Iterator[FileChanges]:
    """Files changed through the yielded `FileChanges`, new revision files, and the dev database
    when its URL is given, all go back as they were if the block does not finish. SIGTERM
    stops the block as Ctrl-C does (by KeyboardInterrupt), so it is undone alike."""
    changes = FileChanges()
    revisions_before = set(VERSIONS.glob("*.py"))
    database = database_snapshot(dev_database_url) if dev_database_url else None
    previous_handlers = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)
    }
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield changes
    except BaseException:
        for number in previous_handlers:  # the undo runs to its end, stopped by nothing
            signal.signal(number, signal.SIG_IGN)
        try:
            if database is not None:
                database.restore()
        finally:
            for path in set(VERSIONS.glob("*.py")) - revisions_before:
                changes.created_elsewhere(path)
            changes.undo()
        raise
    finally:
        for number, handler in previous_handlers.items():
            signal.signal(number, handler)
        if database is not None:
            database.discard()
