"""Instructor views in the Wagtail admin, grouped under a "Learners" menu.

- *Enrolment requests*: pending requests in the courses the user may edit, each with
  Approve and Reject (with a reason) buttons that call the enrolment services.
- *Course progress*: a report of every enrolment in those courses, with progress and
  best quiz score, filterable by course and status, exportable as CSV and XLSX.

Both are visible to users who may edit at least one course (instructors, reviewers)
and to superusers. Rows are always limited to the courses the user may edit: another
instructor's learners are neither listed nor reachable by id (404).
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from .common import can_manage_learners
from .progress import CourseProgressViewSet
from .requests import EnrollmentRequestViewSet


class LearnersViewSetGroup(ViewSetGroup):
    """The "Learners" menu; shown when at least one of its items is."""

    menu_label = "Learners"
    menu_icon = "group"
    menu_order = 150  # after Pages (100), before Images (300)
    items = (EnrollmentRequestViewSet, CourseProgressViewSet)


__all__ = ["LearnersViewSetGroup", "can_manage_learners"]
