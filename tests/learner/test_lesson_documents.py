"""Lesson files are private to the course: who may download a Wagtail document."""

import importlib
import re

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

import pytest

from learner.documents import can_download_document, lessons_linking
from learner.models import Enrollment
from tests.learner.factories import EnrollmentFactory, UserFactory, course_editor, small_course
from tests.lessons.factories import LessonPageFactory, lesson_body, paragraph

Document = get_document_model()
Status = Enrollment.Status
pytestmark = pytest.mark.django_db

FILE_BYTES = b"%PDF-1.4\n% a lesson handout\n%%EOF\n"
FILENAME = "phishing-checklist.pdf"
TITLE = "Phishing checklist"


def make_document(*, collection=None, uploaded_by=None):
    document = Document(
        title=TITLE,
        collection=collection or Collection.get_first_root_node(),
        uploaded_by_user=uploaded_by,
    )
    document.file.save(FILENAME, ContentFile(FILE_BYTES), save=False)
    document.save()
    return document


def public_collection():
    return Collection.objects.get(depth=2, name="Public")


def document_block(document) -> dict:
    return {"type": "document", "value": {"document": document.pk, "title": "", "description": ""}}


def document_link(document) -> dict:
    return paragraph(f'<p>Print <a linktype="document" id="{document.pk}">the checklist</a>.</p>')


LINKS = {"document block": document_block, "rich-text link": document_link}


def link_from(lesson, document, how="document block"):
    """Publish ``lesson`` with a link to ``document``, as an editor would."""
    lesson.body = lesson_body(paragraph(), LINKS[how](document))
    lesson.save_revision().publish()


def downloaded(response) -> bool:
    """Whether the response is the file itself (and not a page about it)."""
    if response.status_code != 200 or not response.streaming:
        return False
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content) == FILE_BYTES


def collection_permission_group(name: str, codename: str, collection=None) -> Group:
    group = Group.objects.create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    GroupCollectionPermission.objects.create(
        group=group,
        collection=collection or Collection.get_first_root_node(),
        permission=Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename),
    )
    return group


@pytest.fixture
def course():
    return small_course()


@pytest.fixture(params=list(LINKS))
def handout(request, course):
    """A root-collection document linked from the course's last lesson, once through a
    document block and once through a link in the lesson's rich text."""
    document = make_document()
    link_from(course.last, document, request.param)
    return document


class TestLessonDocuments:
    def test_anonymous_visitor_gets_404(self, client, handout):
        assert client.get(handout.url).status_code == 404

    def test_signed_in_learner_not_enrolled_gets_404(self, client, handout):
        client.force_login(UserFactory())
        assert client.get(handout.url).status_code == 404

    @pytest.mark.parametrize(
        "status", [Status.PENDING, Status.WAITLISTED, Status.WITHDRAWN, Status.REJECTED]
    )
    def test_enrollment_that_gives_no_access_gets_404(self, client, course, handout, status):
        client.force_login(EnrollmentFactory(course=course.course, status=status).user)
        assert client.get(handout.url).status_code == 404

    @pytest.mark.parametrize("status", [Status.ACTIVE, Status.COMPLETED])
    def test_active_and_completed_learners_download_the_file(self, client, course, handout, status):
        client.force_login(EnrollmentFactory(course=course.course, status=status).user)
        assert downloaded(client.get(handout.url))

    def test_learner_of_another_course_gets_404(self, client, handout):
        client.force_login(EnrollmentFactory(course=small_course().course).user)
        assert client.get(handout.url).status_code == 404

    def test_the_course_editor_downloads_the_file(self, client, course, handout):
        client.force_login(course_editor(course.course, "instructor"))
        assert downloaded(client.get(handout.url))

    def test_a_reviewer_downloads_the_file(self, client, handout):
        reviewer = UserFactory(username="reviewer")
        reviewer.groups.add(Group.objects.get(name="Reviewers"))
        client.force_login(reviewer)
        assert downloaded(client.get(handout.url))

    def test_a_superuser_downloads_the_file(self, client, admin_user, handout):
        client.force_login(admin_user)
        assert downloaded(client.get(handout.url))

    def test_an_editor_of_another_course_gets_404(self, client, handout):
        client.force_login(course_editor(small_course().course, "other-instructor"))
        assert client.get(handout.url).status_code == 404


class TestWhichLessonsCount:
    def test_sequential_lessons_do_not_hold_a_file_back(self, client):
        # The file is in the last lesson; the learner has completed nothing yet.
        course = small_course(sequential_lessons=True)
        document = make_document()
        link_from(course.last, document)
        client.force_login(EnrollmentFactory(course=course.course).user)
        assert client.get(course.last.url).status_code == 302
        assert downloaded(client.get(document.url))

    def test_a_pending_retake_closes_the_files_as_it_closes_the_lessons(self, client, course):
        document = make_document()
        link_from(course.reading, document)
        learner = EnrollmentFactory(course=course.course, status=Status.COMPLETED).user
        EnrollmentFactory(course=course.course, user=learner, status=Status.PENDING)
        client.force_login(learner)
        assert client.get(course.reading.url).status_code == 302
        assert client.get(document.url).status_code == 404

    def test_an_unpublished_lesson_gives_its_files_to_editors_only(self, client, course):
        document = make_document()
        link_from(course.last, document)
        course.last.unpublish()
        client.force_login(EnrollmentFactory(course=course.course).user)
        assert client.get(document.url).status_code == 404
        client.force_login(course_editor(course.course, "instructor"))
        assert downloaded(client.get(document.url))

    def test_a_link_removed_from_the_lesson_no_longer_counts(self, client, course):
        document = make_document()
        link_from(course.last, document)
        learner = EnrollmentFactory(course=course.course).user
        client.force_login(learner)
        assert downloaded(client.get(document.url))
        course.last.body = lesson_body(paragraph())
        course.last.save_revision().publish()
        assert client.get(document.url).status_code == 404

    def test_both_kinds_of_link_are_found_in_one_query(self, django_assert_num_queries):
        document = make_document()
        by_block = LessonPageFactory(body=lesson_body(document_block(document)))
        by_link = LessonPageFactory(body=lesson_body(document_link(document)))
        LessonPageFactory(body=lesson_body(paragraph()))
        list(lessons_linking(document))  # content types into Django's cache
        with django_assert_num_queries(1):
            assert set(lessons_linking(document)) == {by_block, by_link}


class TestPublicCollection:
    def test_the_migration_created_it_under_the_root(self):
        assert public_collection().get_parent() == Collection.get_first_root_node()

    def test_its_documents_download_for_anonymous_visitors(self, client):
        assert downloaded(client.get(make_document(collection=public_collection()).url))

    def test_so_do_those_of_the_collections_below_it(self, client):
        forms = public_collection().add_child(name="Forms")
        assert downloaded(client.get(make_document(collection=forms).url))

    def test_a_collection_of_that_name_elsewhere_is_not_public(self, client):
        staff = Collection.get_first_root_node().add_child(name="Staff")
        elsewhere = staff.add_child(name="Public")
        assert client.get(make_document(collection=elsewhere).url).status_code == 404

    def test_the_setting_names_it(self, client, settings):
        handouts = Collection.get_first_root_node().add_child(name="Handouts")
        settings.FLEDGE_PUBLIC_COLLECTION = "Handouts"
        assert downloaded(client.get(make_document(collection=handouts).url))
        assert client.get(make_document(collection=public_collection()).url).status_code == 404

    def test_the_migration_keeps_collections_in_name_order_and_runs_once(self):
        migration = importlib.import_module("lessons.migrations.0002_public_collection")
        public_collection().delete()
        root = Collection.get_first_root_node()
        for name in ("Archive", "Zebra"):
            root.add_child(name=name)
        migration.create_public_collection(apps, None)
        migration.create_public_collection(apps, None)
        names = [c.name for c in Collection.get_first_root_node().get_children()]
        assert names == ["Archive", "Public", "Zebra"]
        assert Collection.find_problems() == ([], [], [], [], [])


class TestCollectionPrivacyStillApplies:
    def password_protected(self, parent):
        collection = parent.add_child(name="Partners")
        CollectionViewRestriction.objects.create(
            collection=collection,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="partners-only",
        )
        return collection

    def test_a_password_protected_public_collection_asks_for_its_password(self, client):
        document = make_document(collection=self.password_protected(public_collection()))
        response = client.get(document.url)
        assert response.status_code == 200
        assert not response.streaming
        assert b'name="password"' in response.content
        restriction = CollectionViewRestriction.objects.get()
        client.post(
            reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk]),
            {"password": "partners-only", "return_url": document.url},
        )
        assert downloaded(client.get(document.url))

    def test_a_password_form_is_never_shown_to_someone_without_access(self, client, course):
        document = make_document(
            collection=self.password_protected(Collection.get_first_root_node())
        )
        link_from(course.last, document)
        assert client.get(document.url).status_code == 404
        client.force_login(EnrollmentFactory(course=course.course).user)
        response = client.get(document.url)
        assert response.status_code == 200
        assert b'name="password"' in response.content


class TestUnlinkedDocuments:
    def test_anonymous_visitor_gets_404(self, client):
        assert client.get(make_document().url).status_code == 404

    def test_the_uploader_who_may_add_documents_downloads_it(self, client):
        uploader = UserFactory(username="uploader")
        uploader.groups.add(collection_permission_group("Uploaders", "add_document"))
        client.force_login(uploader)
        assert downloaded(client.get(make_document(uploaded_by=uploader).url))

    def test_the_uploader_without_add_permission_gets_404(self, client):
        uploader = UserFactory(username="former-uploader")
        client.force_login(uploader)
        assert client.get(make_document(uploaded_by=uploader).url).status_code == 404

    def test_someone_else_who_may_add_documents_gets_404(self, client):
        colleague = UserFactory(username="colleague")
        colleague.groups.add(collection_permission_group("Uploaders", "add_document"))
        client.force_login(colleague)
        uploader = UserFactory(username="uploader")
        assert client.get(make_document(uploaded_by=uploader).url).status_code == 404

    def test_a_document_manager_downloads_it(self, client):
        manager = UserFactory(username="librarian")
        manager.groups.add(collection_permission_group("Librarians", "change_document"))
        client.force_login(manager)
        assert downloaded(client.get(make_document().url))

    def test_a_superuser_downloads_it(self, client, admin_user):
        client.force_login(admin_user)
        assert downloaded(client.get(make_document().url))

    def test_the_selector_says_the_same(self, admin_user):
        document = make_document()
        assert can_download_document(user=admin_user, document=document)
        assert not can_download_document(user=UserFactory(), document=document)


def headers(response) -> dict[str, str]:
    """The response's headers, but for the id the request log gives every request."""
    return {k: v for k, v in response.headers.items() if k != "X-Request-ID"}


def page(response) -> bytes:
    """The response's body, but for the sign-out form's CSRF token (masked afresh on
    every render)."""
    return re.sub(rb'(name="csrfmiddlewaretoken" value=)"[^"]*"', rb"\1", response.content)


class TestNotFound:
    def unknown_url(self) -> str:
        return reverse("wagtaildocs_serve", args=[987654, FILENAME])

    def test_an_unknown_document_id_is_404(self, client):
        assert client.get(self.unknown_url()).status_code == 404

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_a_private_document_looks_exactly_like_a_missing_one(self, client, signed_in):
        if signed_in:
            client.force_login(UserFactory())
        document = make_document()
        hidden, missing = client.get(document.url), client.get(self.unknown_url())
        assert hidden.status_code == missing.status_code == 404
        assert page(hidden) == page(missing)
        assert "Content-Disposition" not in hidden
        assert TITLE.encode() not in hidden.content
        assert headers(hidden) == headers(missing)


class TestQueryBudget:
    def test_an_enrolled_learner_downloads_in_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        # Linked from every lesson of three courses: the count does not grow with them.
        courses = [small_course() for _ in range(3)]
        document = make_document()
        for lesson in (lesson for c in courses for lesson in c.lessons):
            link_from(lesson, document)
        client.force_login(EnrollmentFactory(course=courses[-1].course).user)
        client.get(document.url)  # warm the session and permission caches
        with django_assert_max_num_queries(7):
            assert downloaded(client.get(document.url))
