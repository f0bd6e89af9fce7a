"""An email backend for the worker tests: Django's file-based one, slow.

A worker started with ``EMAIL_BACKEND=tests.faults.mailbox.SlowFileBackend`` writes each
message to a file, as the file-based backend does, then pauses for
``FAULTS_MAIL_PAUSE_SECONDS`` (default 0.3) before it answers, like a mail server that
has taken a message but not said so yet. A worker killed in that pause has sent a
message it has not stamped: the worst moment for a kill, which the tests aim at.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    """Write each message to a file, then wait before answering."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("FAULTS_MAIL_PAUSE_SECONDS", "0.3")))
        return sent
