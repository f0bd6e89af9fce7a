"""Signals the learner app sends for later apps to react to.

``course_completed(sender=Enrollment, enrollment=...)`` is sent once per enrolment,
inside the transaction that completes it, by :mod:`learner.services` (a course's last
lesson or quiz, or :func:`~learner.services.course_complete`). The transaction holds
the enrolment's row lock, and ``enrollment`` is the row as read under it and just
saved completed, with its ``user`` loaded (and its ``course``, when a lesson completed
it): receivers need not read or lock it again.
Certificates and compliance connect to it; a receiver that needs a worker should
enqueue its task with :func:`base.transactions.after_commit` (which, when tasks run
in-process, runs it after the response).
"""

from django.dispatch import Signal

course_completed = Signal()
