"""Create the site tree (Home → Courses), the role groups and the "Course review" workflow.

Roles:
- Instructors: admin access; add and edit pages under the catalog (no publish); upload
  and choose images and documents; choose subjects.
- Reviewers: admin access; add, edit, publish, lock and unlock pages under the catalog;
  approve or reject in the "Course review" workflow.
- Compliance admins: admin access (their models come with the compliance app).

On a database that already has its own home page (not Wagtail's welcome page), the
tree is left alone and the catalog permissions attach to the first catalog page found.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

INSTRUCTORS = "Instructors"
REVIEWERS = "Reviewers"
COMPLIANCE_ADMINS = "Compliance admins"
WORKFLOW_NAME = "Course review"
TASK_NAME = "Reviewer approval"


def ensure_permissions(apps):
    # Permissions are normally created after all migrations (post_migrate); the groups
    # below need them now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def create_tree(apps):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("home", "HomePage")
    CatalogPage = apps.get_model("catalog", "CatalogPage")

    welcome = Page.objects.filter(depth=2, content_type__app_label="wagtailcore").first()
    if welcome is None or Page.objects.filter(depth=2).count() != 1:
        return CatalogPage.objects.order_by("path").first()
    locale = Locale.objects.order_by("pk").first()
    welcome_path = welcome.path
    welcome.delete()  # also removes the default Site that points at it

    home = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=content_type(apps, "home", "homepage"),
        path=welcome_path,
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
        hero_title="Learn what matters, when it matters",
        hero_text="<p>Courses, quizzes and certificates for your whole organisation.</p>",
    )
    catalog = CatalogPage.objects.create(
        title="Courses",
        draft_title="Courses",
        slug="courses",
        content_type=content_type(apps, "catalog", "catalogpage"),
        path=welcome_path + "0001",
        depth=3,
        numchild=0,
        url_path="/home/courses/",
        locale=locale,
        live=True,
        intro="<p>Find a course by subject, level or keyword.</p>",
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True
    )
    return catalog


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    catalog = create_tree(apps)
    access_admin = perm("wagtailadmin", "access_admin")
    root_collection = Collection.objects.filter(depth=1).first()
    media_perms = [
        perm("wagtailimages", "add_image"),
        perm("wagtailimages", "choose_image"),
        perm("wagtaildocs", "add_document"),
        perm("wagtaildocs", "choose_document"),
    ]

    instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    compliance_admins, _ = Group.objects.get_or_create(name=COMPLIANCE_ADMINS)
    for group in (instructors, reviewers, compliance_admins):
        group.permissions.add(access_admin)
    for group in (instructors, reviewers):
        group.permissions.add(perm("catalog", "view_subject"), perm("catalog", "add_subject"))
        if root_collection:
            for permission in media_perms:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    reviewers.permissions.add(perm("catalog", "change_subject"))

    if catalog is None:
        return
    page_perms = {
        instructors: ["add_page", "change_page"],
        reviewers: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    }
    for group, codenames in page_perms.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=catalog.pk, permission=perm("wagtailcore", codename)
            )

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME,
            content_type=content_type(apps, "wagtailcore", "groupapprovaltask"),
            active=True,
        )
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=catalog.pk, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("home", "0001_initial"),
        ("lessons", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
