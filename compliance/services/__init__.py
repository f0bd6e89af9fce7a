"""Compliance writes, by role: assignments (sync, completion credit, exemptions;
:mod:`.assignments`; reopened after a course's material change,
:mod:`.material_changes`), the reminder and digest messages (:mod:`.notifications`) and
the learner's calendar feed (:mod:`.calendar_feeds`). The public names are re-exported
here, so ``from compliance import services`` reaches them all.

Code that a test replaces while it runs (``send_pending`` in a crash test) is called
through its module, ``notifications.send_pending``, where the replacement takes effect.
"""

from .assignments import (
    ComplianceError,
    SyncResult,
    assignment_exempt,
    assignment_unexempt,
    assignments_close_for_person,
    assignments_complete_for,
    assignments_sync,
    assignments_sync_requirement,
    requirement_sync_requested,
    requirements_request_sync,
    requirements_sync_requested,
)
from .calendar_feeds import calendar_feed_for, calendar_feed_regenerate
from .material_changes import assignments_reopen_for_material_change
from .notifications import (
    build_message,
    due_messages,
    queue_completion_confirmations,
    queue_manager_digests,
    queue_reminders,
    run_reminders,
    send_pending,
)

__all__ = [
    "ComplianceError",
    "SyncResult",
    "assignment_exempt",
    "assignment_unexempt",
    "assignments_close_for_person",
    "assignments_complete_for",
    "assignments_reopen_for_material_change",
    "assignments_sync",
    "assignments_sync_requirement",
    "build_message",
    "calendar_feed_for",
    "calendar_feed_regenerate",
    "due_messages",
    "queue_completion_confirmations",
    "queue_manager_digests",
    "queue_reminders",
    "requirement_sync_requested",
    "requirements_request_sync",
    "requirements_sync_requested",
    "run_reminders",
    "send_pending",
]
