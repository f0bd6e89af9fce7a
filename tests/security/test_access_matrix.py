"""Who may reach what: every URL in the configuration, for every role of DESIGN.md.

The project's own URLs are each listed in ``CASES`` with the answer each role gets on a
GET. A URL that is in the configuration but not in the table fails
``TestInventory``, so nobody adds an endpoint without deciding who may reach it.
Wagtail's admin (hundreds of URLs) is checked as a family: closed to visitors and to
learners, open at its dashboard to the staff roles, with the project's admin views
(learners, compliance, certificates, subjects) listed one by one like the rest.

Each cell is either *reachable* (200, or a documented redirect) or *denied* (302 to
the right sign-in page with ``next``, the admin's "no permission" redirect, 403, 404,
or 405 for a POST-only endpoint); never a 500. Objects come from the shared world in
``conftest.py``; "someone else's" rows use the other learner's objects.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import Profile
from learner.models import Enrollment
from tests.catalog.factories import ModulePageFactory
from tests.learner.factories import UserFactory
from tests.lessons.factories import LessonPageFactory

from .conftest import (
    ANONYMOUS,
    COMPLIANCE_ADMIN,
    INSTRUCTOR,
    LEARNER,
    ROLES,
    SUPERUSER,
    World,
    client_for,
    reset_token_kwargs,
)
from .inventory import project_routes, route_for_path, sample_path, wagtail_admin_routes

pytestmark = pytest.mark.django_db


# --- Outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a role gets: a status and, for redirects, where to (given the world and the
    requested path)."""

    label: str
    status: int
    location: Callable[[World, str], str] | None = None

    def mismatch(self, response, world: World, path: str) -> str | None:
        """Why ``response`` is not this outcome, or None when it is."""
        got = f"{response.status_code} {response.get('Location', '')}".strip()
        if response.status_code != self.status:
            return f"expected {self.label}, got {got}"
        if self.location is not None:
            expected = self.location(world, path)
            if response["Location"] != expected:
                return f"expected {self.label} to {expected}, got {got}"
        return None


def _login_at(url_name: str) -> Callable[[World, str], str]:
    return lambda world, path: redirect_to_login(path, reverse(url_name)).url


def redirect(to: Callable[[World], str], label: str = "") -> Outcome:
    """A documented redirect for a role that may use the URL."""
    return Outcome(label or "redirect", 302, lambda world, path: to(world))


OK = Outcome("200", 200)
#: Sign in first (the front end's login page, with ``next``).
LOGIN = Outcome("sign-in redirect", 302, _login_at("login"))
#: Wagtail admin sign-in (visitors, and signed-in users without admin access).
ADMIN_LOGIN = Outcome("admin sign-in redirect", 302, _login_at("wagtailadmin_login"))
#: Django admin sign-in (everyone who is not staff).
DJANGO_LOGIN = Outcome("django-admin sign-in redirect", 302, _login_at("admin:login"))
#: Wagtail's "Sorry, you do not have permission" redirect to the admin dashboard.
ADMIN_DENIED = Outcome(
    "admin permission-denied redirect", 302, lambda world, path: reverse("wagtailadmin_home")
)
FORBIDDEN = Outcome("403", 403)
NOT_FOUND = Outcome("404", 404)
POST_ONLY = Outcome("405", 405)


# --- The table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One URL (with real objects) and what each role gets on GET, in ``ROLES`` order:
    (anonymous, learner, instructor, compliance admin, superuser)."""

    key: str
    label: str
    url: Callable[[World], str]
    expect: tuple[Outcome, Outcome, Outcome, Outcome, Outcome]
    #: Why the expectation is what it is, where that is not obvious.
    note: str = ""

    @property
    def id(self) -> str:
        return self.label

    def outcome(self, role: str) -> Outcome:
        return self.expect[ROLES.index(role)]


def every(outcome: Outcome) -> tuple:
    return (outcome,) * len(ROLES)


def signed_in(outcome: Outcome = OK) -> tuple:
    """Any signed-in user; visitors are asked to sign in."""
    return (LOGIN, outcome, outcome, outcome, outcome)


def rev(name: str, *args, query: str = "") -> Callable[[World], str]:
    """``reverse(name, args=...)`` where each arg may be a function of the world."""

    def build(world: World) -> str:
        values = [arg(world) if callable(arg) else arg for arg in args]
        return reverse(name, args=values) + (f"?{query}" if query else "")

    return build


def page_url(get_page: Callable[[World], object]) -> Callable[[World], str]:
    return lambda world: get_page(world).url


def course_url(world: World) -> str:
    return world.course.url


def first_unfinished_lesson(world: World) -> str:
    return world.small.reading.url


ME_ENROLLMENT = lambda w: w.me.enrollment.pk  # noqa: E731 - table shorthand
OTHER_ENROLLMENT = lambda w: w.other.enrollment.pk  # noqa: E731
READING = lambda w: w.small.reading.pk  # noqa: E731
QUIZ = lambda w: w.small.quiz_lesson.pk  # noqa: E731
REQUIREMENT = lambda w: w.requirement.pk  # noqa: E731
PENDING = lambda w: w.pending.pk  # noqa: E731
MY_CERTIFICATE = lambda w: w.me.certificate.pk  # noqa: E731


# Front end: health, accounts, learner, compliance, certificates, documents, pages.
FRONT_END = [
    Case("health", "health-ready", rev("health"), every(OK)),
    Case("health-live", "health-live", rev("health-live"), every(OK)),
    Case("health/live/", "health-live-slash", lambda w: "/health/live/", every(OK)),
    # Accounts.
    Case(
        "signup",
        "signup",
        rev("signup"),
        (OK, *[redirect(lambda w: reverse("learner:dashboard"), "My learning")] * 4),
        note="Signed in already: sign-up sends people where signing in does.",
    ),
    Case("login", "login", rev("login"), every(OK)),
    Case("logout", "logout", rev("logout"), every(POST_ONLY)),
    Case("password_change", "password-change", rev("password_change"), signed_in()),
    Case("password_change_done", "password-change-done", rev("password_change_done"), signed_in()),
    Case("password_reset", "password-reset", rev("password_reset"), every(OK)),
    Case("password_reset_done", "password-reset-done", rev("password_reset_done"), every(OK)),
    Case(
        "password_reset_confirm",
        "password-reset-confirm-bad-token",
        lambda w: reverse(
            "password_reset_confirm",
            kwargs={**reset_token_kwargs(w.other.user), "token": "bad-token"},
        ),
        every(OK),
        note="The page says the link is invalid; no form.",
    ),
    Case(
        "password_reset_confirm",
        "password-reset-confirm-valid-token",
        lambda w: reverse("password_reset_confirm", kwargs=reset_token_kwargs(w.other.user)),
        every(
            redirect(
                lambda w: reverse(
                    "password_reset_confirm",
                    kwargs={**reset_token_kwargs(w.other.user), "token": "set-password"},
                ),
                "set-password redirect",
            )
        ),
        note="Django moves the token into the session and drops it from the URL.",
    ),
    Case(
        "password_reset_complete",
        "password-reset-complete",
        rev("password_reset_complete"),
        every(OK),
    ),
    # Learning.
    Case("learner:dashboard", "dashboard", rev("learner:dashboard"), signed_in()),
    Case(
        "learner:enrol",
        "enrol",
        rev("learner:enrol", lambda w: w.elsewhere.pk),
        signed_in(POST_ONLY),
    ),
    Case(
        "learner:withdraw",
        "withdraw",
        rev("learner:withdraw", ME_ENROLLMENT),
        signed_in(POST_ONLY),
    ),
    Case(
        "learner:continue",
        "continue-own",
        rev("learner:continue", ME_ENROLLMENT),
        (LOGIN, redirect(first_unfinished_lesson, "next lesson"), NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    Case(
        "learner:continue",
        "continue-someone-elses",
        rev("learner:continue", OTHER_ENROLLMENT),
        (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    Case(
        "learner:course_complete",
        "course-complete-not-yet",
        rev("learner:course_complete", ME_ENROLLMENT),
        (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
        note="Only the learner's own completed enrolment (tests/learner/test_course_complete).",
    ),
    Case(
        "learner:course_complete",
        "course-complete-someone-elses",
        rev("learner:course_complete", OTHER_ENROLLMENT),
        (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    Case("learner:complete", "complete", rev("learner:complete", READING), signed_in(POST_ONLY)),
    Case(
        "learner:submit_quiz",
        "submit-quiz",
        rev("learner:submit_quiz", QUIZ),
        signed_in(POST_ONLY),
    ),
    Case(
        "learner:heartbeat",
        "heartbeat",
        rev("learner:heartbeat", READING),
        signed_in(POST_ONLY),
    ),
    Case(
        "learner:attempt",
        "attempt-own",
        rev("learner:attempt", lambda w: w.me.attempt.pk),
        (LOGIN, OK, OK, NOT_FOUND, OK),
        note="Editors of the lesson (instructors, superusers) review attempts.",
    ),
    Case(
        "learner:attempt",
        "attempt-someone-elses",
        rev("learner:attempt", lambda w: w.other.attempt.pk),
        (LOGIN, NOT_FOUND, OK, NOT_FOUND, OK),
    ),
    # Required training: the calendar feed's token is its own credential.
    Case("compliance:calendar", "calendar", rev("compliance:calendar"), signed_in()),
    Case(
        "compliance:calendar_regenerate",
        "calendar-regenerate",
        rev("compliance:calendar_regenerate"),
        signed_in(POST_ONLY),
    ),
    Case(
        "compliance:calendar_feed",
        "calendar-feed",
        lambda w: reverse("compliance:calendar_feed", kwargs={"token": w.me.feed.token}),
        every(OK),
        note="Calendar apps cannot sign in: the unguessable token is the secret.",
    ),
    Case(
        "compliance:calendar_feed",
        "calendar-feed-unknown-token",
        lambda w: reverse("compliance:calendar_feed", kwargs={"token": "x" * 43}),
        every(NOT_FOUND),
    ),
    # Certificates.
    Case("certificates:list", "certificates", rev("certificates:list"), signed_in()),
    Case("certificates:verify_form", "verify-form", rev("certificates:verify_form"), every(OK)),
    Case(
        "certificates:verify",
        "verify",
        lambda w: reverse("certificates:verify", args=[w.me.certificate.verification_code]),
        every(OK),
        note="Public by design: holder, course and dates only.",
    ),
    Case(
        "certificates:verify",
        "verify-unknown-code",
        rev("certificates:verify", "no-such-code"),
        every(NOT_FOUND),
    ),
    Case(
        "certificates:download",
        "download-own",
        lambda w: reverse("certificates:download", args=[w.me.certificate.number]),
        (LOGIN, OK, OK, NOT_FOUND, OK),
        note="Holder and staff: the instructor role instructs the certificate's course.",
    ),
    Case(
        "certificates:download",
        "download-someone-elses",
        lambda w: reverse("certificates:download", args=[w.other.certificate.number]),
        (LOGIN, NOT_FOUND, OK, NOT_FOUND, OK),
    ),
    # Documents (Wagtail's serve view checks collection privacy).
    Case(
        "wagtaildocs_serve",
        "document",
        lambda w: w.document.url,
        (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
        note="Outside the public collection and linked from no lesson: document managers "
        "only; everyone else gets the 404 of a file that does not exist.",
    ),
    Case(
        "wagtaildocs_serve",
        "lesson-document",
        lambda w: w.lesson_document.url,
        (NOT_FOUND, OK, OK, NOT_FOUND, OK),
        note="Linked from a lesson: the course's enrolled learners and instructors.",
    ),
    Case(
        "wagtaildocs_authenticate_with_password",
        "document-password-form",
        rev("wagtaildocs_authenticate_with_password", lambda w: w.collection_restriction.pk),
        every(OK),
    ),
    # Wagtail pages.
    Case("wagtail_serve", "home-page", lambda w: "/", every(OK)),
    Case("wagtail_serve", "catalog-page", lambda w: "/courses/", every(OK)),
    Case("wagtail_serve", "course-page", course_url, every(OK)),
    Case(
        "wagtail_serve",
        "module-page",
        page_url(lambda w: w.small.reading.get_parent().specific),
        every(OK),
    ),
    Case(
        "wagtail_serve",
        "lesson-enrolled-course",
        page_url(lambda w: w.small.reading),
        (
            redirect(course_url, "course page"),
            OK,
            OK,
            redirect(course_url, "course page"),
            OK,
        ),
        note="Lessons: enrolled learners and the page's editors; others go to the course.",
    ),
    Case(
        "wagtail_serve",
        "lesson-not-enrolled",
        page_url(lambda w: w.elsewhere_lesson),
        (
            redirect(lambda w: w.elsewhere.url, "course page"),
            redirect(lambda w: w.elsewhere.url, "course page"),
            redirect(lambda w: w.elsewhere.url, "course page"),
            redirect(lambda w: w.elsewhere.url, "course page"),
            OK,
        ),
        note="Another instructor's course: its lessons are not the instructor role's.",
    ),
    Case(
        "wagtail_serve",
        "draft-course",
        page_url(lambda w: w.draft_course),
        every(NOT_FOUND),
        note="Drafts are seen through the admin's preview, never at their URL.",
    ),
    Case(
        "wagtail_serve",
        "password-protected-page",
        page_url(lambda w: w.page_restriction.page),
        every(OK),
        note="The password form, not the page (see TestLessonGuard).",
    ),
    Case("wagtail_serve", "unknown-page", lambda w: "/no-such-page/", every(NOT_FOUND)),
    Case(
        "wagtailcore_authenticate_with_password",
        "page-password-form",
        rev(
            "wagtailcore_authenticate_with_password",
            lambda w: w.page_restriction.pk,
            lambda w: w.page_restriction.page_id,
        ),
        every(OK),
    ),
    Case("wagtailcore_login", "page-login", rev("wagtailcore_login"), every(OK)),
]


# Django's admin: staff (only superusers here) or its sign-in page.
STAFF_ONLY = (DJANGO_LOGIN, DJANGO_LOGIN, DJANGO_LOGIN, DJANGO_LOGIN, OK)


def django_admin_model(
    app_label: str,
    model: str,
    get_pk: Callable[[World], int],
    *,
    add: Outcome = OK,
) -> list[Case]:
    """The six URLs Django's admin makes for one model."""
    prefix = f"admin:{app_label}_{model}"
    label = f"django-admin-{model}"

    def change_url(world: World) -> str:
        return reverse(f"{prefix}_change", args=[get_pk(world)])

    return [
        Case(f"{prefix}_changelist", f"{label}-list", rev(f"{prefix}_changelist"), STAFF_ONLY),
        Case(f"{prefix}_add", f"{label}-add", rev(f"{prefix}_add"), (*STAFF_ONLY[:4], add)),
        Case(f"{prefix}_history", f"{label}-history", rev(f"{prefix}_history", get_pk), STAFF_ONLY),
        Case(
            f"{prefix}_delete",
            f"{label}-delete",
            rev(f"{prefix}_delete", get_pk),
            STAFF_ONLY,
        ),
        Case(f"{prefix}_change", f"{label}-change", change_url, STAFF_ONLY),
        Case(
            f"django-admin/{app_label}/{model}/<path:object_id>/",
            f"{label}-bare-id",
            lambda w: f"/django-admin/{app_label}/{model}/{get_pk(w)}/",
            (*STAFF_ONLY[:4], redirect(change_url, "change page")),
        ),
    ]


DJANGO_ADMIN = [
    Case("admin:index", "django-admin-index", rev("admin:index"), STAFF_ONLY),
    Case(
        "admin:login",
        "django-admin-login",
        rev("admin:login"),
        (OK, OK, OK, OK, redirect(lambda w: reverse("admin:index"), "admin index")),
        note="Signed-in non-staff see the form with 'not authorised for this page'.",
    ),
    Case(
        "admin:logout",
        "django-admin-logout",
        rev("admin:logout"),
        (*[redirect(lambda w: reverse("admin:index"), "admin index")] * 4, POST_ONLY),
    ),
    Case(
        "admin:password_change", "django-admin-password", rev("admin:password_change"), STAFF_ONLY
    ),
    Case(
        "admin:password_change_done",
        "django-admin-password-done",
        rev("admin:password_change_done"),
        STAFF_ONLY,
    ),
    Case(
        "admin:autocomplete",
        "django-admin-autocomplete",
        rev("admin:autocomplete", query="app_label=auth&model_name=user&field_name=groups"),
        STAFF_ONLY,
    ),
    Case("admin:jsi18n", "django-admin-jsi18n", rev("admin:jsi18n"), STAFF_ONLY),
    Case(
        "admin:view_on_site",
        "django-admin-view-on-site",
        lambda w: reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(Enrollment).pk, w.me.enrollment.pk],
        ),
        (*STAFF_ONLY[:4], NOT_FOUND),
        note="Enrolments have no public URL.",
    ),
    Case("admin:app_list", "django-admin-app", rev("admin:app_list", "auth"), STAFF_ONLY),
    Case(
        "django-admin/(?P<url>.*)$",
        "django-admin-unknown",
        lambda w: "/django-admin/no-such-page/",
        (*STAFF_ONLY[:4], NOT_FOUND),
    ),
    *django_admin_model("wagtaildocs", "document", lambda w: w.document.pk),
    *django_admin_model("wagtailimages", "image", lambda w: w.image.pk),
    *django_admin_model("taggit", "tag", lambda w: w.tag.pk),
    Case(
        "admin:taggit_tag_merge_tags",
        "django-admin-merge-tags",
        rev("admin:taggit_tag_merge_tags"),
        STAFF_ONLY,
    ),
    *django_admin_model("auth", "group", lambda w: w.instructors_group.pk),
    *django_admin_model("auth", "user", lambda w: w.me.user.pk),
    Case(
        "admin:auth_user_password_change",
        "django-admin-user-password",
        rev("admin:auth_user_password_change", lambda w: w.me.user.pk),
        STAFF_ONLY,
    ),
    *django_admin_model("axes", "accessattempt", lambda w: w.axes["attempt"].pk, add=FORBIDDEN),
    *django_admin_model("axes", "accesslog", lambda w: w.axes["log"].pk, add=FORBIDDEN),
    *django_admin_model("axes", "accessfailurelog", lambda w: w.axes["failure"].pk, add=FORBIDDEN),
]


# The project's views inside the Wagtail admin.
INSTRUCTORS_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_DENIED, OK)
COMPLIANCE_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_DENIED, OK, OK)
ADMIN_POST_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, POST_ONLY, POST_ONLY, POST_ONLY)


def admin_views(namespace: str, expect: tuple, *names: str, pk=None, label="") -> list[Case]:
    """One case per view name of an admin viewset; views with ``pk`` get ``pk(world)``."""
    cases = []
    for name in names:
        with_pk = name.endswith("*")
        name = name.rstrip("*")
        args = (pk,) if with_pk else ()
        cases.append(
            Case(
                f"{namespace}:{name}",
                f"{label or namespace}-{name}",
                rev(f"{namespace}:{name}", *args),
                expect,
            )
        )
    return cases


PROJECT_ADMIN = [
    # Learners menu: course editors (instructors) and superusers.
    *admin_views("learner_requests", INSTRUCTORS_ONLY, "index", "index_results"),
    *admin_views(
        "learner_requests",
        (ADMIN_LOGIN, ADMIN_LOGIN, POST_ONLY, ADMIN_DENIED, POST_ONLY),
        "approve*",
        "reject*",
        pk=PENDING,
    ),
    *admin_views("learner_progress", INSTRUCTORS_ONLY, "index", "index_results"),
    *admin_views("learner_progress", INSTRUCTORS_ONLY, "detail*", pk=ME_ENROLLMENT),
    Case(
        "learner_progress:index",
        "learner_progress-export",
        rev("learner_progress:index", query="export=csv"),
        INSTRUCTORS_ONLY,
    ),
    # Compliance menu: compliance admins and superusers.
    *admin_views("compliance_summary", COMPLIANCE_ONLY, "index"),
    Case(
        "compliance_summary:index",
        "compliance_summary-export",
        rev("compliance_summary:index", query="export=csv"),
        COMPLIANCE_ONLY,
    ),
    *admin_views("compliance_report", COMPLIANCE_ONLY, "index", "index_results"),
    Case(
        "compliance_report:index",
        "compliance_report-export",
        rev("compliance_report:index", query="export=xlsx"),
        COMPLIANCE_ONLY,
    ),
    *admin_views(
        "compliance_requirements",
        COMPLIANCE_ONLY,
        "index",
        "index_results",
        "add",
        "edit*",
        "delete*",
        "copy*",
        "history*",
        "history_results*",
        "usage*",
        pk=REQUIREMENT,
    ),
    *admin_views(
        "compliance_requirements", ADMIN_POST_ONLY, "preview", "preview_existing*", pk=REQUIREMENT
    ),
    *admin_views("compliance_assignments", COMPLIANCE_ONLY, "index", "index_results"),
    *admin_views(
        "compliance_assignments",
        (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_DENIED, POST_ONLY, POST_ONLY),
        "exempt*",
        "unexempt*",
        pk=lambda w: w.me.assignment.pk,
    ),
    *admin_views(
        "compliance_managers",
        COMPLIANCE_ONLY,
        "index",
        "index_results",
        "add",
        "edit*",
        "history*",
        "history_results*",
        "usage*",
        pk=lambda w: w.profile.pk,
    ),
    *admin_views(
        "compliance_managers",
        (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_DENIED, ADMIN_DENIED, OK),
        "delete*",
        pk=lambda w: w.profile.pk,
        label="compliance_managers-not-for-compliance-admins",
    ),
    # The people chooser (no menu item): whoever may edit requirements or managers.
    *admin_views("compliance_people", COMPLIANCE_ONLY, "choose", "choose_results"),
    Case(
        "compliance_people:chosen",
        "compliance_people-chosen",
        rev("compliance_people:chosen", lambda w: w.me.user.pk),
        COMPLIANCE_ONLY,
    ),
    Case(
        "compliance_people:chosen_multiple",
        "compliance_people-chosen_multiple",
        lambda w: reverse("compliance_people:chosen_multiple") + f"?id={w.me.user.pk}",
        COMPLIANCE_ONLY,
    ),
    # Certificates menu: staff of the courses (instructors) and superusers.
    *admin_views(
        "certificates_admin",
        INSTRUCTORS_ONLY,
        "index",
        "index_results",
        "rerender",
        "detail*",
        "revoke*",
        "reissue*",
        pk=MY_CERTIFICATE,
    ),
    *admin_views(
        "certificates_admin",
        (ADMIN_LOGIN, ADMIN_LOGIN, POST_ONLY, ADMIN_DENIED, POST_ONLY),
        "render*",
        pk=MY_CERTIFICATE,
    ),
    # Subjects (a snippet): instructors may view, add and copy; not change or delete.
    *admin_views(
        "wagtailsnippets_catalog_subject",
        INSTRUCTORS_ONLY,
        "list",
        "list_results",
        "add",
        "copy*",
        "history*",
        "history_results*",
        pk=lambda w: w.subject.pk,
        label="subjects",
    ),
    *admin_views(
        "wagtailsnippets_catalog_subject",
        (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_DENIED, ADMIN_DENIED, OK),
        "edit*",
        "delete*",
        "usage*",
        pk=lambda w: w.subject.pk,
        label="subjects-change",
    ),
]

CASES = FRONT_END + DJANGO_ADMIN + PROJECT_ADMIN


# --- Wagtail's admin as a family -------------------------------------------------------------

#: Wagtail admin URLs that visitors and learners may open: signing in, resetting a
#: password, and the static assets those pages need.
ADMIN_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


# --- Tests -----------------------------------------------------------------------------------


class TestInventory:
    """The table covers the URL configuration exactly."""

    def test_every_project_url_is_classified(self):
        unclassified = sorted(set(project_routes()) - {case.key for case in CASES})
        assert not unclassified, (
            "New URLs without an access decision: add them to CASES in "
            f"tests/security/test_access_matrix.py: {unclassified}"
        )

    def test_every_classified_url_exists(self):
        stale = sorted({case.key for case in CASES} - set(project_routes()))
        assert not stale, f"CASES lists URLs that are gone: {stale}"

    def test_each_case_reaches_the_url_it_classifies(self, world):
        wrong = []
        for case in CASES:
            path = urlsplit(case.url(world)).path
            route = route_for_path(path)
            if route is None or route.key != case.key:
                wrong.append(f"{case.id}: {path} is {route.key if route else None}")
        assert not wrong, wrong


ROLE_CASES = [pytest.param(role, case, id=f"{role}-{case.id}") for role in ROLES for case in CASES]


class TestAccessMatrix:
    @pytest.mark.parametrize(("role", "case"), ROLE_CASES)
    def test_role_gets_the_classified_answer(self, world, role, case):
        url = case.url(world)
        response = world.client(role, raise_request_exception=False).get(url)
        assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
        problem = case.outcome(role).mismatch(response, world, url)
        assert problem is None, f"{role} GET {url}: {problem}" + (
            f" ({case.note})" if case.note else ""
        )


class TestWagtailAdminFamily:
    """Every Wagtail admin URL is closed to visitors and learners; staff reach the
    dashboard."""

    @pytest.mark.parametrize("role", [ANONYMOUS, LEARNER])
    def test_closed_to_visitors_and_learners(self, world, role):
        wrong = []
        for route in wagtail_admin_routes():
            path = sample_path(route, world.course.pk)
            # A fresh client each time: the admin's logout drops the session cookie
            # even on the GET it refuses.
            response = world.client(role, raise_request_exception=False).get(path)
            expected = OK if route.key in ADMIN_PUBLIC else ADMIN_LOGIN
            problem = expected.mismatch(response, world, path)
            if problem:
                wrong.append(f"{route.key} {path}: {problem}")
        assert not wrong, "\n".join(wrong)

    def test_sample_paths_reach_their_routes(self, world):
        wrong = []
        for route in wagtail_admin_routes():
            path = sample_path(route, world.course.pk)
            found = route_for_path(path)
            if found is None or found.key != route.key:
                wrong.append(f"{route.key}: {path} is {found.key if found else None}")
        assert not wrong, wrong

    def test_public_admin_urls_exist(self):
        keys = {route.key for route in wagtail_admin_routes()}
        assert keys >= ADMIN_PUBLIC, ADMIN_PUBLIC - keys

    @pytest.mark.parametrize("role", [INSTRUCTOR, COMPLIANCE_ADMIN, SUPERUSER])
    def test_staff_reach_the_dashboard(self, world, role):
        response = world.client(role).get(reverse("wagtailadmin_home"))
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/users/",
            "/admin/groups/",
            "/admin/sites/",
            "/admin/collections/",
            "/admin/workflows/list/",
            "/admin/redirects/",
            "/admin/settings/home/brandingsettings/",
        ],
    )
    def test_people_and_site_setup_are_for_superusers(self, world, path):
        """Instructors and compliance admins cannot grant themselves more."""
        for role in (INSTRUCTOR, COMPLIANCE_ADMIN):
            response = world.client(role).get(path)
            assert response.status_code == 302, (role, path)
            assert response["Location"] == reverse("wagtailadmin_home"), (role, path)
        response = world.client(SUPERUSER).get(path, follow=True)
        assert response.status_code == 200, path

    def test_page_editing_is_for_instructors(self, world):
        url = reverse("wagtailadmin_pages:edit", args=[world.course.pk])
        assert world.client(INSTRUCTOR).get(url).status_code == 200
        denied = world.client(COMPLIANCE_ADMIN).get(url)
        assert denied["Location"] == reverse("wagtailadmin_home")


class TestLessonGuard:
    """Lessons are served to enrolled learners and editors; everyone else is sent to
    the course page with a message saying why (learner's ``before_serve_page`` hook)."""

    def messages(self, response) -> list[str]:
        return [str(message) for message in get_messages(response.wsgi_request)]

    def test_visitor_is_asked_to_sign_in_and_enrol(self, world):
        response = Client().get(world.small.reading.url)
        assert response["Location"] == world.course.url
        assert self.messages(response) == ["Sign in and enrol in this course to read its lessons."]

    @pytest.mark.parametrize("role", [LEARNER, COMPLIANCE_ADMIN])
    def test_signed_in_user_not_enrolled_is_asked_to_enrol(self, world, role):
        response = world.client(role).get(world.elsewhere_lesson.url)
        assert response["Location"] == world.elsewhere.url
        assert self.messages(response) == ["Enrol in this course to read its lessons."]

    def test_pending_request_does_not_open_the_lessons(self, world):
        lesson = LessonPageFactory(
            parent=ModulePageFactory(parent=world.approval_course), title="Delegation"
        )
        response = client_for(world.other.user).get(lesson.url)
        assert response["Location"] == world.approval_course.url
        assert self.messages(response) == ["Your request to join this course is awaiting approval."]

    def test_password_protected_page_shows_the_form_not_the_page(self, world):
        page = world.page_restriction.page
        response = Client().get(page.url)
        assert response.status_code == 200
        assert b'name="password"' in response.content
        assert page.summary.encode() not in response.content


class TestManagers:
    """A manager (named on their people's profiles) with admin access sees the two
    compliance reports, and nothing else of the compliance admin's."""

    @pytest.fixture
    def manager(self, world):
        user = UserFactory(username="mona")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        Profile.objects.filter(pk=world.profile.pk).update(manager=user)
        return client_for(user)

    @pytest.mark.parametrize("name", ["compliance_summary:index", "compliance_report:index"])
    def test_reports_are_open(self, manager, name):
        assert manager.get(reverse(name)).status_code == 200

    @pytest.mark.parametrize(
        "name", ["compliance_requirements:index", "compliance_assignments:index"]
    )
    def test_requirements_and_exemptions_are_closed(self, manager, name):
        assert manager.get(reverse(name))["Location"] == reverse("wagtailadmin_home")
