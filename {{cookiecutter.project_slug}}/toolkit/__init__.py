"""The development toolkit that keeps models, migrations and schemas in step (`python -m toolkit`).

It writes and checks the service's code; the service never imports it, and a production image
leaves it out.
"""

import os

from app.core.commands import CommandError

__all__ = ["CommandError"]

# The toolkit builds the app to inspect it, never to serve it: a fresh clone (no .env) must not
# be refused for production settings it does not have.
os.environ.setdefault("ENVIRONMENT", "test")
