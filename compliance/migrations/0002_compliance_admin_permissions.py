"""Give the "Compliance admins" group the permissions of its role.

- required training (TrainingRequirement): add, change, delete, view;
- assignments: view (the reports) and change (exemptions);
- people's managers (accounts.Profile): add, change, view.

The group and its admin access come from ``catalog.0002_site_tree_and_roles``.
Managers are not a group: being named someone's manager shows them the reports,
limited to their people, once they can reach the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMPLIANCE_ADMINS = "Compliance admins"
PERMISSIONS = [
    ("compliance", "add_trainingrequirement"),
    ("compliance", "change_trainingrequirement"),
    ("compliance", "delete_trainingrequirement"),
    ("compliance", "view_trainingrequirement"),
    ("compliance", "change_assignment"),
    ("compliance", "view_assignment"),
    ("accounts", "add_profile"),
    ("accounts", "change_profile"),
    ("accounts", "view_profile"),
]


def ensure_permissions(apps):
    # Permissions are normally created after all migrations (post_migrate); the group
    # needs them now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=COMPLIANCE_ADMINS)
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=COMPLIANCE_ADMINS).first()
    if group is not None:
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("accounts", "0001_initial"),
        ("catalog", "0002_site_tree_and_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
