"""Drop the index of ``course`` alone: the index of (course, issued_at) starts with it
and answers every lookup it did, and it was one more page for every certificate issued
to write (see learner 0003 for why the index is dropped by name and the field changed
in the state only: on SQLite ``AlterField`` would remake the table)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "certificates_certificate_course_id_3df6d8a3"


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_course_material_change"),
        ("certificates", "0004_reissue_lookup_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="certificate",
                    name="course",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certificates",
                        to="catalog.coursepage",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{INDEX}" ON "certificates_certificate" ("course_id")'
                    ),
                ),
            ],
        ),
    ]
