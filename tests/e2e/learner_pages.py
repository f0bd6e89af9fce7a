"""The learner's side of the site, built with the apps' factories, for the browser tests
of layout and accessibility: one learner part-way through a small course (with a failed
quiz attempt), a certificate from another course, and required training due soon, so
that every learner page shows its fuller state (progress bars, badges, tables, lists).
"""

import uuid
from dataclasses import dataclass

from django.urls import reverse

from playwright.sync_api import Page, expect

from compliance.models import Assignment
from learner import services as learner_services
from tests.catalog.factories import site_catalog
from tests.certificates.factories import issued_certificate
from tests.compliance.factories import TrainingRequirementFactory
from tests.learner.factories import (
    PASSWORD,
    EnrollmentFactory,
    SmallCourse,
    UserFactory,
    answer_key,
    small_course,
)

USERNAME = "robin"
#: Pages anyone may open, then the learner's own (they send a visitor to sign in).
PUBLIC_PAGES = ("home", "catalog", "course", "sign-in", "sign-up", "password reset")
LEARNER_PAGES = (
    "lesson",
    "quiz result",
    "dashboard",
    "certificates",
    "calendar",
    "account",
    "email addresses",
    "password change",
    "two-factor",
    "authenticator app",
)


@dataclass
class LearnerSite:
    """The data behind the learner pages, and the path of each page by name."""

    course: SmallCourse
    paths: dict[str, str]

    def public_paths(self) -> dict[str, str]:
        return {name: self.paths[name] for name in PUBLIC_PAGES}


def build_learner_site() -> LearnerSite:
    """Create the learner and everything their pages show; return the pages' paths.

    Call it before the browser's first request: the live server reads what it writes.
    """
    learner = UserFactory(username=USERNAME, first_name="Robin", last_name="Okonkwo-Lindqvist")
    course = small_course(
        title="Knots and splices for small-boat sailors", certificate_validity_months=12
    )
    enrollment = EnrollmentFactory(user=learner, course=course.course)
    learner_services.lesson_complete(enrollment=enrollment, lesson=course.reading)
    attempt = learner_services.quiz_submit(
        enrollment=enrollment,
        lesson=course.quiz_lesson,
        data=answer_key(course.quiz_lesson, correct=False),
        token=str(uuid.uuid4()),
    )
    issued_certificate(user=learner, title="Sea survival", certificate_validity_months=24)
    requirement = TrainingRequirementFactory(
        name="Annual seamanship refresher", course=course.course, audience_users=[learner]
    )
    # Adding the audience syncs the requirement once committed (the live server's
    # tests commit, and tasks run eagerly): that assigns the first cycle.
    assert Assignment.objects.filter(requirement=requirement, user=learner).exists()
    paths = {
        "home": "/",
        "catalog": site_catalog().url,
        "course": course.course.url,
        "sign-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "password reset": reverse("account_reset_password"),
        "lesson": course.quiz_lesson.url,
        "quiz result": reverse("learner:attempt", args=[attempt.pk]),
        "dashboard": reverse("learner:dashboard"),
        "certificates": reverse("certificates:list"),
        "calendar": reverse("compliance:calendar"),
        "account": reverse("account_overview"),
        "email addresses": reverse("account_email"),
        "password change": reverse("account_change_password"),
        "two-factor": reverse("mfa_index"),
        "authenticator app": reverse("mfa_activate_totp"),
    }
    return LearnerSite(course=course, paths=paths)


def sign_in(page: Page, *, username: str = USERNAME, password: str = PASSWORD) -> None:
    """Sign in on the site's own login page, which leads to the home page."""
    page.goto(reverse("account_login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My learning")
