"""Instructors own courses: chosen on the course's form, and only they (with reviewers
and superusers) may edit it. Tested with the shipped groups."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from wagtail.models import GroupPagePermission, PageLogEntry

import pytest

from catalog.models import CourseTeam
from catalog.selectors import course_instructors
from catalog.services import set_course_instructors
from tests.catalog.admin_forms import add_page, child, course_form, edit_page, member_of
from tests.catalog.factories import CoursePageFactory, ModulePageFactory
from tests.learner.factories import UserFactory, course_instructor
from tests.lessons.factories import LessonPageFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ines(catalog):
    return member_of("Instructors", "ines", first_name="Ines", last_name="Ito")


@pytest.fixture
def otto(catalog):
    return member_of("Instructors", "otto", first_name="Otto", last_name="Olsen")


class TestChoosingInstructors:
    def test_a_new_course_is_instructed_by_its_creator(self, catalog, ines):
        add_page(signed_in(ines), catalog, "coursepage", course_form("Ethics"))
        course = child(catalog, "ethics")
        assert list(course_instructors(course=course)) == [ines]
        assert course.permissions_for_user(ines).can_edit()
        entry = PageLogEntry.objects.get(page=course, action="catalog.instructors")
        assert entry.data == {"added": ["ines"], "removed": []}
        assert entry.user == ines

    def test_the_form_offers_instructors_and_ticks_the_current_ones(self, catalog, ines, otto):
        add_page(signed_in(ines), catalog, "coursepage", course_form("Ethics"))
        course = child(catalog, "ethics")
        html = signed_in(ines).get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
        form = html.context["form"]
        assert set(form.fields["instructors"].queryset) == {ines, otto}
        assert list(form["instructors"].value()) == [ines.pk]
        assert "Otto Olsen (otto)" in html.content.decode()

    def test_a_co_instructor_may_edit_at_once_and_loses_it_when_removed(self, catalog, ines, otto):
        client = signed_in(ines)
        add_page(client, catalog, "coursepage", course_form("Ethics"))
        course = child(catalog, "ethics")
        assert not course.permissions_for_user(otto).can_edit()

        edit_page(client, course, course_form("Ethics", instructors=[ines.pk, otto.pk]))
        otto = type(otto).objects.get(pk=otto.pk)  # fresh: permissions are cached per object
        assert course.permissions_for_user(otto).can_edit()
        assert (
            signed_in(otto).get(reverse("wagtailadmin_pages:edit", args=(course.pk,))).status_code
            == 200
        )

        edit_page(client, course, course_form("Ethics", instructors=[ines.pk]))
        otto = type(otto).objects.get(pk=otto.pk)
        assert not course.permissions_for_user(otto).can_edit()
        response = signed_in(otto).get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
        assert response["Location"] == reverse("wagtailadmin_home")

    def test_only_members_of_the_instructors_group_can_be_chosen(self, catalog, ines):
        add_page(signed_in(ines), catalog, "coursepage", course_form("Ethics"))
        course = child(catalog, "ethics")
        learner = UserFactory(username="lena")
        response = edit_page(
            signed_in(ines), course, course_form("Ethics", instructors=[learner.pk])
        )
        assert response.status_code == 200  # the form again, with the error
        assert "instructors" in response.context["form"].errors
        assert list(course_instructors(course=course)) == [ines]

    def test_an_empty_choice_keeps_the_creator(self, catalog, ines, otto):
        course = CoursePageFactory(owner=ines)
        set_course_instructors(course=course, instructors=[otto])
        assert set_course_instructors(course=course, instructors=[]) == [ines]
        assert list(course_instructors(course=course)) == [ines]

    def test_choosing_the_same_people_again_changes_and_logs_nothing(self, catalog, ines):
        course = CoursePageFactory(owner=ines)
        set_course_instructors(course=course, instructors=[ines])
        set_course_instructors(course=course, instructors=[ines])
        assert PageLogEntry.objects.filter(page=course, action="catalog.instructors").count() == 1
        assert CourseTeam.objects.filter(course=course).count() == 1

    def test_a_copied_course_is_instructed_by_whoever_copied_it(self, catalog, ines, otto):
        course = CoursePageFactory(title="Original", slug="original")
        set_course_instructors(course=course, instructors=[ines, otto])
        client = signed_in(otto)
        url = reverse("wagtailadmin_pages:copy", args=(course.pk,))
        response = client.post(
            url,
            {"new_title": "Copy", "new_slug": "copy", "new_parent_page": catalog.pk},
        )
        assert response.status_code == 302
        copy = child(catalog, "copy")
        assert list(course_instructors(course=copy)) == [otto]


class TestIsolation:
    """Instructor B reaches nothing of instructor A's course in the page admin."""

    @pytest.fixture
    def course(self, catalog, ines):
        course = CoursePageFactory(title="Ines's course", slug="ines-course", owner=ines)
        set_course_instructors(course=course, instructors=[ines])
        LessonPageFactory(parent=ModulePageFactory(parent=course, slug="basics"), slug="one")
        return course

    @pytest.mark.parametrize(
        "name",
        ["edit", "view_draft", "history", "copy", "revisions_index", "delete", "move"],
    )
    def test_other_instructor_is_turned_away(self, course, otto, name):
        url = reverse(f"wagtailadmin_pages:{name}", args=(course.pk,))
        response = signed_in(otto).get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
        assert "Sorry, you do not have permission" in response.content.decode()

    def test_other_instructor_cannot_add_or_edit_inside_the_course(self, course, otto):
        module = child(course, "basics")
        lesson = child(module, "one")
        client = signed_in(otto)
        add_module = reverse("wagtailadmin_pages:add", args=("catalog", "modulepage", course.pk))
        add_lesson = reverse("wagtailadmin_pages:add", args=("lessons", "lessonpage", module.pk))
        for url in (add_module, add_lesson, reverse("wagtailadmin_pages:edit", args=(lesson.pk,))):
            assert client.get(url)["Location"] == reverse("wagtailadmin_home"), url
        for page in (course, module, lesson):
            perms = page.permissions_for_user(otto)
            assert not (perms.can_edit() or perms.can_add_subpage() or perms.can_copy())

    def test_owning_a_page_inside_someone_elses_course_grants_nothing(self, course, otto):
        module = child(course, "basics")
        mine = LessonPageFactory(parent=module, slug="mine", owner=otto)
        assert not mine.permissions_for_user(otto).can_edit()

    def test_own_instructor_and_reviewer_may_edit_everything_in_it(self, course, ines):
        reviewer = member_of("Reviewers", "rafa")
        for user in (ines, reviewer):
            for page in (course, child(course, "basics")):
                perms = page.permissions_for_user(user)
                assert perms.can_edit() and perms.can_add_subpage(), (user, page)
        assert course.permissions_for_user(reviewer).can_publish()
        assert not course.permissions_for_user(ines).can_publish()

    def test_instructors_may_still_start_new_courses(self, catalog, otto):
        assert catalog.permissions_for_user(otto).can_add_subpage()
        assert not catalog.permissions_for_user(otto).can_edit()


class TestMigration:
    """catalog 0004 gives existing courses their creator (or the demo instructor)."""

    def run(self):
        module = importlib.import_module("catalog.migrations.0004_per_course_instructors")
        module.forwards(apps, None)

    def test_existing_courses_get_their_creator_or_the_demo_instructor(self, catalog, ines):
        demo = member_of("Instructors", "instructor")
        own = CoursePageFactory(owner=ines)
        orphan = CoursePageFactory(owner=UserFactory(username="gone"))
        instructors = Group.objects.get(name="Instructors")
        change = Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        )
        GroupPagePermission.objects.create(group=instructors, page=catalog, permission=change)

        self.run()
        assert list(course_instructors(course=own)) == [ines]
        assert list(course_instructors(course=orphan)) == [demo]
        assert not GroupPagePermission.objects.filter(
            group=instructors, page=catalog, permission=change
        ).exists()
        self.run()  # running it again changes nothing
        assert CourseTeam.objects.filter(course=own).count() == 1

    def test_the_review_task_is_a_course_review_task(self, catalog):
        from wagtail.models import Workflow

        task = Workflow.objects.get(name="Course review").tasks.get().specific
        assert type(task).__name__ == "CourseReviewTask"
        assert list(task.groups.values_list("name", flat=True)) == ["Reviewers"]


def test_course_instructor_helper_uses_the_shipped_group(catalog):
    course = CoursePageFactory()
    user = course_instructor(course, "ivan")
    assert user.groups.filter(name="Instructors").exists()
    assert course.permissions_for_user(user).can_edit()


class TestExplorer:
    def test_the_page_explorer_lists_only_the_courses_one_instructs(self, catalog, ines, otto):
        mine = CoursePageFactory(title="Ines's course", live=False)
        theirs = CoursePageFactory(title="Otto's draft", live=False)
        set_course_instructors(course=mine, instructors=[ines])
        set_course_instructors(course=theirs, instructors=[otto])
        ModulePageFactory(parent=theirs, title="Otto's module")
        client = signed_in(ines)

        listing = client.get(reverse("wagtailadmin_explore", args=(catalog.pk,))).content.decode()
        assert "Ines&#x27;s course" in listing or "Ines's course" in listing
        assert "Otto" not in listing
        inside = client.get(reverse("wagtailadmin_explore", args=(theirs.pk,))).content.decode()
        assert "Otto&#x27;s module" not in inside and "Otto's module" not in inside

        reviewer = signed_in(member_of("Reviewers", "rafa"))
        listing = reviewer.get(reverse("wagtailadmin_explore", args=(catalog.pk,))).content
        assert b"Otto" in listing and b"Ines" in listing
