"""State-changing endpoints refuse cross-site requests.

Every project URL is either in ``SAFE`` (reads: GET and HEAD do not change what it
shows) or in ``ACTIONS`` (it takes POSTs), both in ``csrf_actions/``. For each
action, with ``Client(enforce_csrf_checks=True)`` signed in as the role that would use
it:

- a POST without a CSRF token is a 403 and changes nothing in the database;
- a GET changes nothing either: it is a 405, or it shows the form or confirmation
  page (which then needs a POST);
- and, as the control, the same POST through a client that skips the CSRF check
  does change something, so the refusal above is the token's doing.

The list was drawn up by reading the views (``require_POST``, ``http_method_names``,
method checks); ``test_safe_views_do_not_take_posts`` trips when a view in ``SAFE``
starts to.
"""

from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

import pytest

from .conftest import LEARNER, World
from .csrf_actions import ACTIONS, SAFE, SAFE_BUT_TAKES_POST, Action
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


# --- Tests -----------------------------------------------------------------------------------


class TestClassification:
    def test_every_project_url_is_safe_or_an_action(self):
        action_keys = {action.key for action in ACTIONS}
        unclassified = sorted(set(project_routes()) - SAFE - action_keys)
        assert not unclassified, (
            f"Classify these URLs in tests/security/csrf_actions/ (SAFE or ACTIONS): {unclassified}"
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
        assert response.status_code in (200, 201, 302), response.status_code
        assert action.changes in changed_models(before, database_state())


class TestSessionActions:
    """Actions whose effect is on the session or the mail, checked directly."""

    def test_logout_without_token_keeps_the_learner_signed_in(self, world):
        client = world.client(LEARNER, enforce_csrf_checks=True)
        assert client.post(reverse("account_logout")).status_code == 403
        assert client.get(reverse("learner:dashboard")).status_code == 200

    def test_password_reset_without_token_sends_nothing(self, world):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("account_reset_password"), {"email": world.other.user.email})
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
