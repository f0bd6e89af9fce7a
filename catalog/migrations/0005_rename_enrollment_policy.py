"""One spelling in identifiers: ``enrolment_policy`` becomes ``enrollment_policy``, as
the model is ``Enrollment``. Wagtail keeps every revision of a course as JSON keyed by
field name, so the saved revisions (drafts, scheduled and past versions) are renamed
with the column, or reverting to one, or publishing a draft, would lose its policy."""

from django.db import migrations

OLD, NEW = "enrolment_policy", "enrollment_policy"


def rename_in_revisions(apps, schema_editor, old=OLD, new=NEW):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    course_type = ContentType.objects.filter(app_label="catalog", model="coursepage").first()
    if course_type is None:
        return
    revisions = Revision.objects.filter(content_type=course_type)
    for revision in revisions.iterator():
        content = revision.content
        if isinstance(content, dict) and old in content:
            content[new] = content.pop(old)
            Revision.objects.filter(pk=revision.pk).update(content=content)


def rename_back(apps, schema_editor):
    rename_in_revisions(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_per_course_instructors"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RenameField(model_name="coursepage", old_name=OLD, new_name=NEW),
        migrations.RunPython(rename_in_revisions, rename_back),
    ]
