"""Every model module is imported where Alembic (through `app.models`) sees it."""

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    MetaData,
    Table,
)
from sqlmodel import SQLModel
from sqlmodel.main import default_registry

from app.cli.checks import MODELS_PACKAGE, shown


@dataclass(frozen=True)
class UnimportedTable:
    """A table defined in a model module that the models package never imports."""

    table: str
    module: str
    class_name: str | None
    package_init: str

    def describe(self) -> str:
        module = importlib.import_module(self.module)
        file = shown(module.__file__ or self.module)
        if self.class_name:
            owner = f"model {self.class_name} (table `{self.table}`)"
            line = f"from {self.module} import {self.class_name}"
        else:
            owner = f"table `{self.table}`"
            line = f"import {self.module}  # noqa: F401"
        return (
            f"{owner} in {file} is invisible to Alembic: {shown(self.package_init)} never "
            f"imports it — add `{line}` there"
        )


def mapped_classes() -> dict[str, type[Any]]:
    """Table name → the SQLModel table class mapped to it."""
    classes: dict[str, type[Any]] = {}
    for mapper in default_registry.mappers:
        if isinstance(mapper.local_table, Table):
            classes[mapper.local_table.name] = mapper.class_
    return classes


def unimported_model_tables(
    package: str = MODELS_PACKAGE, metadata: MetaData = SQLModel.metadata
) -> list[UnimportedTable]:
    """Tables that appear on `metadata` only once every module of `package` is imported.

    Alembic's env.py imports the package alone, so autogenerate never sees those tables.
    """
    root = importlib.import_module(package)
    init = root.__file__ or package
    seen = set(metadata.tables)
    found: list[UnimportedTable] = []
    for module_info in sorted(pkgutil.iter_modules(root.__path__), key=lambda info: info.name):
        name = f"{package}.{module_info.name}"
        importlib.import_module(name)
        classes = mapped_classes()
        for table in sorted(set(metadata.tables) - seen):
            mapped = classes.get(table)
            module = mapped.__module__ if mapped is not None else name
            class_name = mapped.__name__ if mapped is not None else None
            found.append(UnimportedTable(table, module, class_name, init))
        seen = set(metadata.tables)
    return found


def model_import_problems(unimported: Iterable[UnimportedTable]) -> list[str]:
    return [table.describe() for table in unimported]
