"""Live changes over WebSockets: a client connects to `/api/v1/ws/changes/` and hears, as JSON,
every create, update and delete committed in its scope (its tenant's rows, where there are
tenants). The message names what changed; the API says what it is now.

- `connections.py`: the sockets one worker holds, in rooms.
- `broadcast.py`: where a committed change goes: this worker's sockets, or every worker's
  through Redis pub/sub when REDIS_URL is set.
- `changes.py`: `BroadcastChanges`, the repository mixin that announces a resource's changes.
- `routes.py`: the WebSocket route; how a socket signs in is in the module named after `auth`.
"""
