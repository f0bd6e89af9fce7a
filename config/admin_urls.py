"""Wagtail's admin URLs, with the site's sign-in and two guards that Wagtail's own views
lack.

- **Signing in is the site's.** ``/admin/login/`` (``wagtailadmin_login``) only sends
  people on to the site's sign-in page (django-allauth, ``WAGTAILADMIN_LOGIN_URL``),
  keeping ``next``: the admin gets the same throttling, MFA step and single sign-on
  buttons, and no second password form bypasses them.

- **Signing out takes a POST.** Wagtail's ``LogoutView.dispatch`` deletes the session
  cookie (and queues "You have been successfully logged out.") around Django's method
  check, so the GET it answers with 405 still signs staff out: a link or an ``<img>`` on
  any page could do it. The logout URL is mounted here first, as Wagtail's own view
  behind ``require_POST``, so a refused GET never reaches ``dispatch``.
- **An id that cannot be a primary key is not found.** Views that take an object id as
  a string (the choosers' *chosen* views, the editing-session ping) pass it straight to
  the database, and ``"abc"`` for an integer key is a ``ValueError``: a 500. Every admin
  pattern with a ``pk`` or ``object_id`` taken as ``str``/``path`` is wrapped so that
  the ``ValueError``/``ValidationError`` its lookup raises for a value the model's
  primary key field rejects (``to_python``) becomes a 404. Integer converters need
  nothing: ``"abc"`` never matches them.

Both keep Wagtail's views and URL names; the access matrix still sees them as Wagtail's
(``tests/security/inventory.py`` reads the wrapped view's class).
"""

from collections.abc import Callable, Iterable
from functools import update_wrapper

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.urls.converters import PathConverter, StringConverter
from django.views.decorators.http import require_POST

from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import LogoutView
from wagtail.coreutils import resolve_model_string

#: URL parameters that carry an object's primary key.
ID_PARAMETERS = ("pk", "object_id")
#: Converters that let any text through to the view.
_TEXT_CONVERTERS = (StringConverter, PathConverter)
#: Marks a view already wrapped (the URL configuration may be loaded more than once).
_GUARDED = "fledge_object_id_guarded"


def _view_model(view: Callable, kwargs: dict) -> type[Model] | None:
    """The model a view looks its object up in: a viewset view's ``model`` (the
    choosers), else the ``app_label``/``model_name`` in the URL (the ping)."""
    model = getattr(view, "view_initkwargs", {}).get("model")
    try:
        if model is not None:
            return resolve_model_string(model)
        if "app_label" in kwargs and "model_name" in kwargs:
            return apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except (LookupError, ValueError):
        pass  # an unknown model: the view answers 404 itself
    return None


def _holds(model: type[Model], value: str) -> bool:
    """Whether ``value`` (quoted as the admin quotes ids in URLs) can be a primary key
    of ``model``."""
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError:
        return False
    return True


def object_ids_must_be_keys(view: Callable, parameters: Iterable[str]) -> Callable:
    """Wrap ``view`` so that the error its lookup raises for a URL id its model's primary
    key cannot hold is a 404. The view runs first, so its access checks (sign-in,
    admin permission) still come before any answer about the id; any other error, and
    any error for a well-formed id, goes on as it was."""
    parameters = tuple(parameters)

    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (ValueError, ValidationError) as error:
            model = _view_model(view, kwargs)
            if model is None or all(_holds(model, kwargs[name]) for name in parameters):
                raise
            raise Http404(f"There is no {model._meta.verbose_name} with that id.") from error

    update_wrapper(guarded, view)
    setattr(guarded, _GUARDED, True)
    return guarded


def guard_object_ids(patterns: list) -> list:
    """Wrap, in place, every pattern in ``patterns`` (and its includes) that takes an
    object id as text; returns ``patterns``."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            guard_object_ids(entry.url_patterns)
            continue
        if not isinstance(entry, URLPattern) or getattr(entry.callback, _GUARDED, False):
            continue
        converters = getattr(entry.pattern, "converters", {})
        text_ids = [
            name for name in ID_PARAMETERS if isinstance(converters.get(name), _TEXT_CONVERTERS)
        ]
        if text_ids:
            entry.callback = object_ids_must_be_keys(entry.callback, text_ids)
    return patterns


def _admin_view(view: Callable) -> Callable:
    """``view`` behind Wagtail's admin access check, as Wagtail decorates its own URLs."""
    return update_wrapper(require_admin_access(view), view)


def sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in page: a redirect to the site's, with ``next`` (the admin's
    dashboard unless given; the sign-in page checks it is on this site)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("wagtailadmin_home")
    return redirect_to_login(next_url, login_url=settings.WAGTAILADMIN_LOGIN_URL)


urlpatterns = [
    path("login/", sign_in, name="wagtailadmin_login"),
    path("logout/", _admin_view(require_POST(LogoutView.as_view())), name="wagtailadmin_logout"),
    # Wagtail's own sign-in form is left out: no password form may bypass the site's.
    *[
        entry
        for entry in guard_object_ids(wagtailadmin_urls.urlpatterns)
        if getattr(entry, "name", None) != "wagtailadmin_login"
    ],
]
