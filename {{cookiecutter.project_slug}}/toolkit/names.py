"""How a resource's PascalCase name is spelled elsewhere: snake_case, and in the plural."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import inflect


@cache
def english() -> inflect.engine:
    """Importing inflect takes over a second (typeguard instruments it, jaraco/inflect#212):
    it is imported when a plural is first guessed, not before."""
    import inflect

    return inflect.engine()


def snake_case(name: str) -> str:
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", spaced).lower()


def plural(name: str) -> str:
    """`Invoice` → `Invoices`, `InvoiceLine` → `InvoiceLines`, `Child` → `Children`."""
    word = last_word(name)
    return name.removesuffix(word) + spelled_like(word, english().plural_noun(word.lower()))


def plural_snake_case(name: str) -> str:
    """`InvoiceLine` → `invoice_lines`, `UserAPI` → `user_apis` (`snake_case("UserAPIs")`
    could only guess where the acronym ends)."""
    *first, last = snake_case(name).split("_")
    return "_".join([*first, english().plural_noun(last)])


def singular_of(name: str) -> str | None:
    """The singular of a name that reads as a plural (`Invoices` → `Invoice`), else None.

    inflect takes `Analysis` for the plural of "analysi"; but it pluralises `analysis` by a rule
    of its own, while a word that is already plural it can only give a further "s".
    """
    word = last_word(name)
    lower = word.lower()
    singular = english().singular_noun(lower)
    if not singular or singular == lower or english().plural_noun(lower) != f"{lower}s":
        return None
    return name.removesuffix(word) + spelled_like(word, singular)


def last_word(name: str) -> str:
    """The word of a PascalCase name that its plural changes: `InvoiceLine` → `Line`."""
    return name[-len(snake_case(name).rsplit("_", 1)[-1]) :]


def spelled_like(original: str, changed: str) -> str:
    """A lowercase form of `original` with its capitals kept: `Child`, `children` → `Children`;
    `API`, `apis` → `APIs`."""
    same = [letter == other for letter, other in zip(original.lower(), changed, strict=False)]
    kept = max(same.index(False) if False in same else len(same), 1)
    return original[:kept] + changed[kept:]
