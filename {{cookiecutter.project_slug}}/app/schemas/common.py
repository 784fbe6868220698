"""Shapes shared by every resource's list route."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_PAGE_SIZE = 1000
MAX_SKIP = 2**31 - 1


def never_null(schema: dict[str, Any]) -> None:
    """Document an update field whose column is NOT NULL: it may be absent, never null."""
    options = [option for option in schema.pop("anyOf") if option.get("type") != "null"]
    if len(options) == 1:
        schema.update(options[0])
    else:
        schema["anyOf"] = options
    schema.pop("default", None)


# `Field(..., schema_extra=NOT_NULL)` on such a field of `<Name>Update`.
NOT_NULL = {"json_schema_extra": never_null}


class ListParams(BaseModel):
    """Paging and sorting for a list route; each resource adds `sort_by` choices and filters."""

    # A misspelt filter must be a 422, not a silently unfiltered list.
    model_config = ConfigDict(extra="forbid")

    skip: int = Field(default=0, ge=0, le=MAX_SKIP, description="Rows to skip first.")
    limit: int = Field(
        default=100, ge=1, le=MAX_PAGE_SIZE, description="Rows in the page, at most 1000."
    )
    sort_by: str = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"

    def filters(self) -> dict[str, object]:
        """The filter fields the client set: every field a resource adds besides sorting."""
        paging = set(ListParams.model_fields)
        return self.model_dump(exclude=paging, exclude_none=True)
