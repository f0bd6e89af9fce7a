"""The Celery application.

Tasks live in each app's ``tasks.py`` and are discovered automatically. With no
``REDIS_URL`` the settings make every task run eagerly in-process, so the embedded
path (``make run``, the tests) needs no broker or worker.
"""

import os

from celery import Celery, signals

from config.logs import request_id_var

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("fledge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Log lines written while a task runs carry its id where a request's would go.
# An eager task inside a request gets the request's id back when it finishes.
_outer_ids: dict[str, str] = {}


@signals.task_prerun.connect
def _bind_task_id(task_id: str | None = None, **kwargs: object) -> None:
    if task_id:
        _outer_ids[task_id] = request_id_var.get()
        request_id_var.set(task_id)


@signals.task_postrun.connect
def _unbind_task_id(task_id: str | None = None, **kwargs: object) -> None:
    if task_id and task_id in _outer_ids:
        request_id_var.set(_outer_ids.pop(task_id))
