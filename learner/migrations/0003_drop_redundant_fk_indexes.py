"""Drop the single-column indexes of foreign keys that a longer index already starts
with: the unique (enrollment, lesson) of progress, the unique (enrollment, lesson,
number) and the (lesson, passed) index of attempts answer every lookup they did, and
each was one more page for every completion to write (and, once the tables outgrow
SQLite's page cache, to read first).

The fields change in the state only; the database drops the indexes by name, as
Django named them on both databases. ``AlterField`` would do the same on PostgreSQL,
but on SQLite it remakes each table (the quiz attempts twice), copying every row and
losing the table's planner statistics until the next ANALYZE.
"""

import django.db.models.deletion
from django.db import migrations, models

#: (table, column, index name) of each index dropped.
INDEXES = [
    ("learner_lessonprogress", "enrollment_id", "learner_lessonprogress_enrollment_id_706d81cc"),
    ("learner_quizattempt", "enrollment_id", "learner_quizattempt_enrollment_id_66889d1a"),
    ("learner_quizattempt", "lesson_id", "learner_quizattempt_lesson_id_227c1fe6"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("learner", "0002_completion_revisions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lessonprogress",
                    name="enrollment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="progress",
                        to="learner.enrollment",
                    ),
                ),
                migrations.AlterField(
                    model_name="quizattempt",
                    name="enrollment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quiz_attempts",
                        to="learner.enrollment",
                    ),
                ),
                migrations.AlterField(
                    model_name="quizattempt",
                    name="lesson",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="lessons.lessonpage",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for table, column, name in INDEXES
            ],
        ),
    ]
