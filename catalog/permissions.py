"""Who may change which course: one rule, on Wagtail's own page permissions.

A course's instructors are the members of the course's own group (see
``catalog.services.set_course_instructors``), which holds Wagtail's "add" and "change"
page permissions on that course page and so, through the page tree, on its modules and
lessons. Reviewers hold "add", "change" and "publish" on the whole catalog.

The shipped Instructors group keeps "add" on the catalog so that instructors can start
new courses. Wagtail would let that permission reach into every course below the
catalog (adding a module to someone else's course, or editing pages one owns there), so
inside a course it is not counted unless the same grant also allows "change" (as the
reviewers' does). :class:`CoursePermissionTester` applies that rule to every page of a
course, and ``catalog.selectors.editable_courses`` is the same rule as a queryset.

Pages of a course under review are locked for everyone but its reviewers (see
:class:`CourseReviewLock`), so what a reviewer approves is what they saw.
"""

from django.utils.translation import gettext as _

from wagtail.locks import BaseLock
from wagtail.models import Page, PagePermissionTester

#: Length of one step of a page's tree path (treebeard's ``steplen``).
STEP = Page.steplen


def _action(group_page_permission) -> str:
    # "change_page" -> "change", as Wagtail's tester names them.
    return group_page_permission.permission.codename.rsplit("_", maxsplit=1)[0]


class CoursePermissionTester(PagePermissionTester):
    """Wagtail's page permission tester for a course, module or lesson, where only
    permissions granted on the course itself (its instructors) or grants above it that
    include "change" (reviewers) count. A course under review takes no new pages from
    those it is locked for (nor loses any: no deleting or moving them), and its history
    is for those who may edit it."""

    def __init__(self, user, page, course_path: str):
        super().__init__(user, page)
        self.course_path = course_path
        if user.is_active and not user.is_superuser:
            on_course: set[str] = set()
            above: set[str] = set()
            for perm in self.permission_policy.get_cached_permissions_for_user(user):
                if not page.path.startswith(perm.page.path):
                    continue
                target = on_course if perm.page.path.startswith(course_path) else above
                target.add(_action(perm))
            if "change" not in above:
                above.discard("add")
            self.permissions = on_course | above

    def can_add_subpage(self) -> bool:
        return super().can_add_subpage() and not self.page_locked()

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return super().can_delete(ignore_bulk=ignore_bulk) and not self.page_locked()

    def can_view_revisions(self) -> bool:
        return self.can_edit()


class CourseReviewLock(BaseLock):
    """A module or lesson whose course is awaiting review: locked for everyone the
    review task locks the course for (everyone but reviewers and superusers)."""

    def __init__(self, object, task, course: Page):
        super().__init__(object)
        self.task = task
        self.course = course

    def for_user(self, user) -> bool:
        return self.task.locked_for_user(self.course, user)

    def get_message(self, user) -> str | None:
        if not self.for_user(user):
            return None
        return _(
            "The course “%(course)s” is awaiting review. Only its reviewers can change "
            "its pages until the review ends."
        ) % {"course": self.course.get_admin_display_title()}

    def get_description(self, user) -> str:
        return _("The course is awaiting review")


class CourseContentPermissions:
    """Mixed into CoursePage, ModulePage and LessonPage: Wagtail asks the page for its
    permission tester (``permissions_for_user``) and lock (``get_lock``), which is the
    documented way to change both for one page type."""

    #: How many levels below its course this page type sits (0 for the course).
    levels_below_course = 0

    @property
    def course_path(self) -> str:
        end = len(self.path) - STEP * self.levels_below_course
        return self.path[:end]

    def course_page(self) -> Page | None:
        """The course this page belongs to (a plain Page; itself for a course)."""
        if not self.levels_below_course:
            return self
        return Page.objects.filter(path=self.course_path).first()

    def permissions_for_user(self, user):
        return CoursePermissionTester(user, self, self.course_path)

    def get_lock(self):
        if lock := super().get_lock():
            return lock
        if not self.levels_below_course:
            return None
        course = self.course_page()
        task = course.current_workflow_task if course else None
        return CourseReviewLock(self, task, course) if task else None
