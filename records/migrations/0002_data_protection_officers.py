"""Ship the "Data protection officers" group (download anyone's data, erase a person,
download evidence packs, reach the admin) and give the "Compliance admins" group the
evidence pack."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA_PROTECTION_OFFICERS = "Data protection officers"
COMPLIANCE_ADMINS = "Compliance admins"
GRANTS = {
    DATA_PROTECTION_OFFICERS: [
        ("records", "download_evidence"),
        ("records", "export_personal_data"),
        ("records", "erase_person"),
        ("wagtailadmin", "access_admin"),
    ],
    COMPLIANCE_ADMINS: [("records", "download_evidence")],
}


def ensure_permissions(apps):
    # Permissions are normally created after all migrations (post_migrate); the groups
    # need them now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in pairs
    ]


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for name, pairs in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, pairs))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=DATA_PROTECTION_OFFICERS).delete()
    group = Group.objects.filter(name=COMPLIANCE_ADMINS).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, GRANTS[COMPLIANCE_ADMINS]))


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_personal_records_permissions"),
        ("compliance", "0002_compliance_admin_permissions"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
