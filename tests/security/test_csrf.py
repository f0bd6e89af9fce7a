"""State-changing endpoints refuse cross-site requests.

Every project URL is either in ``SAFE`` (reads: GET and HEAD do not change what it
shows) or in ``ACTIONS`` (it takes POSTs). For each action, with
``Client(enforce_csrf_checks=True)`` signed in as the role that would use it:

- a POST without a CSRF token is a 403 and changes nothing in the database;
- a GET changes nothing either: it is a 405, or it shows the form or confirmation
  page (which then needs a POST);
- and, as the control, the same POST through a client that skips the CSRF check
  does change something, so the refusal above is the token's doing.

The list was drawn up by reading the views (``require_POST``, ``http_method_names``,
method checks); ``test_safe_views_do_not_take_posts`` trips when a view in ``SAFE``
starts to.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

import pytest

from tests.compliance.factories import requirement_form_data
from tests.learner.factories import PASSWORD, answer_key

from .conftest import (
    ANONYMOUS,
    COMPLIANCE_ADMIN,
    INSTRUCTOR,
    LEARNER,
    SUPERUSER,
    World,
    reset_token_kwargs,
)
from .inventory import accepts_post, project_routes

pytestmark = pytest.mark.django_db

#: Rows that change without anything a user did: sessions (signing in, the reset
#: token), and the admin's per-user preferences and editing-presence bookkeeping.
IGNORED_MODELS = {
    "sessions.session",
    "wagtailusers.userprofile",
    "wagtailadmin.editingsession",
}


def _tables() -> list[tuple[str, str]]:
    """(model label, query) for every table but ``IGNORED_MODELS``, many-to-many
    tables (group memberships, permissions) included."""
    quote = connection.ops.quote_name
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.label_lower in IGNORED_MODELS or meta.proxy or not meta.managed:
            continue
        # Table and column names come from the models, quoted: nothing from a request.
        query = f"SELECT * FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}"  # noqa: S608
        tables.append((meta.label_lower, query))
    return tables


def database_state() -> dict[str, list]:
    """Every row of every table (raw SQL: this runs twice per test), to compare before
    and after a request."""
    state = {}
    with connection.cursor() as cursor:
        for label, query in _tables():
            cursor.execute(query)
            state[label] = cursor.fetchall()
    return state


def changed_models(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# --- The table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A state-changing endpoint, who uses it, and a POST that would change things."""

    key: str
    label: str
    role: str
    url: Callable[[World], str]
    data: Callable[[World], dict] = lambda world: {}
    #: The model that the control (the same POST without the CSRF check) changes; None
    #: where the effect is not in the database (a session, an email, a JSON preview).
    changes: str | None = None
    #: What a GET answers: 405, or 200 for a page that shows a form or confirmation.
    get_status: int = 405
    #: Run with the client before the requests (e.g. open a reset link first).
    prepare: Callable[[Client, World], None] | None = None

    @property
    def id(self) -> str:
        return self.label


def rev(name: str, *args) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[arg(world) if callable(arg) else arg for arg in args])


def open_reset_link(client: Client, world: World) -> None:
    """Django moves the reset token from the link into the session, then shows the form
    at ``.../set-password/``."""
    client.get(reverse("password_reset_confirm", kwargs=reset_token_kwargs(world.other.user)))


def quiz_answers(world: World) -> dict:
    lesson = world.small.quiz_lesson
    return {**answer_key(lesson), "submission_token": "6f1c3a5e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"}


def requirement_form(world: World, **changes) -> dict:
    return requirement_form_data(
        **{"name": "Fire drill", "course": str(world.elsewhere.pk), **changes}
    )


NEW_PASSWORD = "a-brand-new-passphrase-42"
MY_CERTIFICATE = lambda w: w.me.certificate.pk  # noqa: E731 - table shorthand
REQUIREMENT = lambda w: w.requirement.pk  # noqa: E731
SUBJECT = lambda w: w.subject.pk  # noqa: E731

FRONT_END_ACTIONS = [
    Action(
        "signup",
        "signup",
        ANONYMOUS,
        rev("signup"),
        lambda w: {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "newcomer@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        "login",
        "login",
        ANONYMOUS,
        rev("login"),
        lambda w: {"username": w.me.user.username, "password": PASSWORD},
        get_status=200,
        changes="auth.user",
    ),
    Action("logout", "logout", LEARNER, rev("logout")),
    Action(
        "password_change",
        "password-change",
        LEARNER,
        rev("password_change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        "password_reset",
        "password-reset",
        ANONYMOUS,
        rev("password_reset"),
        lambda w: {"email": w.other.user.email},
        get_status=200,
    ),
    Action(
        "password_reset_confirm",
        "password-reset-set-password",
        ANONYMOUS,
        lambda w: reverse(
            "password_reset_confirm",
            kwargs={**reset_token_kwargs(w.other.user), "token": "set-password"},
        ),
        lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        get_status=200,
        prepare=open_reset_link,
        changes="auth.user",
    ),
    Action(
        "learner:enrol",
        "enrol",
        LEARNER,
        rev("learner:enrol", lambda w: w.elsewhere.pk),
        changes="learner.enrollment",
    ),
    Action(
        "learner:withdraw",
        "withdraw",
        LEARNER,
        rev("learner:withdraw", lambda w: w.me.enrollment.pk),
        changes="learner.enrollment",
    ),
    Action(
        "learner:complete",
        "complete",
        LEARNER,
        rev("learner:complete", lambda w: w.small.reading.pk),
        changes="learner.lessonprogress",
    ),
    Action(
        "learner:submit_quiz",
        "submit-quiz",
        LEARNER,
        rev("learner:submit_quiz", lambda w: w.small.quiz_lesson.pk),
        quiz_answers,
        changes="learner.quizattempt",
    ),
    Action(
        "learner:heartbeat",
        "heartbeat",
        LEARNER,
        rev("learner:heartbeat", lambda w: w.small.reading.pk),
        lambda w: {"seconds": "30"},
        changes="learner.lessonprogress",
    ),
    Action(
        "compliance:calendar_regenerate",
        "calendar-regenerate",
        LEARNER,
        rev("compliance:calendar_regenerate"),
        changes="compliance.calendarfeed",
    ),
    Action(
        "wagtaildocs_authenticate_with_password",
        "document-password",
        ANONYMOUS,
        rev("wagtaildocs_authenticate_with_password", lambda w: w.collection_restriction.pk),
        lambda w: {"password": "private-files", "return_url": "/"},
        get_status=200,
    ),
    Action(
        "wagtailcore_authenticate_with_password",
        "page-password",
        ANONYMOUS,
        rev(
            "wagtailcore_authenticate_with_password",
            lambda w: w.page_restriction.pk,
            lambda w: w.page_restriction.page_id,
        ),
        lambda w: {"password": "board-members-only", "return_url": "/"},
        get_status=200,
    ),
    Action(
        "wagtailcore_login",
        "page-login",
        ANONYMOUS,
        rev("wagtailcore_login"),
        lambda w: {"username": w.me.user.username, "password": PASSWORD},
        get_status=200,
        changes="auth.user",
    ),
]

PROJECT_ADMIN_ACTIONS = [
    Action(
        "learner_requests:approve",
        "approve-enrolment",
        INSTRUCTOR,
        rev("learner_requests:approve", lambda w: w.pending.pk),
        changes="learner.enrollment",
    ),
    Action(
        "learner_requests:reject",
        "reject-enrolment",
        INSTRUCTOR,
        rev("learner_requests:reject", lambda w: w.pending.pk),
        lambda w: {"reason": "The course is for team leads."},
        changes="learner.enrollment",
    ),
    Action(
        "compliance_assignments:exempt",
        "exempt",
        COMPLIANCE_ADMIN,
        rev("compliance_assignments:exempt", lambda w: w.me.assignment.pk),
        lambda w: {"reason": "Did this at her last job."},
        changes="compliance.assignment",
    ),
    Action(
        "compliance_assignments:unexempt",
        "lift-exemption",
        COMPLIANCE_ADMIN,
        rev("compliance_assignments:unexempt", lambda w: w.other.assignment.pk),
        changes="compliance.assignment",
    ),
    Action(
        "compliance_requirements:add",
        "requirement-add",
        COMPLIANCE_ADMIN,
        rev("compliance_requirements:add"),
        requirement_form,
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        "compliance_requirements:edit",
        "requirement-edit",
        COMPLIANCE_ADMIN,
        rev("compliance_requirements:edit", REQUIREMENT),
        lambda w: requirement_form(w, name="Renamed", course=str(w.course.pk)),
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        "compliance_requirements:copy",
        "requirement-copy",
        COMPLIANCE_ADMIN,
        rev("compliance_requirements:copy", REQUIREMENT),
        lambda w: requirement_form(w, name="Copied"),
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        "compliance_requirements:delete",
        "requirement-delete",
        COMPLIANCE_ADMIN,
        rev("compliance_requirements:delete", REQUIREMENT),
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        "compliance_requirements:preview",
        "requirement-preview",
        COMPLIANCE_ADMIN,
        rev("compliance_requirements:preview"),
        requirement_form,
    ),
    Action(
        "compliance_requirements:preview_existing",
        "requirement-preview-existing",
        COMPLIANCE_ADMIN,
        rev("compliance_requirements:preview_existing", REQUIREMENT),
        requirement_form,
    ),
    Action(
        "compliance_managers:add",
        "manager-add",
        COMPLIANCE_ADMIN,
        rev("compliance_managers:add"),
        lambda w: {"user": str(w.me.user.pk), "manager": str(w.users[INSTRUCTOR].pk)},
        get_status=200,
        changes="accounts.profile",
    ),
    Action(
        "compliance_managers:edit",
        "manager-edit",
        COMPLIANCE_ADMIN,
        rev("compliance_managers:edit", lambda w: w.profile.pk),
        lambda w: {"manager": str(w.users[INSTRUCTOR].pk)},
        get_status=200,
        changes="accounts.profile",
    ),
    Action(
        "compliance_managers:delete",
        "manager-delete",
        SUPERUSER,
        rev("compliance_managers:delete", lambda w: w.profile.pk),
        get_status=200,
        changes="accounts.profile",
    ),
    Action(
        "certificates_admin:revoke",
        "certificate-revoke",
        INSTRUCTOR,
        rev("certificates_admin:revoke", MY_CERTIFICATE),
        lambda w: {"reason": "Issued by mistake."},
        get_status=200,
        changes="certificates.certificate",
    ),
    Action(
        "certificates_admin:reissue",
        "certificate-reissue",
        INSTRUCTOR,
        rev("certificates_admin:reissue", MY_CERTIFICATE),
        lambda w: {"reason": "Name changed."},
        get_status=200,
        changes="certificates.certificate",
    ),
    Action(
        "certificates_admin:render",
        "certificate-render",
        INSTRUCTOR,
        rev("certificates_admin:render", MY_CERTIFICATE),
        changes="certificates.certificate",
    ),
    Action(
        "certificates_admin:rerender",
        "certificates-rerender",
        INSTRUCTOR,
        rev("certificates_admin:rerender"),
        lambda w: {"query": ""},
        get_status=200,
        changes="certificates.certificate",
    ),
    Action(
        "wagtailsnippets_catalog_subject:add",
        "subject-add",
        INSTRUCTOR,
        rev("wagtailsnippets_catalog_subject:add"),
        lambda w: {"name": "Fire safety", "slug": "fire-safety", "description": ""},
        get_status=200,
        changes="catalog.subject",
    ),
    Action(
        "wagtailsnippets_catalog_subject:copy",
        "subject-copy",
        INSTRUCTOR,
        rev("wagtailsnippets_catalog_subject:copy", SUBJECT),
        lambda w: {"name": "Security 2", "slug": "security-2", "description": ""},
        get_status=200,
        changes="catalog.subject",
    ),
    Action(
        "wagtailsnippets_catalog_subject:edit",
        "subject-edit",
        SUPERUSER,
        rev("wagtailsnippets_catalog_subject:edit", SUBJECT),
        lambda w: {"name": "Cyber security", "slug": "security", "description": ""},
        get_status=200,
        changes="catalog.subject",
    ),
    Action(
        "wagtailsnippets_catalog_subject:delete",
        "subject-delete",
        SUPERUSER,
        rev("wagtailsnippets_catalog_subject:delete", SUBJECT),
        get_status=200,
        changes="catalog.subject",
    ),
]


def django_admin_actions(app_label: str, model: str, get_pk, change_data) -> list[Action]:
    """The changelist (bulk actions), add, change and delete of one django-admin model.
    (The controls cover the deletions; add and change forms are Django's own.)"""
    prefix = f"admin:{app_label}_{model}"
    label = f"django-admin-{model}"
    model_label = f"{app_label}.{model}"
    return [
        Action(
            f"{prefix}_changelist",
            f"{label}-bulk-delete",
            SUPERUSER,
            rev(f"{prefix}_changelist"),
            lambda w: {
                "action": "delete_selected",
                "_selected_action": [str(get_pk(w))],
                "post": "yes",
            },
            changes=model_label,
            get_status=200,
        ),
        Action(
            f"{prefix}_add",
            f"{label}-add",
            SUPERUSER,
            rev(f"{prefix}_add"),
            change_data,
            get_status=403 if app_label == "axes" else 200,
        ),
        Action(
            f"{prefix}_change",
            f"{label}-change",
            SUPERUSER,
            rev(f"{prefix}_change", get_pk),
            change_data,
            get_status=200,
        ),
        Action(
            f"{prefix}_delete",
            f"{label}-delete",
            SUPERUSER,
            rev(f"{prefix}_delete", get_pk),
            lambda w: {"post": "yes"},
            changes=model_label,
            get_status=200,
        ),
    ]


DJANGO_ADMIN_ACTIONS = [
    Action(
        "admin:login",
        "django-admin-login",
        ANONYMOUS,
        rev("admin:login"),
        lambda w: {"username": w.users[SUPERUSER].username, "password": PASSWORD},
        get_status=200,
        changes="auth.user",
    ),
    Action("admin:logout", "django-admin-logout", SUPERUSER, rev("admin:logout")),
    Action(
        "admin:password_change",
        "django-admin-password",
        SUPERUSER,
        rev("admin:password_change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        "admin:auth_user_password_change",
        "django-admin-set-user-password",
        SUPERUSER,
        rev("admin:auth_user_password_change", lambda w: w.me.user.pk),
        lambda w: {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        "admin:taggit_tag_merge_tags",
        "django-admin-merge-tags",
        SUPERUSER,
        rev("admin:taggit_tag_merge_tags"),
        lambda w: {"new_tag_name": "merged", "selected_tag_ids": str(w.tag.pk)},
        get_status=200,
    ),
    *django_admin_actions(
        "wagtaildocs", "document", lambda w: w.document.pk, lambda w: {"title": "Renamed"}
    ),
    *django_admin_actions(
        "wagtailimages", "image", lambda w: w.image.pk, lambda w: {"title": "Renamed"}
    ),
    *django_admin_actions(
        "taggit", "tag", lambda w: w.tag.pk, lambda w: {"name": "renamed", "slug": "renamed"}
    ),
    *django_admin_actions(
        "auth", "group", lambda w: w.instructors_group.pk, lambda w: {"name": "Renamed"}
    ),
    *django_admin_actions(
        "auth",
        "user",
        lambda w: w.other.user.pk,
        lambda w: {"username": "renamed", "is_superuser": "on", "is_staff": "on"},
    ),
    *django_admin_actions(
        "axes", "accessattempt", lambda w: w.axes["attempt"].pk, lambda w: {"username": "x"}
    ),
    *django_admin_actions(
        "axes", "accesslog", lambda w: w.axes["log"].pk, lambda w: {"username": "x"}
    ),
    *django_admin_actions(
        "axes", "accessfailurelog", lambda w: w.axes["failure"].pk, lambda w: {"username": "x"}
    ),
]

ACTIONS = FRONT_END_ACTIONS + PROJECT_ADMIN_ACTIONS + DJANGO_ADMIN_ACTIONS

#: Project URLs that only read. (Some record a visit, as the lesson page records
#: progress; none acts on a POST.)
SAFE = {
    "health",
    "health-live",
    "health/live/",
    "password_change_done",
    "password_reset_done",
    "password_reset_complete",
    "learner:dashboard",
    "learner:continue",
    "learner:attempt",
    "learner:course_complete",
    "compliance:calendar",
    "compliance:calendar_feed",
    "certificates:list",
    "certificates:verify_form",
    "certificates:verify",
    "certificates:download",
    "wagtaildocs_serve",
    "wagtail_serve",
    # Admin listings, reports (exports are GET parameters), histories and usage.
    "learner_requests:index",
    "learner_requests:index_results",
    "learner_progress:index",
    "learner_progress:index_results",
    "learner_progress:detail",
    "compliance_summary:index",
    "compliance_report:index",
    "compliance_report:index_results",
    "compliance_requirements:index",
    "compliance_requirements:index_results",
    "compliance_requirements:history",
    "compliance_requirements:history_results",
    "compliance_requirements:usage",
    "compliance_assignments:index",
    "compliance_assignments:index_results",
    "compliance_managers:index",
    "compliance_managers:index_results",
    "compliance_managers:history",
    "compliance_managers:history_results",
    "compliance_managers:usage",
    # The people chooser's modal, results and "chosen" answers: GETs that only read.
    "compliance_people:choose",
    "compliance_people:choose_results",
    "compliance_people:chosen",
    "compliance_people:chosen_multiple",
    "certificates_admin:index",
    "certificates_admin:index_results",
    "certificates_admin:detail",
    "wagtailsnippets_catalog_subject:list",
    "wagtailsnippets_catalog_subject:list_results",
    "wagtailsnippets_catalog_subject:usage",
    "wagtailsnippets_catalog_subject:history",
    "wagtailsnippets_catalog_subject:history_results",
    # Django's admin.
    "admin:index",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
    "django-admin/(?P<url>.*)$",
    *(
        f"admin:{model}_history"
        for model in (
            "wagtaildocs_document",
            "wagtailimages_image",
            "taggit_tag",
            "auth_group",
            "auth_user",
            "axes_accessattempt",
            "axes_accesslog",
            "axes_accessfailurelog",
        )
    ),
    # ``/django-admin/<app>/<model>/<id>/``: a RedirectView to the change page, which
    # redirects any method and changes nothing.
    *(
        f"django-admin/{path}/<path:object_id>/"
        for path in (
            "wagtaildocs/document",
            "wagtailimages/image",
            "taggit/tag",
            "auth/group",
            "auth/user",
            "axes/accessattempt",
            "axes/accesslog",
            "axes/accessfailurelog",
        )
    ),
}
#: Safe views that the POST tripwire flags, and why that is fine.
SAFE_BUT_TAKES_POST = {key for key in SAFE if key.startswith("django-admin/")} - {
    "django-admin/(?P<url>.*)$"
}


# --- Tests -----------------------------------------------------------------------------------


class TestClassification:
    def test_every_project_url_is_safe_or_an_action(self):
        action_keys = {action.key for action in ACTIONS}
        unclassified = sorted(set(project_routes()) - SAFE - action_keys)
        assert not unclassified, (
            f"Classify these URLs in tests/security/test_csrf.py (SAFE or ACTIONS): {unclassified}"
        )

    def test_no_url_is_both(self):
        assert not SAFE & {action.key for action in ACTIONS}

    def test_every_classified_url_exists(self):
        routes = set(project_routes())
        stale = sorted((SAFE | {action.key for action in ACTIONS}) - routes)
        assert not stale, stale

    def test_safe_views_do_not_take_posts(self):
        routes = project_routes()
        suspicious = sorted(
            key for key in SAFE - SAFE_BUT_TAKES_POST if key in routes and accepts_post(routes[key])
        )
        assert not suspicious, (
            f"These views look like they handle POSTs: move them to ACTIONS: {suspicious}"
        )


def _client(world: World, action: Action, *, enforce_csrf_checks: bool) -> Client:
    client = world.client(
        action.role,
        enforce_csrf_checks=enforce_csrf_checks,
        raise_request_exception=False,
    )
    if action.prepare is not None:
        action.prepare(client, world)
    return client


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.id)
class TestActions:
    def test_post_without_csrf_token_is_refused(self, world, action):
        client = _client(world, action, enforce_csrf_checks=True)
        before = database_state()
        response = client.post(action.url(world), action.data(world))
        assert response.status_code == 403, response.status_code
        assert b"CSRF" in response.content
        assert changed_models(before, database_state()) == []
        assert mail.outbox == []

    def test_get_changes_nothing(self, world, action):
        client = _client(world, action, enforce_csrf_checks=True)
        before = database_state()
        response = client.get(action.url(world))
        assert response.status_code == action.get_status
        assert changed_models(before, database_state()) == []
        assert mail.outbox == []

    def test_control_post_without_the_csrf_check_acts(self, world, action):
        if action.changes is None:
            pytest.skip("the effect is not in the database (see the Action)")
        client = _client(world, action, enforce_csrf_checks=False)
        before = database_state()
        response = client.post(action.url(world), action.data(world))
        assert response.status_code in (200, 302), response.status_code
        assert action.changes in changed_models(before, database_state())


class TestSessionActions:
    """Actions whose effect is on the session or the mail, checked directly."""

    def test_logout_without_token_keeps_the_learner_signed_in(self, world):
        client = world.client(LEARNER, enforce_csrf_checks=True)
        assert client.post(reverse("logout")).status_code == 403
        assert client.get(reverse("learner:dashboard")).status_code == 200

    def test_password_reset_without_token_sends_nothing(self, world):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("password_reset"), {"email": world.other.user.email})
        assert response.status_code == 403
        assert mail.outbox == []

    def test_page_password_without_token_does_not_open_the_page(self, world):
        client = Client(enforce_csrf_checks=True)
        restriction = world.page_restriction
        url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, restriction.page_id]
        )
        response = client.post(url, {"password": "board-members-only", "return_url": "/"})
        assert response.status_code == 403
        page = client.get(restriction.page.url)
        assert b"password" in page.content.lower()
        assert restriction.page.title.encode() not in page.content
