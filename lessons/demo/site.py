"""The demo's home page hero, featured courses and site branding.

These belong to the home app, but the featured courses only exist once the catalog
demo has built them, so the catalog demo sets them at its end.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractUser

from wagtail.models import Site

from catalog.models import CatalogPage, CoursePage
from home.models import BrandingSettings, HomePage, HomePageFeaturedCourse

from .covers import demo_image, draw_logo

SITE_NAME = "Fledge Academy"
HERO_TITLE = "Learn what matters, when it matters"
HERO_TEXT = (
    "<p>Short, practical courses with quizzes and certificates: start with "
    "<b>Security Awareness Essentials</b>, this year's required training.</p>"
)
LOGO_COLOUR = "#1d4ed8"
FOOTER_TEXT = "<p>Fledge Academy is a demo site. All people and courses are fictional.</p>"


def feature_courses(
    catalog: CatalogPage, courses: Sequence[CoursePage], *, publisher: AbstractUser | None
) -> str:
    """Set the home page's hero and featured courses, publishing a new revision only
    when they differ; return what happened."""
    home = HomePage.objects.ancestor_of(catalog).first()
    if home is None:
        return "No home page above the catalog; nothing featured"
    draft = home.get_latest_revision_as_object()
    wanted_ids = [course.pk for course in courses]
    current_ids = [item.course_id for item in draft.featured_courses.all()]
    if (
        draft.hero_title == HERO_TITLE
        and draft.hero_text == HERO_TEXT
        and current_ids == wanted_ids
        and not home.has_unpublished_changes
    ):
        return f"Home page already features {len(courses)} courses"
    draft.hero_title = HERO_TITLE
    draft.hero_text = HERO_TEXT
    draft.featured_courses = [
        HomePageFeaturedCourse(course=course, sort_order=order)
        for order, course in enumerate(courses)
    ]
    draft.save_revision(user=publisher).publish(user=publisher)
    return f"Home page features {len(courses)} courses"


def brand_default_site() -> str:
    """Name the default site and set its branding; return what happened."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "No default site; branding not set"
    if site.site_name != SITE_NAME:
        site.site_name = SITE_NAME
        site.save(update_fields=["site_name"])
    branding = BrandingSettings.for_site(site)
    logo_missing = branding.logo_id is None
    if branding.site_name == SITE_NAME and branding.footer_text == FOOTER_TEXT and not logo_missing:
        return f"Branding already “{SITE_NAME}”"
    branding.site_name = SITE_NAME
    branding.footer_text = FOOTER_TEXT
    if logo_missing:
        # The admin shows it instead of Wagtail's bird, and so does the site header.
        branding.logo = demo_image(
            title=f"{SITE_NAME} logo",
            filename="demo-logo.png",
            draw=lambda: draw_logo(initials="FA", colour=LOGO_COLOUR),
        )
    branding.save()
    return f"Branding set to “{SITE_NAME}”"
