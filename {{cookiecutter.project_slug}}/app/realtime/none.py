"""Without sign-in, every socket is welcome and hears every change: like every request, it is
trusted to come through whatever guards the service."""

from typing import Annotated

from fastapi import Depends

from app.realtime.rooms import Subscription, room_of_scope


async def get_subscription() -> Subscription:
    return Subscription(room_of_scope({}))


SocketSubscription = Annotated[Subscription, Depends(get_subscription)]
