"""A GraphQL list takes the arguments its REST list takes, checked by the same schema."""

from typing import Any, TypeVar

from pydantic import ValidationError
from strawberry.utils.str_converters import to_camel_case

from app.schemas.common import ListParams

ParamsT = TypeVar("ParamsT", bound=ListParams)


class InvalidArgument(ValueError):
    """An argument the REST list would answer with a 422; GraphQL reports it as an error."""


def list_params(schema: type[ParamsT], **arguments: Any) -> ParamsT:
    """The list's parameters from the query's arguments (those given); the limits are the REST
    list's (`limit` at most 1000, filters with the body's limits). A value out of bounds is an
    error naming the argument as the query spells it (`sortBy`)."""
    try:
        return schema.model_validate(
            {name: value for name, value in arguments.items() if value is not None}
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(to_camel_case(str(part)) for part in first["loc"])
        raise InvalidArgument(f"{where}: {first['msg']}") from None
