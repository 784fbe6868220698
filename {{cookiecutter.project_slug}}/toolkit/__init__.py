"""The development toolkit that keeps models, migrations and schemas in step (`python -m toolkit`).

It writes and checks the service's code; the service never imports it, and a production image
leaves it out.
"""


class CommandError(Exception):
    """A command cannot go on; its message is one sentence for the person who ran it."""
