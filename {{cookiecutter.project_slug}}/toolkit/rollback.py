"""All or nothing: what `add-resource` writes is put back as it was when a step fails: the files
it wrote and the migration it made."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.config import PROJECT_ROOT
from toolkit.revisions import VERSIONS


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

    def created_elsewhere(self, path: Path) -> None:
        """A file a subprocess made (the migration): it goes too if the resource is undone."""
        self.originals.setdefault(path, None)

    def undo(self) -> None:
        for path, original in self.originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(original)


@contextmanager
def all_or_nothing() -> Iterator[FileChanges]:
    """Files written through the yielded `FileChanges`, and new revision files, all go back as
    they were if the block does not finish."""
    changes = FileChanges()
    revisions_before = set(VERSIONS.glob("*.py"))
    try:
        yield changes
    except BaseException:
        for path in set(VERSIONS.glob("*.py")) - revisions_before:
            changes.created_elsewhere(path)
        changes.undo()
        raise
