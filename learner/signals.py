"""Signals the learner app sends for later apps to react to.

``course_completed(sender=Enrollment, enrollment=...)`` is sent once per enrolment,
inside the transaction that completes it, by :func:`learner.services.course_complete`.
Certificates and compliance connect to it; a receiver that needs a worker should
enqueue its task with ``transaction.on_commit``.
"""

from django.dispatch import Signal

course_completed = Signal()
