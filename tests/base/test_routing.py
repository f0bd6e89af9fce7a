"""Pages are found through the cached path map, and the map never outlives a change."""

import pytest

from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory, small_course
from tests.lessons.factories import give_a_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    """Signed-in people bypass the anonymous page cache: every request is routed."""
    client.force_login(UserFactory())
    return client


def test_a_lesson_is_routed_in_one_query_once_the_map_is_warm(
    signed_in, django_assert_max_num_queries
):
    lesson = small_course().reading
    signed_in.get(lesson.url)
    with django_assert_max_num_queries(5):  # user, lesson, guard's enrolment check…
        response = signed_in.get(lesson.url)
    assert response.status_code == 302  # not enrolled: the guard sends them to the course


def test_the_home_page_is_routed_too(signed_in, catalog):
    CoursePageFactory(title="Fire Safety")
    signed_in.get("/")
    response = signed_in.get("/")
    assert response.status_code == 200
    assert b"Fire Safety" in response.content


def test_a_renamed_page_moves_at_once(signed_in):
    course = CoursePageFactory(title="Fire Safety", slug="fire-safety")
    give_a_lesson(course)
    old_url = course.url
    assert signed_in.get(old_url).status_code == 200
    course.slug = "fire-safety-at-work"
    course.save_revision().publish()
    assert signed_in.get(old_url).status_code == 404
    assert signed_in.get("/courses/fire-safety-at-work/").status_code == 200


def test_drafts_unpublished_pages_and_unknown_paths_are_404(signed_in):
    draft = CoursePageFactory(title="Draft", live=False)
    course = CoursePageFactory(title="Retired")
    assert signed_in.get(course.url).status_code == 200
    course.unpublish()
    for path in (draft.url_path, course.url, "/courses/no-such-course/", "/courses/a/b/c/d/e/f/"):
        url = path.removeprefix("/home") if path.startswith("/home") else path
        assert signed_in.get(url).status_code == 404, url
