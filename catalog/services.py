"""Operations that change who instructs a course, and what publishing a course with a
material change announces.

An instructor may edit, submit and see the learners of only the courses they
instruct; the rule itself is in ``catalog.permissions`` and reads Wagtail's page
permissions, which this module keeps in step.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Revision

from .models import CoursePage, CourseTeam
from .signals import course_materially_changed

#: Wagtail's page permissions the instructors' group holds on its course.
INSTRUCTOR_PAGE_PERMISSIONS = ("add_page", "change_page")
#: The log action recorded on the course when its instructors change.
INSTRUCTORS_CHANGED = "catalog.instructors"


def _team_group(course: CoursePage) -> Group:
    team = CourseTeam.objects.select_related("group").filter(course=course).first()
    if team is not None:
        return team.group
    group, _ = Group.objects.get_or_create(name=f"Instructors of course {course.pk}")
    CourseTeam.objects.create(course=course, group=group)
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=INSTRUCTOR_PAGE_PERMISSIONS
    )
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=course, permission=permission)
    return group


@transaction.atomic
def set_course_instructors(
    *,
    course: CoursePage,
    instructors: Iterable[AbstractBaseUser],
    actor: AbstractBaseUser | None = None,
) -> list[AbstractBaseUser]:
    """Make exactly ``instructors`` the course's instructors; return them.

    An empty choice means the course's creator (its owner), so a course is never
    left without the person who started it by accident. The change is recorded in the
    course's history (who was added and removed, by ``actor``); choosing the same
    people again changes and records nothing.
    """
    chosen = {user.pk: user for user in instructors}
    if not chosen and course.owner_id:
        chosen = {course.owner_id: course.owner}
    group = _team_group(course)
    current = set(group.user_set.values_list("pk", flat=True))
    added, removed = chosen.keys() - current, current - chosen.keys()
    if added or removed:
        group.user_set.set(list(chosen))
        usernames = dict(
            get_user_model().objects.filter(pk__in=added | removed).values_list("pk", "username")
        )
        log(
            instance=course,
            action=INSTRUCTORS_CHANGED,
            user=actor,
            data={
                "added": sorted(usernames[pk] for pk in added),
                "removed": sorted(usernames[pk] for pk in removed),
            },
        )
    return list(chosen.values())


def course_published(*, course: CoursePage, revision: Revision | None) -> bool:
    """After a course's ``revision`` went live (any publish: the editor's, the course
    review's, a scheduled one): when that revision was saved with *material change*
    ticked, announce ``course_materially_changed`` with its note, once, and untick the
    box on the page so that the next version starts as a minor edit. Returns whether
    the change was material. The revision keeps the box as it was published."""
    content = revision.content if revision is not None else {}
    if not content.get("material_change"):
        return False
    note = (content.get("change_note") or "").strip()
    CoursePage.objects.filter(pk=course.pk).update(material_change=False, change_note="")
    course.material_change, course.change_note = False, ""
    course_materially_changed.send(sender=CoursePage, course=course, revision=revision, note=note)
    return True
