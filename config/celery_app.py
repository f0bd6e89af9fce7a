"""The Celery application.

Tasks live in each app's ``tasks.py`` and are discovered automatically. With no
``REDIS_URL`` the settings make every task run eagerly in-process, so the embedded
path (``make run``, the tests) needs no broker or worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("fledge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
