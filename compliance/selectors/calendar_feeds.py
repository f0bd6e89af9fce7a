"""Reads behind the learner's private calendar feed: the feed a token opens, and the
due dates it holds. Creating and replacing a feed is :mod:`compliance.services.calendar_feeds`.
"""

import re

from ..models import AWAITING_COMPLETION, Assignment, CalendarFeed

#: The shape of a feed token (``secrets.token_urlsafe``); anything else is refused
#: before touching the database.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The active learner's feed that ``token`` opens, or None."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


def open_due_dates(*, user) -> list[Assignment]:
    """The learner's cycles with a due date still to meet (for the calendar feed)."""
    return list(
        Assignment.objects.filter(AWAITING_COMPLETION, user=user)
        .select_related("requirement__course")
        .order_by("due_on")
    )
