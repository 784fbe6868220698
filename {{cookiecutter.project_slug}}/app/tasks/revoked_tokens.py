"""Housekeeping for sign-in: the revocations of tokens that have expired since."""

from datetime import timedelta

from celery.schedules import schedule

from app.auth.revocation import DatabaseRevokedTokens
from app.tasks.celery_app import MAINTENANCE_QUEUE, celery_app
from app.tasks.database import run_in_session

PRUNE_EVERY = timedelta(hours=1)


@celery_app.task
def prune_expired_revoked_tokens() -> int:
    """Delete the revocations of tokens past their expiry (their `exp` claim refuses them
    now), and return how many. Logouts prune as they go; this keeps a quiet service's table
    small too. Revocations kept in Redis expire by themselves."""
    return run_in_session(lambda session: DatabaseRevokedTokens(session).prune_expired())


celery_app.add_periodic_task(
    schedule(PRUNE_EVERY),
    prune_expired_revoked_tokens.s(),
    name="prune expired revoked tokens",
    queue=MAINTENANCE_QUEUE,
)
