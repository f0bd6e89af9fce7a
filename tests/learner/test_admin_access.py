"""Who sees the Learners menu of the admin (enrolment requests and course progress), and
who is turned away."""

from django.urls import reverse

import pytest

from tests.learner.factories import UserFactory, add_instructor, member_of, pending

pytestmark = pytest.mark.django_db

REQUESTS_URL = "/admin/learners/requests/"
PROGRESS_URL = "/admin/learners/progress/"


class TestAccess:
    @pytest.mark.parametrize("group", ["Instructors", "Reviewers"])
    def test_course_editors_see_the_learners_menu_with_a_request_count(
        self, client, course_a, group
    ):
        pending(course_a)
        pending(course_a)
        editor = member_of(group, "editor")
        if group == "Instructors":
            add_instructor(course_a, editor)
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Learners" in content
        assert "Enrolment requests (2)" in content
        assert "Course progress" in content

    @pytest.mark.parametrize(
        "url", [REQUESTS_URL, f"{REQUESTS_URL}results/", PROGRESS_URL, f"{PROGRESS_URL}results/"]
    )
    def test_listings_and_their_filter_results_open(self, client, instructor, course_a, url):
        pending(course_a)
        client.force_login(instructor)
        response = client.get(url, {"course": course_a.pk})
        assert response.status_code == 200
        assert len(response.context["object_list"]) == 1

    @pytest.mark.parametrize("url", [REQUESTS_URL, PROGRESS_URL, f"{PROGRESS_URL}?export=csv"])
    def test_learner_without_admin_access_is_sent_to_login(self, client, learner, url):
        client.force_login(learner)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in

    @pytest.mark.parametrize("url", [REQUESTS_URL, PROGRESS_URL])
    def test_admin_user_who_edits_no_course_is_turned_away(self, client, course_a, url):
        pending(course_a)
        client.force_login(member_of("Compliance admins", "cora"))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Enrolment requests" not in home
        assert "Course progress" not in home

    def test_superuser_sees_every_course(self, client, course_a, course_b):
        pending(course_a)
        pending(course_b)
        client.force_login(UserFactory(username="root", is_superuser=True))
        response = client.get(REQUESTS_URL)
        assert response.status_code == 200
        assert len(response.context["object_list"]) == 2
