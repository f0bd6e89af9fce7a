"""Who may reach what: every URL in the configuration, for every role of DESIGN.md.

The project's own URLs are each listed in ``CASES`` (``access_cases/``, by section)
with the answer each role gets on a GET. A URL that is in the configuration but not in
the table fails ``TestInventory``, so nobody adds an endpoint without deciding who may
reach it.
Wagtail's admin (hundreds of URLs) is checked as a family: closed to visitors and to
learners, open at its dashboard to the staff roles, with the project's admin views
(learners, compliance, certificates, subjects) listed one by one like the rest.

Each cell is either *reachable* (200, or a documented redirect) or *denied* (302 to
the right sign-in page with ``next``, the admin's "no permission" redirect, 403, 404,
or 405 for a POST-only endpoint); never a 500. Objects come from the shared world in
``conftest.py``; "someone else's" rows use the other learner's objects.
"""

from urllib.parse import urlsplit

from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import Profile
from tests.catalog.factories import ModulePageFactory
from tests.learner.factories import UserFactory
from tests.lessons.factories import LessonPageFactory

from .access_cases import ADMIN_LOGIN, CASES, OK, Outcome
from .access_cases.case import NOT_FOUND
from .conftest import (
    ANONYMOUS,
    COMPLIANCE_ADMIN,
    INSTRUCTOR,
    LEARNER,
    ROLES,
    SUPERUSER,
    client_for,
)
from .inventory import project_routes, route_for_path, sample_path, wagtail_admin_routes

pytestmark = pytest.mark.django_db


# --- Wagtail's admin as a family -------------------------------------------------------------

#: Wagtail admin URLs that visitors and learners may open: the static assets. (Signing
#: in is the site's page: ``wagtailadmin_login`` is the project's redirect to it.)
ADMIN_PUBLIC = {
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
#: Wagtail views that name the admin's sign-in URL themselves: they reach the site's
#: sign-in page through ``/admin/login/`` (``config.admin_urls.sign_in``), ``next`` kept.
ADMIN_VIA_ITS_SIGN_IN = {"admin/^.*/$"}
WAGTAIL_SIGN_IN_HOP = Outcome(
    "admin sign-in hop",
    302,
    lambda world, path: redirect_to_login(path, reverse("wagtailadmin_login")).url,
)
#: Wagtail's own password reset, switched off (``WAGTAIL_PASSWORD_RESET_ENABLED``): the
#: site's password reset is the one way, and only while local passwords are on.
ADMIN_GONE = {
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


# --- Tests -----------------------------------------------------------------------------------


class TestInventory:
    """The table covers the URL configuration exactly."""

    def test_every_project_url_is_classified(self):
        unclassified = sorted(set(project_routes()) - {case.key for case in CASES})
        assert not unclassified, (
            "New URLs without an access decision: add them to CASES in "
            f"tests/security/access_cases/: {unclassified}"
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
            expected = ADMIN_LOGIN
            if route.key in ADMIN_VIA_ITS_SIGN_IN:
                expected = WAGTAIL_SIGN_IN_HOP
            elif route.key in ADMIN_PUBLIC:
                expected = OK
            elif route.key in ADMIN_GONE:
                expected = NOT_FOUND
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
        assert keys >= ADMIN_PUBLIC | ADMIN_GONE, (ADMIN_PUBLIC | ADMIN_GONE) - keys

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
