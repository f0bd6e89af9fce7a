"""Migration ``catalog.0005`` renames ``enrolment_policy`` in saved course revisions too,
so a draft or an older version keeps its policy when it is published or reverted to."""

import importlib

from django.apps import apps

import pytest

from tests.catalog.factories import CoursePageFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("catalog.migrations.0005_rename_enrollment_policy")


def test_a_revision_saved_before_the_rename_keeps_its_policy(catalog):
    course = CoursePageFactory(enrollment_policy="approval")
    revision = course.save_revision()
    content = dict(revision.content)
    content["enrolment_policy"] = content.pop("enrollment_policy")
    type(revision).objects.filter(pk=revision.pk).update(content=content)

    migration.rename_in_revisions(apps, None)

    revision.refresh_from_db()
    assert "enrolment_policy" not in revision.content
    assert revision.as_object().enrollment_policy == "approval"
    migration.rename_back(apps, None)
    revision.refresh_from_db()
    assert revision.content["enrolment_policy"] == "approval"
