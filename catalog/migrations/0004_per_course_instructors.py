"""Per-course instructors and whole-course review, on existing data.

- The Instructors group keeps "add" on the catalog (to start courses) and loses
  "change" there: editing a course is for its own instructors (catalog.permissions).
- Each existing course gets a team group holding "add" and "change" on it, with its
  creator (when they are in Instructors) or else the demo instructor as instructor.
- The "Reviewer approval" task of the "Course review" workflow becomes a course review
  task (same row, same groups, same task states), so in-progress reviews carry on.
"""

from django.db import migrations

INSTRUCTORS = "Instructors"
TASK_NAME = "Reviewer approval"
DEMO_INSTRUCTOR = "instructor"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")
    CoursePage = apps.get_model("catalog", "CoursePage")
    CatalogPage = apps.get_model("catalog", "CatalogPage")
    CourseTeam = apps.get_model("catalog", "CourseTeam")
    CourseReviewTask = apps.get_model("catalog", "CourseReviewTask")

    page_perm = {
        codename: Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        for codename in ("add_page", "change_page")
    }
    instructors = Group.objects.filter(name=INSTRUCTORS).first()
    if instructors is not None and page_perm["change_page"] is not None:
        GroupPagePermission.objects.filter(
            group=instructors,
            page__in=CatalogPage.objects.all(),
            permission=page_perm["change_page"],
        ).delete()

    def can_instruct(user):
        return (
            user is not None
            and user.is_active
            and instructors is not None
            and user.groups.filter(pk=instructors.pk).exists()
        )

    demo = User.objects.filter(username=DEMO_INSTRUCTOR).first()
    for course in CoursePage.objects.all():
        if CourseTeam.objects.filter(course=course).exists():
            continue
        owner = User.objects.filter(pk=course.owner_id).first() if course.owner_id else None
        chosen = owner if can_instruct(owner) else demo if can_instruct(demo) else None
        group, _ = Group.objects.get_or_create(name=f"Instructors of course {course.pk}")
        CourseTeam.objects.create(course=course, group=group)
        for permission in page_perm.values():
            if permission is not None:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=course.pk, permission=permission
                )
        if chosen is not None:
            chosen.groups.add(group)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is not None and not CourseReviewTask.objects.filter(pk=task.pk).exists():
        child = CourseReviewTask(groupapprovaltask_ptr_id=task.pk)
        # Only the child table's row: the task and group-approval rows already exist.
        child.save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(
            content_type=content_type(apps, "catalog", "coursereviewtask")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_course_teams_and_review"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
