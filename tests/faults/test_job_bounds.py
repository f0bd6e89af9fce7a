"""No job is held by a worker for longer than the visibility timeout.

Redis hands a job that a worker has not acknowledged within
``FLEDGE_TASK_VISIBILITY_SECONDS`` of its delivery to another worker (that is how a
killed worker's jobs come back). A job still running then, or one waiting in a worker
for its countdown (a retry's backoff), is therefore run twice, and again every timeout
after that: a retry due in 300 s under a 50 s timeout runs about six times, and each
copy that fails schedules its own retry (measured with kombu 5.7: a job published with
a 25 s countdown under a 6 s timeout was received five times). So the hard time limit
and every retry's delay stay below the timeout; longer outages are left to the
per-minute sweeps, which need no countdown.
"""

from __future__ import annotations

from django.conf import settings

import pytest
from celery import Task

from config.celery_app import app


def project_tasks() -> list[Task]:
    app.loader.import_default_modules()
    return [task for name, task in sorted(app.tasks.items()) if not name.startswith("celery.")]


def test_the_time_limit_is_below_the_visibility_timeout():
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limit = settings.CELERY_TASK_TIME_LIMIT
    assert limit < timeout


@pytest.mark.parametrize("task", project_tasks(), ids=lambda task: task.name)
def test_no_retry_waits_as_long_as_the_visibility_timeout(task: Task):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert (task.time_limit or 0) < timeout
    if getattr(task, "autoretry_for", ()):
        if getattr(task, "retry_backoff", False):
            longest = getattr(task, "retry_backoff_max", 600)  # Celery's default cap
        else:
            longest = task.default_retry_delay
        assert longest < timeout, f"{task.name} may wait {longest} s in a worker for a retry"
