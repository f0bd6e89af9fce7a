"""The guards ``config/admin_urls.py`` puts on Wagtail's admin: signing out takes a POST
(a refused GET leaves the session alone), and an id that cannot be a primary key is a
404, never a 500, on every admin URL that takes an id as text."""

import re

from django.conf import settings
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter

import pytest

from .conftest import ANONYMOUS, SUPERUSER, client_for
from .inventory import all_routes

pytestmark = pytest.mark.django_db

ADMIN_HOME = "/admin/"
LOGOUT = "/admin/logout/"


class TestAdminSignOut:
    """A fresh sign-in per test: signing out must not end the world's shared session."""

    def test_a_refused_get_leaves_the_session_alone(self, world):
        client = client_for(world.user(SUPERUSER))

        response = client.get(LOGOUT)

        assert response.status_code == 405
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert "messages" not in response.cookies  # no "You have been logged out"
        assert client.get(ADMIN_HOME).status_code == 200

    def test_a_post_signs_out(self, world):
        client = client_for(world.user(SUPERUSER))

        response = client.post(LOGOUT)

        assert response.status_code == 302
        assert response["Location"] == settings.WAGTAILADMIN_LOGIN_URL
        after = client.get(ADMIN_HOME)
        assert after.status_code == 302
        assert after["Location"].startswith(settings.WAGTAILADMIN_LOGIN_URL)

    def test_visitors_are_still_sent_to_the_admin_sign_in(self, world):
        response = world.client(ANONYMOUS).get(LOGOUT)
        assert response.status_code == 302
        assert response["Location"].startswith(settings.WAGTAILADMIN_LOGIN_URL)


# --- Ids that cannot be keys ---------------------------------------------------------------

NOT_AN_ID = "abc"
#: Real ``app_label``/``model_name`` pairs for routes that name a model in the path:
#: pages (plain and specific), a snippet, images, documents, a workflow task type.
MODELS = [
    ("wagtailcore", "page"),
    ("catalog", "coursepage"),
    ("catalog", "subject"),
    ("wagtailimages", "image"),
    ("wagtaildocs", "document"),
    ("wagtailcore", "groupapprovaltask"),
]
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_TEXT = (StringConverter, PathConverter)


def text_id_routes() -> list:
    """Wagtail admin routes with a parameter taken as text (``str`` or ``path``),
    signing out aside (it would end the session the walk uses)."""
    return [
        route
        for route in all_routes()
        if route.in_wagtail_admin
        and route.key != "wagtailadmin_logout"
        and any(
            isinstance(converter, _TEXT)
            for converter in getattr(route.pattern.pattern, "converters", {}).values()
        )
    ]


def bad_id_paths(route, world) -> list[str]:
    """Paths to ``route`` with ``abc`` for every text parameter that is not a model's
    name, once for each real model when the route names one."""
    converters = route.pattern.pattern.converters
    pairs = MODELS if "app_label" in converters else [(None, None)]
    paths = []
    for app_label, model_name in pairs:

        def value(match: re.Match, app_label=app_label, model_name=model_name) -> str:
            name = match.group("name")
            converter = converters[name]
            if isinstance(converter, IntConverter):
                return str(world.course.pk)
            if isinstance(converter, SlugConverter):
                return "sample"
            return {"app_label": app_label, "model_name": model_name}.get(name) or NOT_AN_ID

        paths.append("/" + _PARAMETER.sub(value, route.route))
    return paths


class TestIdsThatCannotBeKeys:
    @pytest.mark.parametrize(
        "url",
        [
            "/admin/images/chooser/chosen/{}/",
            "/admin/documents/chooser/chosen/{}/",
            "/admin/snippets/choose/catalog/subject/chosen/{}/",
        ],
    )
    def test_chosen_views_answer_404_for_a_word_and_200_for_a_real_id(self, world, url):
        client = world.client(SUPERUSER, raise_request_exception=False)
        real = {
            "images": world.image.pk,
            "documents": world.document.pk,
            "snippets": world.subject.pk,
        }[url.split("/")[2]]

        assert client.get(url.format(NOT_AN_ID)).status_code == 404
        assert client.get(url.format(real)).status_code == 200

    def test_editing_session_ping_answers_404_for_a_word(self, world):
        client = world.client(SUPERUSER, raise_request_exception=False)
        ping = "/admin/editing-sessions/ping/wagtailcore/page/{}/0/"

        assert client.post(ping.format(NOT_AN_ID)).status_code == 404
        assert client.post(ping.format(world.course.pk)).status_code == 200

    def test_visitors_are_sent_to_sign_in_before_any_lookup(self, world):
        response = world.client(ANONYMOUS).get(f"/admin/images/chooser/chosen/{NOT_AN_ID}/")
        assert response.status_code == 302
        assert response["Location"].startswith(settings.WAGTAILADMIN_LOGIN_URL)

    def test_the_walk_covers_the_choosers_and_the_ping(self):
        keys = {route.key for route in text_id_routes()}
        assert "wagtailadmin_editing_sessions:ping" in keys
        assert {"wagtailimages_chooser:chosen", "wagtaildocs_chooser:chosen"} <= keys

    def test_no_admin_url_answers_a_word_for_an_id_with_a_server_error(self, world):
        client = world.client(SUPERUSER, raise_request_exception=False)
        failures = []
        for route in text_id_routes():
            for path in bad_id_paths(route, world):
                for method in (client.get, client.post):
                    response = method(path)
                    if response.status_code >= 500:
                        failures.append(f"{method.__name__.upper()} {path}: {route.key}")
        assert not failures, "\n".join(failures)
