"""A page's view restrictions, read in one statement when the cache is cold, are
Wagtail's own answer: the page's and its ancestors', through aliases."""

from django.core.cache import cache

from wagtail.models import Page, PageViewRestriction

import pytest

from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import small_course

pytestmark = pytest.mark.django_db


def wagtails(page) -> set[int]:
    return set(Page.get_view_restrictions(page).values_list("pk", flat=True))


def ours(page) -> set[int]:
    cache.clear()
    return set(page.get_view_restrictions().values_list("pk", flat=True))


def test_the_page_and_its_ancestors_restrictions_in_one_query(catalog, django_assert_num_queries):
    course = small_course()
    lesson = course.reading.specific
    cache.clear()
    with django_assert_num_queries(1):  # none, the common case: one statement in all
        assert not lesson.get_view_restrictions()
    assert wagtails(lesson) == set()
    on_course = PageViewRestriction.objects.create(
        page=course.course, restriction_type=PageViewRestriction.LOGIN
    )
    elsewhere = CoursePageFactory(title="Elsewhere")
    PageViewRestriction.objects.create(page=elsewhere, restriction_type=PageViewRestriction.LOGIN)
    cache.clear()
    with django_assert_num_queries(2):  # the ids, then the restrictions themselves
        found = set(lesson.get_view_restrictions().values_list("pk", flat=True))
    assert found == wagtails(lesson) == {on_course.pk}
    assert ours(elsewhere.specific) == wagtails(elsewhere)


def test_an_alias_answers_for_what_it_copies(catalog):
    course = small_course()
    restricted = PageViewRestriction.objects.create(
        page=course.course, restriction_type=PageViewRestriction.LOGIN
    )
    alias = course.course.create_alias(update_slug="alias-of-the-course")
    assert ours(alias.specific) == wagtails(alias.specific) == {restricted.pk}
