"""Every table model: each module of this package is imported here, so `SQLModel.metadata` (and
Alembic's autogenerate) sees every table, with no list to keep up to date."""

import importlib
import pkgutil

# First: the naming convention must be on the metadata before any table is defined.
import app.models.base  # noqa: F401

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
    importlib.import_module(f"{__name__}.{_module.name}")
