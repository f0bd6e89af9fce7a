"""Celery tasks for certificates: thin wrappers that call one service each.

A certificate is a row written in the completion's transaction; its PDF is rendered
after the commit by :func:`render_certificate`, and by the per-minute
:func:`render_pending` for any certificate whose render task was lost (the broker down
at the commit, a worker killed) or gave up. Rendering is idempotent, so the two never
make two different files.
"""

from celery import shared_task

from . import services
from .models import Certificate

#: Certificates the sweep renders per run, oldest first (about 50 ms each), and the
#: seconds after which it stops early (well inside the job time limit,
#: ``FLEDGE_TASK_TIME_LIMIT_SECONDS``); the next run carries on.
SWEEP_BATCH = 200
SWEEP_SECONDS = 20.0


@shared_task(
    # A full or unmounted disk (OSError), the database away, a broken connection: any
    # failure is retried, 1 s, 2 s, 4 s … then every 40 s (below the broker's visibility
    # timeout: compliance.tasks says why), for about five minutes; after that the sweep
    # renders it.
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=40,
    max_retries=10,
    ignore_result=True,
)
def render_certificate(certificate_id: int) -> None:
    """Render a certificate's PDF into private storage, unless it is already current.

    Idempotent: running it again, or after the file was rendered on download, changes
    nothing. A certificate deleted in the meantime is skipped.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return
    services.certificate_render(certificate=certificate)


@shared_task(ignore_result=True)
def render_pending() -> str:
    """Every minute: render certificates that have no PDF yet or were marked stale.
    Not retried: the next minute's run is the retry."""
    rendered = services.certificates_render_pending(limit=SWEEP_BATCH, seconds=SWEEP_SECONDS)
    return f"{rendered} certificates rendered"
