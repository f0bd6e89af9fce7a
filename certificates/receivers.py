"""Reactions to other apps' signals.

Connected by importing this module (``CertificatesConfig.ready``), like every app's
receivers.
"""

from django.dispatch import receiver

from learner.models import Enrollment
from learner.signals import course_completed

from . import services


@receiver(course_completed, sender=Enrollment, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, *, enrollment: Enrollment, **kwargs) -> None:
    """``learner.signals.course_completed``: issue the enrolment's certificate.

    The signal is sent inside the transaction that completes the course, so the
    certificate is issued with the completion or not at all; the PDF is rendered in
    the background after the commit. It is dated at the completion. The sender holds
    the enrolment's lock and passes it as read under it, so it is not read again.
    """
    services.certificate_issue(enrollment=enrollment, as_of=enrollment.completed_at, locked=True)
