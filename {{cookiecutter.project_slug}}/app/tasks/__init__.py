"""Background tasks, run by Celery workers (`make worker`); beat (`make beat`) sends the
periodic ones when due. Redis (`REDIS_URL`) holds the queues and the results.

`celery_app.py` configures Celery from the settings; every other module of this package but
`database.py` holds tasks and is found by the worker, so a new module needs no registration.
A task is a plain function: it takes ids (never ORM objects), opens a unit of work of its own
(`database.run_in_session`) and reaches data through the repositories, as a route does.
"""
