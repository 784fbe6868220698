"""How a resource's PascalCase name is spelled elsewhere: snake_case, and in the plural."""

import re


def snake_case(name: str) -> str:
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", spaced).lower()


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def plural_snake_case(name: str) -> str:
    """`InvoiceLine` → `invoice_lines`: the last word goes plural."""
    *first, last = snake_case(name).split("_")
    return "_".join([*first, plural(last)])
