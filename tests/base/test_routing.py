"""Pages are found through the cached path map, and the map never outlives a change."""

from django.core.cache import cache

from wagtail.models import PageViewRestriction, Site

import pytest

from base import routing
from catalog.models import CoursePage
from catalog.selectors import course_outline
from home.models import BrandingSettings
from lessons.models import LessonPage
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


# --- The Site, its root paths and branding in one query --------------------------------


@pytest.mark.parametrize(
    "sites",
    [
        [("localhost", 80, True)],
        [("localhost", 80, True), ("learn.example.org", 80, False)],
        [("localhost", 80, True), ("learn.example.org", 8000, False)],
        [
            ("localhost", 80, True),
            ("learn.example.org", 80, False),
            ("learn.example.org", 81, False),
        ],
        [("learn.example.org", 80, False), ("learn.example.org", 8080, False)],
        [("learn.example.org", 8000, True), ("learn.example.org", 80, False)],
    ],
)
def test_the_site_is_the_one_wagtail_would_choose(rf, catalog, sites):
    """Every request host and port, against every arrangement of sites: the same Site
    and root paths as Wagtail's own two lookups."""
    home = Site.objects.get(is_default_site=True).root_page
    Site.objects.all().delete()
    for hostname, port, is_default in sites:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=is_default
        )
    for host in ("localhost", "learn.example.org", "elsewhere.test"):
        for port in (80, 81, 8000, 8080):
            request = rf.get("/", HTTP_HOST=f"{host}:{port}" if port != 80 else host)
            cache.clear()
            facts = routing._read_site_facts(request)
            assert facts.site == Site._find_for_request(request), (host, port)
            assert facts.root_paths == Site.get_site_root_paths()


def test_a_port_that_is_not_a_number_matches_no_port_and_is_not_an_error(rf, catalog):
    """Wagtail's own lookup raises on such a port (the ORM cannot compare it); here it
    is a port no site has, so the answer is the one for any other unknown port."""
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="learn.example.org", port=8000, root_page=default.root_page)
    for host in ("localhost", "learn.example.org"):
        odd = routing._read_site_facts(rf.get("/", HTTP_HOST=host, SERVER_PORT="eighty"))
        unknown = rf.get("/", HTTP_HOST=f"{host}:81")
        assert odd.site == Site._find_for_request(unknown) is not None


def test_the_header_branding_comes_with_the_site_and_follows_changes(signed_in, catalog):
    branding = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
    branding.site_name = "Acme Academy"
    branding.save()
    cache.clear()
    signed_in.get("/")
    response = signed_in.get("/")
    assert "Acme Academy" in response.content.decode()
    branding.site_name = "Acme Learning"
    branding.save()  # bumps the content version: the cached Site goes with it
    assert "Acme Learning" in signed_in.get("/").content.decode()


def test_a_restriction_added_later_is_enforced_at_once(client, catalog):
    """Routing skips restriction reads while the site has none; the first one made
    retires that answer, so the restricted page asks for a sign-in straight away."""
    course = small_course()
    assert client.get(course.course.url).status_code == 200  # cached: no restrictions
    PageViewRestriction.objects.create(
        page=course.course, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(course.course.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_outline_links_are_the_pages_own_urls(rf, catalog, settings):
    """Each outline link is built from the course's URL; it is exactly what Wagtail's
    ``get_url`` answers, with a non-ASCII slug too, and on a second site's host."""
    settings.ALLOWED_HOSTS = ["localhost", "learn.example.org"]
    course = small_course()
    course.last.slug = "résumé-et-suite"
    course.last.save_revision().publish()
    home = Site.objects.get(is_default_site=True).root_page
    Site.objects.create(hostname="learn.example.org", port=80, root_page=home)
    for host in ("localhost", "learn.example.org"):
        request = rf.get("/", HTTP_HOST=host)
        cache.clear()
        routing.site_for_request(request)
        course_page = CoursePage.objects.get(pk=course.course.pk)
        outline = course_outline(course=course_page, request=request)
        expected = {
            lesson.pk: lesson.get_url(request=request)
            for lesson in LessonPage.objects.descendant_of(course_page)
        }
        assert {lesson.id: lesson.url for lesson in outline.lessons} == expected
        assert "r%C3%A9sum%C3%A9-et-suite" in outline.lessons[-1].url
