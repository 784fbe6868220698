"""A socket signs in with the headers oauth2-proxy forwards; without them it is closed with
1008 before it is accepted."""

import pytest
from fastapi import WebSocketDisconnect, status

from tests.realtime.live import LiveApp


def test_a_socket_without_the_proxys_headers_is_refused(live: LiveApp) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, live.connect({}):
        pass
    assert refused.value.code == status.WS_1008_POLICY_VIOLATION
