"""A NUL byte anywhere a request carries text is a clear 400 and stores nothing, on
SQLite and PostgreSQL alike (``config.middleware.RefuseNulBytesMiddleware``).

PostgreSQL's text and ``jsonb`` cannot hold a NUL, so before the middleware a quiz
answer with one was a 500 there (and stored as-is on SQLite). CI runs this module on
both databases.
"""

import json
import uuid

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wagtail.documents.models import Document
from wagtail.models import Collection

import pytest

from catalog.models import Subject
from config.middleware import NUL_MESSAGE
from learner.models import QuizAttempt
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import PASSWORD, EnrollmentFactory, UserFactory, answer_key
from tests.learner.factories import small_course as build_small_course

User = get_user_model()
pytestmark = pytest.mark.django_db
NUL = "\x00"


def refused(response) -> bool:
    return response.status_code == 400 and NUL_MESSAGE.encode() in response.content


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="sam", is_superuser=True, is_staff=True))
    return client


class TestQuizAnswers:
    @pytest.fixture
    def small(self):
        return build_small_course()

    def submit(self, client, lesson, data):
        return client.post(
            f"/learn/lessons/{lesson.pk}/quiz/", {**data, "submission_token": str(uuid.uuid4())}
        )

    def test_short_answer_with_a_nul_is_refused_and_not_stored(self, client, small):
        enrollment = EnrollmentFactory(course=small.course)
        client.force_login(enrollment.user)
        data = answer_key(small.quiz_lesson)
        for question in small.quiz_lesson.quiz.value["questions"]:
            if question.block_type == "short_answer":
                data[f"q-{question.id}"] = [f"multi{NUL}factor"]

        response = self.submit(client, small.quiz_lesson, data)

        assert refused(response)
        assert not QuizAttempt.objects.exists()
        # The same answers without the NUL are graded as usual.
        assert (
            self.submit(client, small.quiz_lesson, answer_key(small.quiz_lesson)).status_code == 302
        )

    def test_a_nul_in_a_field_name_is_refused(self, client, small):
        enrollment = EnrollmentFactory(course=small.course)
        client.force_login(enrollment.user)
        data = {**answer_key(small.quiz_lesson), f"q-{NUL}": ["x"]}

        assert refused(self.submit(client, small.quiz_lesson, data))
        assert not QuizAttempt.objects.exists()


class TestAccountForms:
    def test_sign_in(self, client):
        UserFactory(username="lena")
        response = client.post("/accounts/login/", {"login": f"lena{NUL}", "password": PASSWORD})
        assert refused(response)
        assert "_auth_user_id" not in client.session

    def test_sign_up_creates_no_account(self, client):
        response = client.post(
            "/accounts/signup/",
            {
                "username": f"new{NUL}comer",
                "email": "newcomer@example.com",
                "first_name": "New",
                "last_name": "Comer",
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
            },
        )
        assert refused(response)
        assert not User.objects.filter(email="newcomer@example.com").exists()

    def test_password_change_keeps_the_old_password(self, client):
        user = UserFactory(username="lena")
        client.force_login(user)
        new = f"a-new{NUL}passphrase-42"
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
        )
        assert refused(response)
        user.refresh_from_db()
        assert user.check_password(PASSWORD)


class TestAdminForms:
    def test_wagtail_admin_form(self, superuser_client):
        response = superuser_client.post(
            "/admin/snippets/catalog/subject/add/", {"name": f"Data{NUL}"}
        )
        assert refused(response)
        assert not Subject.objects.filter(name__startswith="Data").exists()

    def test_django_admin_form(self, superuser_client):
        response = superuser_client.post("/django-admin/auth/group/add/", {"name": f"Ops{NUL}"})
        assert refused(response)

    def test_a_nul_in_a_field_value_of_an_upload_is_refused(self, superuser_client):
        response = superuser_client.post(
            "/admin/documents/add/",
            {
                "title": f"Hand{NUL}out",
                "file": SimpleUploadedFile("handout.txt", b"plain text"),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert refused(response)
        assert not Document.objects.exists()

    def test_uploaded_file_contents_are_not_scanned(self, superuser_client):
        response = superuser_client.post(
            "/admin/documents/add/",
            {
                "title": "Binary handout",
                "file": SimpleUploadedFile("handout.zip", b"PK\x03\x04\x00\x00\x00\x00binary"),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 302
        assert Document.objects.filter(title="Binary handout").exists()


class TestQueryStrings:
    def test_a_filter_with_a_nul_is_refused(self, superuser_client):
        assert refused(superuser_client.get("/admin/learners/progress/", {"course": f"1{NUL}"}))

    def test_catalog_filters(self, client, catalog):
        assert refused(client.get(catalog.url, {"subject": NUL}))

    def test_a_search_with_a_nul_still_finds_courses(self, client, catalog):
        CoursePageFactory(title="Phishing defence")
        response = client.get(catalog.url, {"q": f"phish{NUL}ing"})
        assert response.status_code == 200
        assert b"Phishing defence" in response.content

    def test_an_admin_search_with_a_nul_is_answered(self, superuser_client):
        assert superuser_client.get("/admin/pages/search/", {"q": f"a{NUL}"}).status_code == 200

    def test_a_search_term_with_a_nul_is_refused_when_posting(self, client):
        assert refused(client.post(f"/accounts/login/?q={NUL}", {"username": "lena"}))


class TestJsonBodies:
    def post_json(self, client, body: str):
        return client.post("/accounts/login/", body, content_type="application/json")

    def test_an_escaped_nul_is_refused_with_json(self, client):
        response = self.post_json(client, json.dumps({"answers": [{"text": f"a{NUL}b"}]}))
        assert response.status_code == 400
        assert response.json() == {"error": NUL_MESSAGE}

    def test_a_nul_in_a_key_is_refused(self, client):
        assert self.post_json(client, json.dumps({f"a{NUL}": 1})).status_code == 400

    def test_a_written_out_backslash_u0000_is_not_a_nul(self, client):
        """``"\\\\u0000"`` in JSON is the six characters, which any database stores."""
        response = self.post_json(client, json.dumps({"code": "\\u0000"}))
        # The sign-in view's own answer to a JSON body without a login (allauth answers
        # JSON with the form's errors), not the refusal of a NUL.
        assert response.json() != {"error": NUL_MESSAGE}
        assert "form" in response.json()


class TestThe400Page:
    def test_uses_the_site_layout_and_shows_who_is_signed_in(self, client):
        client.force_login(UserFactory(username="lena"))
        response = client.get("/dashboard/", {"tab": NUL})
        assert refused(response)
        page = response.content.decode()
        assert "Skip to main content" in page
        assert "My learning" in page
        assert response.templates[0].name == "400.html"

    def test_djangos_own_bad_requests_use_it_too(self, client):
        """Django renders ``400.html`` without a request (a disallowed host, too many
        fields): the page must render from nothing."""
        response = client.get("/", HTTP_HOST="attacker.example")
        assert response.status_code == 400
        assert b"We could not read that request" in response.content

    def test_so_do_other_malformed_requests(self, client, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
        client.force_login(UserFactory(username="lena"))
        response = client.post("/accounts/login/", {"a": "1", "b": "2", "c": "3"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "We could not read that request" in page
        assert "My learning" in page

    def test_a_forged_post_is_still_a_403(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/accounts/login/", {"login": f"lena{NUL}"})
        assert response.status_code == 403
