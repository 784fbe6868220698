"""The service's own tools for keeping models, migrations and schemas in step (`python -m app.cli`).

Development tooling: the running service never imports this package.
"""


class CommandError(Exception):
    """A command cannot go on; its message is one sentence for the person who ran it."""
