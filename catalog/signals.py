"""Signals the catalog sends for later apps to react to (the catalog imports none).

``course_materially_changed(sender=CoursePage, course=..., revision=..., note=...)`` is
sent once when a course is published with *material change* ticked, inside the
publishing transaction, by :func:`catalog.services.course_published`: ``revision`` is
the revision now live and ``note`` the editor's explanation of what changed.
Compliance connects to it and reopens the training completed on older revisions.
"""

from django.dispatch import Signal

course_materially_changed = Signal()
