"""The compliance admin: who may manage required training, the requirement forms and
their preview, exemptions, and people's managers."""

from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from accounts.models import Profile
from compliance import services
from compliance.models import Assignment, TrainingRequirement
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import (
    AssignmentFactory,
    TrainingRequirementFactory,
    requirement_form_data,
)
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUIREMENTS_URL = "/admin/compliance/requirements/"
ASSIGNMENTS_URL = "/admin/compliance/assignments/"
MANAGERS_URL = "/admin/compliance/managers/"


def member_of(group_name: str, username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def today() -> date:
    return services.local_today()


def days(n: int) -> date:
    return today() + timedelta(days=n)


@pytest.fixture
def admin_user(catalog):
    return member_of("Compliance admins", "cora", first_name="Cora", last_name="Admin")


@pytest.fixture
def instructor(catalog):
    return member_of("Instructors", "ines")


@pytest.fixture
def learner():
    return UserFactory(username="lena", first_name="Lena", last_name="Lind")


@pytest.fixture
def security(catalog):
    """Relative: due 30 days after assignment, yearly; reminders 14, 7 and 1 days before.
    No audience, so saving it assigns nobody."""
    return TrainingRequirementFactory(
        name="Security", course=CoursePageFactory(title="Security basics")
    )


class TestRoles:
    def test_the_migration_gives_compliance_admins_their_permissions(self, catalog):
        group = Group.objects.get(name="Compliance admins")
        codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
        assert codenames == {
            ("wagtailadmin", "access_admin"),
            ("compliance", "add_trainingrequirement"),
            ("compliance", "change_trainingrequirement"),
            ("compliance", "delete_trainingrequirement"),
            ("compliance", "view_trainingrequirement"),
            ("compliance", "change_assignment"),
            ("compliance", "view_assignment"),
            ("accounts", "add_profile"),
            ("accounts", "change_profile"),
            ("accounts", "view_profile"),
        }

    def test_compliance_admin_sees_the_whole_menu(self, client, admin_user):
        client.force_login(admin_user)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        for url in (
            REQUIREMENTS_URL,
            ASSIGNMENTS_URL,
            MANAGERS_URL,
            "/admin/compliance/summary/",
            "/admin/compliance/report/",
        ):
            assert url in home
        assert "Compliance" in home

    @pytest.mark.parametrize(
        "url", [REQUIREMENTS_URL, f"{REQUIREMENTS_URL}new/", ASSIGNMENTS_URL, MANAGERS_URL]
    )
    def test_compliance_admin_and_superuser_may_open(self, client, admin_user, url):
        for user in (admin_user, UserFactory(username="root", is_superuser=True)):
            client.force_login(user)
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize(
        "url", [REQUIREMENTS_URL, f"{REQUIREMENTS_URL}new/", ASSIGNMENTS_URL, MANAGERS_URL]
    )
    def test_an_instructor_is_turned_away(self, client, instructor, url):
        client.force_login(instructor)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "/admin/compliance/" not in home

    @pytest.mark.parametrize("url", [REQUIREMENTS_URL, ASSIGNMENTS_URL, MANAGERS_URL])
    def test_a_learner_is_sent_to_the_login(self, client, learner, url):
        client.force_login(learner)
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


class TestRequirementAdmin:
    def test_list_shows_course_rule_and_todays_figures(self, client, admin_user, security):
        AssignmentFactory(requirement=security, assigned_on=days(-40), due_on=days(-10))
        AssignmentFactory(
            requirement=security,
            assigned_on=days(-40),
            due_on=days(-10),
            completed_on=days(-20),
            expires_on=days(340),
        )
        TrainingRequirementFactory(name="Retired", active=False)
        client.force_login(admin_user)
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
        self, client, admin_user, catalog, django_assert_max_num_queries
    ):
        for _ in range(2):
            AssignmentFactory()
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            assert client.get(REQUIREMENTS_URL).status_code == 200
        for _ in range(8):
            AssignmentFactory()
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REQUIREMENTS_URL)
        assert len(response.context["object_list"]) == 10

    def test_create_assigns_the_audience_after_saving(
        self, client, admin_user, catalog, django_capture_on_commit_callbacks
    ):
        staff = Group.objects.create(name="Staff")
        people = [UserFactory() for _ in range(3)]
        staff.user_set.add(*people[:2])
        course = CoursePageFactory(title="Fire safety")
        client.force_login(admin_user)
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

    def test_an_invalid_rule_is_not_saved(self, client, admin_user, security):
        client.force_login(admin_user)
        data = requirement_form_data(security, due_rule="fixed", due_date="", reminder_days="soon")
        response = client.post(f"{REQUIREMENTS_URL}edit/{security.pk}/", data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "A fixed date rule needs a due date." in content
        assert "List whole numbers of days, separated by commas." in content
        security.refresh_from_db()
        assert security.due_rule == "relative"

    def test_forms_have_the_preview_button_and_script(self, client, admin_user, security):
        client.force_login(admin_user)
        new = client.get(f"{REQUIREMENTS_URL}new/").content.decode()
        assert f'data-requirement-preview-url="{REQUIREMENTS_URL}preview/"' in new
        assert "js/requirement_preview.js" in new
        edit = client.get(f"{REQUIREMENTS_URL}edit/{security.pk}/").content.decode()
        assert f'data-requirement-preview-url="{REQUIREMENTS_URL}{security.pk}/preview/"' in edit
        # A copy is a new requirement: its preview counts everyone as newly assigned.
        copy = client.get(f"{REQUIREMENTS_URL}copy/{security.pk}/").content.decode()
        assert f'data-requirement-preview-url="{REQUIREMENTS_URL}preview/"' in copy

    def test_delete_warns_that_the_history_goes_too(self, client, admin_user, security):
        AssignmentFactory(requirement=security)
        client.force_login(admin_user)
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

    def test_counts_under_the_current_rule(self, client, admin_user, staffed):
        client.force_login(admin_user)
        response = self.preview(client, staffed)
        assert response.status_code == 200
        body = response.json()
        assert body["assigned"] == 3
        assert body["newly_assigned"] == 1  # Cas
        assert (body["overdue"], body["due_soon"], body["not_started"]) == (1, 1, 1)
        assert body["moved_due_dates"] == 0
        assert body["as_of"] == today().isoformat()
        assert "3 people assigned (1 new), 1 due soon, 1 overdue" in body["message"]

    def test_a_longer_deadline_re_evaluates_existing_due_dates(self, client, admin_user, staffed):
        client.force_login(admin_user)
        body = self.preview(client, staffed, due_days="60").json()
        # Ann is now due in 20 days, Ben in 40, Cas in 60: nobody is due soon or overdue.
        assert (body["overdue"], body["due_soon"], body["not_started"]) == (0, 0, 3)
        assert body["moved_due_dates"] == 2
        assert "saving moves open first-cycle due dates" in body["message"]
        staffed.refresh_from_db()
        assert staffed.due_days == 30  # nothing saved
        assert Assignment.objects.get(user__username="ann").due_on == days(-10)

    def test_a_shorter_deadline_for_a_new_requirement(self, client, admin_user, staffed):
        client.force_login(admin_user)
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

    def test_invalid_values_answer_400_with_messages(self, client, admin_user, staffed):
        client.force_login(admin_user)
        response = self.preview(client, staffed, due_rule="fixed", due_date="", course="")
        assert response.status_code == 400
        body = response.json()
        errors = {error["field"]: error for error in body["errors"]}
        assert errors["due_date"]["messages"] == ["A fixed date rule needs a due date."]
        assert errors["course"]["label"] == "Course"
        assert body["message"] == "Correct these to see a preview:"

    def test_a_malformed_date_or_unknown_group_is_a_400(self, client, admin_user, staffed):
        client.force_login(admin_user)
        response = self.preview(
            client, staffed, due_rule="fixed", due_date="31/31/2026", audience_groups=["99999"]
        )
        assert response.status_code == 400
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"due_date", "audience_groups"}

    def test_get_is_405(self, client, admin_user, staffed):
        client.force_login(admin_user)
        assert client.get(reverse("compliance_requirements:preview")).status_code == 405
        url = reverse("compliance_requirements:preview_existing", args=[staffed.pk])
        assert client.get(url).status_code == 405

    def test_unknown_requirement_is_404(self, client, admin_user, staffed):
        client.force_login(admin_user)
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
        assert "/admin/login/" in response["Location"]

    def test_query_count_does_not_grow_with_the_audience(
        self, client, admin_user, staffed, django_assert_max_num_queries
    ):
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            assert self.preview(client, staffed).status_code == 200
        staff = Group.objects.get(name="Staff")
        staff.user_set.add(*(UserFactory() for _ in range(20)))
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = self.preview(client, staffed).json()
        assert body["assigned"] == 23


@pytest.fixture
def ann_assignment(security):
    return AssignmentFactory(
        requirement=security,
        user=UserFactory(username="ann", first_name="Ann", last_name="Ames"),
        assigned_on=days(-5),
        due_on=days(25),
    )


def exempt_url(assignment) -> str:
    return reverse("compliance_assignments:exempt", args=[assignment.pk])


def unexempt_url(assignment) -> str:
    return reverse("compliance_assignments:unexempt", args=[assignment.pk])


class TestExemptions:
    def test_listing_shows_current_cycles_with_the_action(self, client, admin_user, ann_assignment):
        client.force_login(admin_user)
        response = client.get(ASSIGNMENTS_URL)
        assert response.status_code == 200
        assert list(response.context["object_list"]) == [ann_assignment]
        content = response.content.decode()
        assert "Ann Ames" in content
        assert exempt_url(ann_assignment) in content

    def test_filters_by_requirement_and_person(self, client, admin_user, ann_assignment):
        other = AssignmentFactory(user=UserFactory(username="bob", first_name="Bob"))
        client.force_login(admin_user)
        response = client.get(ASSIGNMENTS_URL, {"requirement": other.requirement_id})
        assert list(response.context["object_list"]) == [other]
        response = client.get(ASSIGNMENTS_URL, {"q": "ann ames"})
        assert list(response.context["object_list"]) == [ann_assignment]

    def test_exempt_with_a_reason(self, client, admin_user, ann_assignment):
        client.force_login(admin_user)
        back = f"{ASSIGNMENTS_URL}?q=ann"
        response = client.post(
            exempt_url(ann_assignment), {"reason": "  Certified elsewhere.  ", "next": back}
        )
        assert response.status_code == 302
        assert response["Location"] == back
        ann_assignment.refresh_from_db()
        assert ann_assignment.exempt
        assert ann_assignment.exemption_reason == "Certified elsewhere."
        assert ann_assignment.exempted_by == admin_user
        assert ann_assignment.exempted_on == today()
        assert any("is exempt from “Security”" in text for text in message_texts(response))
        listing = client.get(ASSIGNMENTS_URL).content.decode()
        assert "Certified elsewhere." in listing
        assert unexempt_url(ann_assignment) in listing

    @pytest.mark.parametrize("data", [{}, {"reason": "   "}])
    def test_an_empty_reason_changes_nothing_and_says_why(
        self, client, admin_user, ann_assignment, data
    ):
        client.force_login(admin_user)
        response = client.post(exempt_url(ann_assignment), data)
        assert response.status_code == 400
        content = response.content.decode()
        assert "Give a reason for the exemption." in content
        assert f'id="exempt-reason-{ann_assignment.pk}-error"' in content
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt
        assert ann_assignment.exempted_by is None

    def test_lift_an_exemption(self, client, admin_user, ann_assignment):
        services.assignment_exempt(assignment=ann_assignment, by=admin_user, reason="On leave")
        client.force_login(admin_user)
        response = client.post(unexempt_url(ann_assignment), {"next": "https://evil.example/"})
        assert response.status_code == 302
        assert response["Location"] == ASSIGNMENTS_URL
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt
        assert ann_assignment.exemption_reason == ""
        assert any("Lifted Ann Ames" in text for text in message_texts(response))

    def test_an_instructor_cannot_exempt(self, client, instructor, ann_assignment):
        client.force_login(instructor)
        response = client.post(exempt_url(ann_assignment), {"reason": "Because"})
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt

    def test_a_manager_cannot_exempt_their_people(self, client, instructor, ann_assignment):
        Profile.objects.create(user=ann_assignment.user, manager=instructor)
        client.force_login(instructor)
        client.post(exempt_url(ann_assignment), {"reason": "Because"})
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt

    def test_get_is_405_and_unknown_ids_404(self, client, admin_user, ann_assignment):
        client.force_login(admin_user)
        assert client.get(exempt_url(ann_assignment)).status_code == 405
        assert client.get(unexempt_url(ann_assignment)).status_code == 405
        assert client.post(f"{ASSIGNMENTS_URL}999999/exempt/", {"reason": "x"}).status_code == 404
        assert client.post(f"{ASSIGNMENTS_URL}999999/unexempt/").status_code == 404

    def test_query_count_does_not_grow_with_rows(
        self, client, admin_user, security, django_assert_max_num_queries
    ):
        for _ in range(3):
            AssignmentFactory(requirement=security, exempt=True, exempted_by=admin_user)
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            assert client.get(ASSIGNMENTS_URL).status_code == 200
        for _ in range(20):
            AssignmentFactory(requirement=security, exempt=True, exempted_by=admin_user)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(ASSIGNMENTS_URL)
        assert len(response.context["object_list"]) == 23


class TestManagers:
    def test_name_a_persons_manager(self, client, admin_user):
        person = UserFactory(username="pat", first_name="Pat", last_name="Person")
        boss = UserFactory(username="max", first_name="Max", last_name="Boss")
        client.force_login(admin_user)
        response = client.post(f"{MANAGERS_URL}new/", {"user": person.pk, "manager": boss.pk})
        assert response.status_code == 302
        assert Profile.objects.get(user=person).manager == boss
        listing = client.get(MANAGERS_URL, {"q": "boss"}).content.decode()
        assert "Max Boss (max)" in listing
        assert "pat" in listing

    def test_a_person_cannot_be_their_own_manager(self, client, admin_user):
        person = UserFactory(username="pat")
        client.force_login(admin_user)
        response = client.post(f"{MANAGERS_URL}new/", {"user": person.pk, "manager": person.pk})
        assert response.status_code == 200
        assert "A person cannot be their own manager." in response.content.decode()
        assert not Profile.objects.exists()

    def test_editing_changes_the_manager_not_the_person(self, client, admin_user):
        person, other = UserFactory(username="pat"), UserFactory(username="oli")
        boss = UserFactory(username="max")
        profile = Profile.objects.create(user=person)
        client.force_login(admin_user)
        response = client.post(
            f"{MANAGERS_URL}edit/{profile.pk}/", {"user": other.pk, "manager": boss.pk}
        )
        assert response.status_code == 302
        profile.refresh_from_db()
        assert (profile.user, profile.manager) == (person, boss)
        response = client.post(
            f"{MANAGERS_URL}edit/{profile.pk}/", {"user": person.pk, "manager": person.pk}
        )
        assert "A person cannot be their own manager." in response.content.decode()

    def test_compliance_admins_may_not_delete_profiles(self, client, admin_user):
        profile = Profile.objects.create(user=UserFactory(username="pat"))
        client.force_login(admin_user)
        response = client.post(f"{MANAGERS_URL}delete/{profile.pk}/")
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        assert Profile.objects.filter(pk=profile.pk).exists()

    def test_a_group_with_profile_permission_only_sees_managers(self, client, catalog):
        group = Group.objects.create(name="HR")
        group.permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="view_profile"),
        )
        user = UserFactory(username="hana")
        user.groups.add(group)
        client.force_login(user)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert MANAGERS_URL in home
        assert REQUIREMENTS_URL not in home
        assert client.get(ASSIGNMENTS_URL).status_code == 302
