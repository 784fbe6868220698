"""A socket hears its own tenant's changes and never another tenant's."""

from httpx import AsyncClient

from tests.factories.item import create_item
from tests.realtime.conftest import sign_in_headers
from tests.realtime.live import LiveApp, change, listening


def test_a_socket_never_hears_another_tenants_changes(
    live: LiveApp, signed_in: dict[str, str], other_tenant_client: AsyncClient
) -> None:
    other_tenant = sign_in_headers(other_tenant_client)
    with live.connect(signed_in) as ours, live.connect(other_tenant) as theirs:
        listening(ours)
        listening(theirs)

        our_item = live.call(signed_in, create_item)
        their_item = live.call(other_tenant, create_item)

        # Each socket's first change is its own tenant's: the other's was never sent to it.
        assert ours.receive_json() == change("created", "items", our_item)
        assert theirs.receive_json() == change("created", "items", their_item)
