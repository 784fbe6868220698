"""Commands the service needs in production too (`python -m app.cli`); the development
toolkit (check, migration, add-resource) is `python -m toolkit`."""


class CommandError(Exception):
    """A command cannot go on; its message is one sentence for the person who ran it."""
