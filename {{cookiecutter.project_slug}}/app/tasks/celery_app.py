"""The Celery application: Redis (`REDIS_URL`) as broker and result backend, the service's
queues, and the retry policy every task starts from.

A worker: `celery -A app.tasks.celery_app worker` (`make worker`); the periodic tasks' sender:
`celery -A app.tasks.celery_app beat` (`make beat`, one per deployment).
"""

import pkgutil
from datetime import timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from celery import Celery, Task
from celery.signals import beat_init, celeryd_init, setup_logging
from kombu import Queue
from sqlalchemy.exc import InterfaceError, OperationalError

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging

P = ParamSpec("P")
R = TypeVar("R")

# A worker consumes every queue unless told which (`celery ... worker -Q items`): give a queue
# workers of its own, and a flood of its tasks never delays the others.
DEFAULT_QUEUE = "default"
ITEMS_QUEUE = "items"
MAINTENANCE_QUEUE = "maintenance"  # periodic housekeeping, sent by beat
QUEUES = (DEFAULT_QUEUE, ITEMS_QUEUE, MAINTENANCE_QUEUE)
# Which queue a task goes to, by its name (the module's path, then the function's); a task
# that none names goes to the default queue.
ROUTES = {"app.tasks.items.*": {"queue": ITEMS_QUEUE}}
# Several services may share one Redis: each keeps to its own keys.
REDIS_KEY_PREFIX = "{{ cookiecutter.__package_name }}:celery:"
# The modules of this package that hold no tasks.
MACHINERY = frozenset({"celery_app", "database"})


class ServiceTask(Task[P, R]):
    """What every task of the service starts from. A task may run more than once (a retry, or
    a worker stopped before it acknowledged the task), so a task must be safe to repeat."""

    # A database that is briefly unreachable: retry after about 1 s, 2 s, 4 s... (at most 10
    # minutes apart, 5 times), each wait drawn at random below that, so tasks that failed
    # together do not all come back at once.
    autoretry_for = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
    retry_backoff = True
    retry_backoff_max = 10 * 60
    retry_jitter = True
    max_retries = 5
    # Acknowledged once done, not when received: a task whose worker stops is delivered again.
    acks_late = True


def task_modules() -> list[str]:
    """Every module of this package but the machinery: a module added here is found by the
    worker without registering it."""
    package = Path(__file__).parent
    return [
        f"{__package__}.{module.name}"
        for module in pkgutil.iter_modules([str(package)])
        if module.name not in MACHINERY
    ]


def create_celery_app(settings: Settings) -> Celery[ServiceTask[Any, Any]]:
    celery = Celery(__package__, task_cls=ServiceTask, include=task_modules())
    prefix = {"global_keyprefix": REDIS_KEY_PREFIX}
    celery.conf.update(
        broker_url=settings.redis_url,
        result_backend=settings.redis_url,
        broker_transport_options=prefix,
        result_backend_transport_options=prefix,
        broker_connection_retry_on_startup=True,
        task_queues=[Queue(name, routing_key=name) for name in QUEUES],
        task_default_queue=DEFAULT_QUEUE,
        task_routes=ROUTES,
        # JSON only: reading a message can never run code, as unpickling could.
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=timedelta(days=1),
        # A worker process takes one task at a time: a long task holds no others back.
        worker_prefetch_multiplier=1,
        timezone="UTC",
    )
    return celery


celery_app = create_celery_app(get_settings())


@setup_logging.connect
def log_as_the_service_does(**_: Any) -> None:
    """Worker and beat write the service's log lines (one JSON object per line outside
    `local`, LOG_LEVEL), not Celery's own."""
    settings = get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)


@celeryd_init.connect
@beat_init.connect
def refuse_to_start_without_redis(**_: Any) -> None:
    """Without REDIS_URL, Celery would look for a broker of its own choosing (RabbitMQ on
    localhost) and retry forever: stop with the reason instead."""
    if celery_app.conf.broker_url is None:
        raise SystemExit(
            "REDIS_URL is not set: the Celery worker and beat need Redis, e.g. "
            "REDIS_URL=redis://127.0.0.1:6379/0 in .env"
        )
