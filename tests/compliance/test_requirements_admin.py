"""The requirements screen: the listing with today's figures, the requirement form
and its live preview of who would be assigned, and deleting."""

from datetime import date

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from compliance.models import Assignment, TrainingRequirement
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import (
    AssignmentFactory,
    TrainingRequirementFactory,
    days,
    requirement_form_data,
    today,
)
from tests.compliance.screens import REQUIREMENTS_URL
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestRequirementAdmin:
    def test_list_shows_course_rule_and_todays_figures(self, client, compliance_admin, security):
        AssignmentFactory(requirement=security, assigned_on=days(-40), due_on=days(-10))
        AssignmentFactory(
            requirement=security,
            assigned_on=days(-40),
            due_on=days(-10),
            completed_on=days(-20),
            expires_on=days(340),
        )
        TrainingRequirementFactory(name="Retired", active=False)
        client.force_login(compliance_admin)
        response = client.get(REQUIREMENTS_URL)
        assert response.status_code == 200
        rows = {r.name: r for r in response.context["object_list"]}
        assert rows["Security"].figures.assigned == 2
        assert rows["Security"].figures.overdue == 1
        assert rows["Security"].figures.percent_compliant == 50
        assert rows["Retired"].figures.assigned == 0
        content = response.content.decode()
        for text in ("Security basics", "within 30 days of assignment, then every 12 months"):
            assert text in content
        assert "50%" in content

    def test_list_query_count_does_not_grow_with_requirements(
        self, client, compliance_admin, catalog, django_assert_max_num_queries
    ):
        for _ in range(2):
            AssignmentFactory()
        client.force_login(compliance_admin)
        with CaptureQueriesContext(connection) as few:
            assert client.get(REQUIREMENTS_URL).status_code == 200
        for _ in range(8):
            AssignmentFactory()
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REQUIREMENTS_URL)
        assert len(response.context["object_list"]) == 10

    def test_create_assigns_the_audience_after_saving(
        self, client, compliance_admin, catalog, django_capture_on_commit_callbacks
    ):
        staff = Group.objects.create(name="Staff")
        people = [UserFactory() for _ in range(3)]
        staff.user_set.add(*people[:2])
        course = CoursePageFactory(title="Fire safety")
        client.force_login(compliance_admin)
        data = requirement_form_data(
            name="Fire safety",
            course=str(course.pk),
            audience_groups=[str(staff.pk)],
            audience_users=[str(people[2].pk)],
            due_rule="fixed",
            due_date="2030-10-31",
            due_days="",
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{REQUIREMENTS_URL}new/", data)
        assert response.status_code == 302
        requirement = TrainingRequirement.objects.get(name="Fire safety")
        assert requirement.describe_rule() == "by 31 October, then every 12 months"
        rows = Assignment.objects.filter(requirement=requirement)
        assert {row.user_id for row in rows} == {p.pk for p in people}
        assert {row.due_on for row in rows} == {date(2030, 10, 31)}

    def test_an_invalid_rule_is_not_saved(self, client, compliance_admin, security):
        client.force_login(compliance_admin)
        data = requirement_form_data(security, due_rule="fixed", due_date="", reminder_days="soon")
        response = client.post(f"{REQUIREMENTS_URL}edit/{security.pk}/", data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "A fixed date rule needs a due date." in content
        assert "List whole numbers of days, separated by commas." in content
        security.refresh_from_db()
        assert security.due_rule == "relative"

    def test_forms_have_the_preview_button_and_script(self, client, compliance_admin, security):
        client.force_login(compliance_admin)
        new = client.get(f"{REQUIREMENTS_URL}new/").content.decode()
        assert f'data-requirement-preview-url="{REQUIREMENTS_URL}preview/"' in new
        assert "js/requirement_preview.js" in new
        edit = client.get(f"{REQUIREMENTS_URL}edit/{security.pk}/").content.decode()
        assert f'data-requirement-preview-url="{REQUIREMENTS_URL}{security.pk}/preview/"' in edit
        # A copy is a new requirement: its preview counts everyone as newly assigned.
        copy = client.get(f"{REQUIREMENTS_URL}copy/{security.pk}/").content.decode()
        assert f'data-requirement-preview-url="{REQUIREMENTS_URL}preview/"' in copy

    def test_delete_warns_that_the_history_goes_too(self, client, compliance_admin, security):
        AssignmentFactory(requirement=security)
        client.force_login(compliance_admin)
        response = client.get(f"{REQUIREMENTS_URL}delete/{security.pk}/")
        assert response.status_code == 200
        content = response.content.decode()
        assert "also deletes its 1 assignment record(s)" in content
        assert "untick “Active” instead" in content
        response = client.post(f"{REQUIREMENTS_URL}delete/{security.pk}/")
        assert response.status_code == 302
        assert not TrainingRequirement.objects.filter(pk=security.pk).exists()
        assert not Assignment.objects.exists()


@pytest.fixture
def staffed(security):
    """Security for the Staff group: Ann assigned 40 days ago (overdue), Ben 20 days ago
    (due in 10 days: due soon), Cas not assigned yet; Dee left the group."""
    staff = Group.objects.create(name="Staff")
    ann, ben, cas = (UserFactory(username=name) for name in ("ann", "ben", "cas"))
    staff.user_set.add(ann, ben, cas)
    security.audience_groups.add(staff)
    AssignmentFactory(requirement=security, user=ann, assigned_on=days(-40), due_on=days(-10))
    AssignmentFactory(requirement=security, user=ben, assigned_on=days(-20), due_on=days(10))
    AssignmentFactory(requirement=security, user=UserFactory(username="dee"))
    return security


class TestRequirementPreview:
    def preview(self, client, requirement=None, **changes):
        url = (
            reverse("compliance_requirements:preview_existing", args=[requirement.pk])
            if requirement and requirement.pk
            else reverse("compliance_requirements:preview")
        )
        return client.post(url, requirement_form_data(requirement, **changes))

    def test_counts_under_the_current_rule(self, client, compliance_admin, staffed):
        client.force_login(compliance_admin)
        response = self.preview(client, staffed)
        assert response.status_code == 200
        body = response.json()
        assert body["assigned"] == 3
        assert body["newly_assigned"] == 1  # Cas
        assert (body["overdue"], body["due_soon"], body["not_started"]) == (1, 1, 1)
        assert body["moved_due_dates"] == 0
        assert body["as_of"] == today().isoformat()
        assert "3 people assigned (1 new), 1 due soon, 1 overdue" in body["message"]

    def test_a_longer_deadline_re_evaluates_existing_due_dates(
        self, client, compliance_admin, staffed
    ):
        client.force_login(compliance_admin)
        body = self.preview(client, staffed, due_days="60").json()
        # Ann is now due in 20 days, Ben in 40, Cas in 60: nobody is due soon or overdue.
        assert (body["overdue"], body["due_soon"], body["not_started"]) == (0, 0, 3)
        assert body["moved_due_dates"] == 2
        assert "saving moves open first-cycle due dates" in body["message"]
        staffed.refresh_from_db()
        assert staffed.due_days == 30  # nothing saved
        assert Assignment.objects.get(user__username="ann").due_on == days(-10)

    def test_a_shorter_deadline_for_a_new_requirement(self, client, compliance_admin, staffed):
        client.force_login(compliance_admin)
        body = self.preview(
            client,
            name="Copy",
            course=str(staffed.course_id),
            audience_groups=[str(g.pk) for g in staffed.audience_groups.all()],
            due_days="5",
        ).json()
        # Nobody has assignments under a new requirement: all three start today.
        assert body["assigned"] == body["newly_assigned"] == 3
        assert (body["overdue"], body["due_soon"]) == (0, 3)

    def test_invalid_values_answer_400_with_messages(self, client, compliance_admin, staffed):
        client.force_login(compliance_admin)
        response = self.preview(client, staffed, due_rule="fixed", due_date="", course="")
        assert response.status_code == 400
        body = response.json()
        errors = {error["field"]: error for error in body["errors"]}
        assert errors["due_date"]["messages"] == ["A fixed date rule needs a due date."]
        assert errors["course"]["label"] == "Course"
        assert body["message"] == "Correct these to see a preview:"

    def test_a_malformed_date_or_unknown_group_is_a_400(self, client, compliance_admin, staffed):
        client.force_login(compliance_admin)
        response = self.preview(
            client, staffed, due_rule="fixed", due_date="31/31/2026", audience_groups=["99999"]
        )
        assert response.status_code == 400
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"due_date", "audience_groups"}

    def test_get_is_405(self, client, compliance_admin, staffed):
        client.force_login(compliance_admin)
        assert client.get(reverse("compliance_requirements:preview")).status_code == 405
        url = reverse("compliance_requirements:preview_existing", args=[staffed.pk])
        assert client.get(url).status_code == 405

    def test_unknown_requirement_is_404(self, client, compliance_admin, staffed):
        client.force_login(compliance_admin)
        url = reverse("compliance_requirements:preview_existing", args=[999999])
        assert client.post(url, requirement_form_data(staffed)).status_code == 404

    def test_an_instructor_is_denied(self, client, instructor, staffed):
        client.force_login(instructor)
        response = self.preview(client, staffed)
        assert response.status_code == 403
        assert "permission" in response.json()["message"]

    def test_a_learner_is_sent_to_the_login(self, client, learner, staffed):
        client.force_login(learner)
        response = self.preview(client, staffed)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in

    def test_query_count_does_not_grow_with_the_audience(
        self, client, compliance_admin, staffed, django_assert_max_num_queries
    ):
        client.force_login(compliance_admin)
        with CaptureQueriesContext(connection) as few:
            assert self.preview(client, staffed).status_code == 200
        staff = Group.objects.get(name="Staff")
        staff.user_set.add(*(UserFactory() for _ in range(20)))
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = self.preview(client, staffed).json()
        assert body["assigned"] == 23
