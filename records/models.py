"""The permissions of personal records (no table of their own)."""

from django.db import models


class PersonalRecords(models.Model):
    """Holds the permissions of this app, as Wagtail's ``wagtailadmin.Admin`` holds
    ``access_admin``: an unmanaged model with no table. The "Compliance admins" group
    has ``download_evidence``; the "Data protection officers" group has all three
    (migration ``records.0002``); superusers have them all."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("download_evidence", "Can download a person's evidence pack"),
            ("export_personal_data", "Can download anyone's personal data"),
            ("erase_person", "Can erase a person"),
        ]

    def __str__(self) -> str:
        return "Personal records"
