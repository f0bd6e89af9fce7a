"""Compliance reads, by role: assignments and their statuses (:mod:`.assignments`),
the reports' figures and the rule preview (:mod:`.reports`), and the calendar feed
(:mod:`.calendar_feeds`). Every selector takes keyword arguments only; the public
names are re-exported here, so ``from compliance import selectors`` reaches them all.
"""

from .assignments import (
    attempt_of,
    audience_user_ids,
    certification_expiry_expression,
    completion_expiry,
    current_cycles,
    in_progress_condition,
    in_progress_enrollments,
    learner_requirements,
    local_date,
    local_day_start,
    local_today,
    requirement_ids_for_person,
    status_counts,
    status_expression,
    statuses,
)
from .calendar_feeds import TOKEN_PATTERN, calendar_feed_by_token, open_due_dates
from .people import search_people
from .reports import (
    CHART_ORDER,
    TABLE_ORDER,
    RenewalPreview,
    RequirementSummary,
    RulePreview,
    Segment,
    StatusCounts,
    overall,
    renewal_preview,
    rule_preview,
    summary,
)

__all__ = [
    "CHART_ORDER",
    "TABLE_ORDER",
    "TOKEN_PATTERN",
    "RenewalPreview",
    "RequirementSummary",
    "RulePreview",
    "Segment",
    "StatusCounts",
    "attempt_of",
    "audience_user_ids",
    "calendar_feed_by_token",
    "certification_expiry_expression",
    "completion_expiry",
    "current_cycles",
    "in_progress_condition",
    "in_progress_enrollments",
    "learner_requirements",
    "local_date",
    "local_day_start",
    "local_today",
    "open_due_dates",
    "overall",
    "renewal_preview",
    "requirement_ids_for_person",
    "rule_preview",
    "search_people",
    "status_counts",
    "status_expression",
    "statuses",
    "summary",
]
