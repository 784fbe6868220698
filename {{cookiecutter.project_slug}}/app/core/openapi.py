"""The OpenAPI document states the rule the request guard enforces on every route: no text
holds a NUL character (PostgreSQL cannot store one, so the service refuses it everywhere)."""

from typing import Any

from fastapi import FastAPI

NO_NUL = r"^[^\x00]*$"
# Strings these keys already constrain more tightly than the rule does.
CONSTRAINED = ("format", "pattern", "enum", "const")
# Formats that only say how to show a string: it is still free text.
FREE_TEXT_FORMATS = ("password",)


def forbid_nul_in_text(node: object) -> None:
    """Give every free-text string schema in `node` the pattern that excludes NUL."""
    if isinstance(node, dict):
        constrained = [key for key in CONSTRAINED if key in node]
        if node.get("format") in FREE_TEXT_FORMATS:
            constrained.remove("format")
        if node.get("type") == "string" and not constrained:
            node["pattern"] = NO_NUL
        for value in node.values():
            forbid_nul_in_text(value)
    elif isinstance(node, list):
        for value in node:
            forbid_nul_in_text(value)


def document_text_rule(app: FastAPI) -> None:
    """Build the document as FastAPI does, once, then add the rule to it."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            forbid_nul_in_text(build())
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
