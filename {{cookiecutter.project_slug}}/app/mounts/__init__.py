"""What `create_app()` mounts beside the versioned API's routes: every module of this package
that defines `mount(app, settings)` is called, by module name, so an endpoint with rules of its
own (its own prefix, its own sign-in) is added with a file and no registration."""

import importlib
import pkgutil
from collections.abc import Callable, Iterator

from fastapi import FastAPI

from app.core.config import Settings

Mount = Callable[[FastAPI, Settings], None]


def mounts() -> Iterator[Mount]:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
        yield importlib.import_module(f"{__name__}.{module.name}").mount
