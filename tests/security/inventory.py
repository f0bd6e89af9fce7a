"""The URL inventory: every pattern in the URL configuration, and which are the project's.

A pattern is known by its *key*: ``namespace:name`` when it has a name, else its full
route (``admin/^.*/$``). Wagtail's admin is a family of hundreds of patterns that the
matrix checks as a whole; the project's own patterns (its apps' URLs, the documents,
django-admin, Wagtail's page serving, and the admin viewsets defined in the project's
apps) are each classified by hand.
"""

import inspect
import re
from dataclasses import dataclass

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

#: The project's apps (and ``config``): admin views or viewsets defined in these are
#: the project's own, wherever Wagtail mounts them.
PROJECT_PACKAGES = (
    "accounts",
    "home",
    "catalog",
    "lessons",
    "learner",
    "compliance",
    "certificates",
    "records",
    "api",
    "config",
)
ADMIN_PREFIX = "admin/"
#: Development conveniences added to the URLs only when ``DEBUG`` is on (tests and
#: production run without them: whitenoise and nginx serve these files).
DEBUG_ONLY_ROUTES = {r"^static/(?P<path>.*)$", r"^media/(?P<path>.*)$"}


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the full route it is reached at."""

    key: str
    route: str
    namespace: str
    pattern: URLPattern

    @property
    def in_wagtail_admin(self) -> bool:
        return self.route.startswith(ADMIN_PREFIX)

    @property
    def view_module(self) -> str:
        callback = self.pattern.callback
        view_class = getattr(callback, "view_class", None)
        return (view_class or callback).__module__


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = route
            yield Route(key=key, route=route, namespace=namespace, pattern=entry)


def all_routes() -> list[Route]:
    """Every URL pattern reachable from ``ROOT_URLCONF``, in resolution order."""
    return list(_walk(get_resolver()))


def route_for_path(path: str) -> Route | None:
    """The pattern that ``path`` resolves to, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    for route in all_routes():
        if (
            route.pattern.callback is match.func
            and route.pattern.name == match.url_name
            and route.namespace == match.namespace
        ):
            return route
    return None


def project_admin_namespaces() -> set[str]:
    """URL namespaces of the admin viewsets that the project's apps define."""
    from wagtail.admin.viewsets import viewsets

    get_resolver().url_patterns  # noqa: B018 - loading the admin's URLs registers its viewsets
    return {
        viewset.url_namespace
        for viewset in viewsets.viewsets
        if type(viewset).__module__.split(".")[0] in PROJECT_PACKAGES
    }


def is_project_route(route: Route, namespaces: set[str]) -> bool:
    """Outside Wagtail's admin everything is the project's; inside it, the project's
    viewsets and any view whose code lives in a project app."""
    if not route.in_wagtail_admin:
        return True
    top_namespace = route.namespace.split(":")[0]
    return top_namespace in namespaces or route.view_module.split(".")[0] in PROJECT_PACKAGES


def project_routes() -> dict[str, Route]:
    """The project's own URLs by key (see :func:`is_project_route`)."""
    namespaces = project_admin_namespaces()
    return {
        route.key: route
        for route in all_routes()
        if is_project_route(route, namespaces) and route.key not in DEBUG_ONLY_ROUTES
    }


def wagtail_admin_routes() -> list[Route]:
    namespaces = project_admin_namespaces()
    return [
        route
        for route in all_routes()
        if route.in_wagtail_admin and not is_project_route(route, namespaces)
    ]


# --- Sample paths -----------------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
#: Paths for admin patterns written as regular expressions with groups.
_REGEX_SAMPLES = {
    r"admin/pages/^(?P<pk>\d+)/revisions/compare/"
    r"(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$": (
        "admin/pages/{id}/revisions/compare/earliest...latest/"
    ),
    "admin/^.*/$": "admin/no-such-admin-page/",
    r"documents/^(\d+)/(.*)$": "documents/{id}/handout.pdf",
}


def sample_path(route: Route, object_id: int) -> str:
    """A path that reaches ``route`` (checked by the caller with ``resolve``), with
    ``object_id`` for integer parameters and a harmless word for the others. Access is
    checked before any object is looked up, so the values only need to resolve."""
    if route.route in _REGEX_SAMPLES:
        return "/" + _REGEX_SAMPLES[route.route].format(id=object_id)
    text = route.route.replace("^", "").replace("$", "")
    if isinstance(route.pattern.pattern, RegexPattern) and "(" in text:
        raise ValueError(f"add a sample path for the regex pattern {route.route!r}")

    def value(match: re.Match) -> str:
        converter = match.group("converter") or "str"
        return str(object_id) if converter == "int" else "sample"

    return "/" + _CONVERTER.sub(value, text)


# --- Does a view take POSTs? ----------------------------------------------------------------

#: What a view's source says when it handles POSTs (``require_POST``, method checks,
#: reading ``request.POST``).
_POST_MARKERS = ("require_POST", "request.POST", '"POST"', "'POST'", "require_http_methods")


def accepts_post(route: Route) -> bool:
    """Whether the view behind ``route`` looks like it handles POSTs: a class-based view
    with a ``post`` method it allows, or a function whose source mentions POST. A
    tripwire for the CSRF table, not a proof."""
    callback = route.pattern.callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        allowed = getattr(callback, "view_initkwargs", {}).get(
            "http_method_names", view_class.http_method_names
        )
        return "post" in allowed and hasattr(view_class, "post")
    function = inspect.unwrap(callback)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return True  # cannot tell: make someone look
    return any(marker in source for marker in _POST_MARKERS)
