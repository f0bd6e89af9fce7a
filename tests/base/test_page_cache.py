"""Signed-out visitors get public pages from the cache; publishing anything replaces
them at once; signed-in people, messages and lessons never go through it."""

from django.core.cache import cache
from django.test import override_settings

from wagtail.models import Site

import pytest

from base.cache import VERSION_KEY, content_version
from home.models import BrandingSettings
from tests.catalog.factories import CoursePageFactory, SubjectFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course
from tests.lessons.factories import give_a_lesson

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


class TestAnonymousVisitors:
    def test_second_visit_is_served_from_the_cache_without_queries(
        self, client, catalog, django_assert_num_queries
    ):
        course = CoursePageFactory(title="Fire Safety")
        first = get(client, catalog.url)
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            second = get(client, catalog.url)
        assert second["X-Page-Cache"] == "hit"
        assert second.content == first.content
        assert "Fire Safety" in second.content.decode()
        assert get(client, course.url)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            assert get(client, course.url)["X-Page-Cache"] == "hit"

    def test_each_query_string_is_its_own_page(self, client, catalog):
        CoursePageFactory(title="Fire Safety")
        CoursePageFactory(title="Knots")
        get(client, catalog.url)
        filtered = get(client, f"{catalog.url}?q=knots")
        assert filtered["X-Page-Cache"] == "miss"
        assert "Fire Safety" not in filtered.content.decode()

    def test_publishing_a_course_shows_it_on_the_next_visit(self, client, catalog):
        get(client, catalog.url)
        course = CoursePageFactory(title="Brand New Course", live=False)
        give_a_lesson(course)
        assert "Brand New Course" not in get(client, catalog.url).content.decode()

        course.save_revision().publish()

        fresh = get(client, catalog.url)
        assert fresh["X-Page-Cache"] == "miss"
        assert "Brand New Course" in fresh.content.decode()

    def test_a_draft_edit_does_not_leak_but_its_publication_shows(self, client):
        course = CoursePageFactory(title="Fire Safety", summary="Old summary.")
        give_a_lesson(course)
        get(client, course.url)
        course.summary = "New summary."
        revision = course.save_revision()
        assert "Old summary." in get(client, course.url).content.decode()
        revision.publish()
        assert "New summary." in get(client, course.url).content.decode()

    def test_unpublishing_a_course_takes_it_down_at_once(self, client, catalog):
        course = CoursePageFactory(title="Retired Course")
        get(client, course.url)
        get(client, catalog.url)
        course.unpublish()
        assert client.get(course.url).status_code == 404
        assert "Retired Course" not in get(client, catalog.url).content.decode()

    def test_branding_and_subjects_invalidate_too(self, client, catalog):
        course = CoursePageFactory(title="Fire Safety", subject=SubjectFactory(name="Safety"))
        get(client, course.url)
        branding = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
        branding.site_name = "Acme Academy"
        branding.save()
        assert "Acme Academy" in get(client, course.url).content.decode()
        subject = course.subject
        subject.name = "Health and safety"
        subject.save()
        assert "Health and safety" in get(client, course.url).content.decode()

    def test_a_visitor_with_a_message_waiting_is_not_served_a_cached_page(self, client):
        sc = small_course()
        get(client, sc.course.url)
        redirected = client.get(sc.reading.url, follow=True)  # the lesson guard's message
        assert redirected.redirect_chain[-1][0] == sc.course.url
        assert "enrol in this course" in redirected.content.decode()

    def test_lessons_are_never_cached(self, client):
        sc = small_course()
        for _ in range(2):
            response = client.get(sc.reading.url)
            assert response.status_code == 302
            assert "X-Page-Cache" not in response

    @override_settings(FLEDGE_PAGE_CACHE_SECONDS=0)
    def test_the_cache_can_be_switched_off(self, client, catalog):
        get(client, catalog.url)
        assert "X-Page-Cache" not in get(client, catalog.url)

    def test_a_lost_version_starts_a_new_series_not_an_old_one(self, client, catalog):
        before = content_version()
        cache.delete(VERSION_KEY)
        assert content_version() > before


class TestSignedInPeople:
    def test_never_get_the_visitors_copy_and_are_never_stored(self, client):
        sc = small_course(title="Fire Safety")
        anonymous = get(client, sc.course.url)
        assert "Sign in to enrol" in anonymous.content.decode()
        learner = UserFactory()
        EnrollmentFactory(user=learner, course=sc.course)
        client.force_login(learner)
        mine = get(client, sc.course.url)
        assert "X-Page-Cache" not in mine
        assert "Sign in to enrol" not in mine.content.decode()
        assert "Start the course" in mine.content.decode()
        client.logout()
        assert "Start the course" not in get(client, sc.course.url).content.decode()


class TestCatalogListingFragment:
    def test_signed_in_people_share_the_rendered_listing_until_a_publish(
        self, client, catalog, django_assert_max_num_queries
    ):
        CoursePageFactory(title="Fire Safety")
        client.force_login(UserFactory())
        get(client, catalog.url)
        with django_assert_max_num_queries(4):  # user, and nothing for the listing
            cached = get(client, catalog.url)
        assert "Fire Safety" in cached.content.decode()
        new = CoursePageFactory(title="Knots", live=False)
        give_a_lesson(new)
        new.save_revision().publish()
        assert "Knots" in get(client, catalog.url).content.decode()
        assert "Knots" in get(client, f"{catalog.url}?q=knots").content.decode()
        assert "Fire Safety" not in get(client, f"{catalog.url}?q=knots").content.decode()
