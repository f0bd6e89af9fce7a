"""Factories for the catalog: subjects, courses and modules under the migrated catalog."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from catalog.models import CatalogPage, CoursePage, ModulePage, Subject


def site_catalog() -> CatalogPage:
    """The catalog page that the data migration creates under the home page."""
    return CatalogPage.objects.order_by("path").first()


class SubjectFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Subject {n}")

    class Meta:
        model = Subject
        django_get_or_create = ["name"]


class CoursePageFactory(wagtail_factories.PageFactory):
    """A published course in the site's catalog (pass ``parent`` for another)."""

    title = factory.Sequence(lambda n: f"Course {n}")
    summary = factory.LazyAttribute(lambda o: f"What you learn in {o.title}.")
    overview = "<p>An overview of the course.</p>"
    parent = factory.LazyFunction(site_catalog)

    class Meta:
        model = CoursePage


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "A module."
    parent = factory.SubFactory(CoursePageFactory)

    class Meta:
        model = ModulePage
