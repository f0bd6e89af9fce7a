"""Celery tasks for certificates: thin wrappers that call one service each."""

from celery import shared_task

from . import services
from .models import Certificate


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    ignore_result=True,
)
def render_certificate(certificate_id: int) -> None:
    """Render a certificate's PDF into private storage, unless it is already current.

    Idempotent: running it again, or after the file was rendered on download, changes
    nothing. A certificate deleted in the meantime is skipped. File system errors
    (a full or unmounted disk) are retried with backoff.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return
    services.certificate_render(certificate=certificate)
