"""Page routing that costs one query instead of a dozen.

For every page request Wagtail finds the Site (one query), loads the site's root page
and its specific row (two), then walks down the tree two queries per level, ten for a
lesson five levels deep. ``PageRouteMiddleware`` hands Wagtail's ``serve`` view the
answer instead, through the attributes Wagtail itself caches it in
(``request._wagtail_site`` and ``request._wagtail_route_for_request``): the Site and
the path → page-id map come from the cache (versioned by content changes, see
``base.cache``), and the page is one query on its own model. Anything not in the map is
left to Wagtail, which walks the tree and answers the 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse

from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from .cache import DEFAULT_TIMEOUT, cached_content


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's ``Site.find_for_request`` answered from the cache, and kept where
    Wagtail looks for it on the request."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = cached_content(
            ("site", request._get_raw_host(), request.get_port()),
            DEFAULT_TIMEOUT,
            lambda: Site._find_for_request(request),
        )
    return request._wagtail_site


def _page_for(site: Site, path: str) -> tuple[int, int] | None:
    """(page id, content type id) of the page at ``path`` under the site's root."""

    def find() -> tuple[int, int] | None:
        # Wagtail's Site lookup reads the root page with the site (select_related).
        if Site.root_page.is_cached(site):
            root = site.root_page
        else:
            root = Page.objects.only("path", "depth", "url_path").get(pk=site.root_page_id)
        components = [part for part in path.split("/") if part]
        found = (
            Page.objects.filter(
                path__startswith=root.path,
                depth=root.depth + len(components),
                url_path=f"{root.url_path}{'/'.join(components)}/" if components else root.url_path,
            )
            .values_list("pk", "content_type_id")
            .first()
        )
        return tuple(found) if found else None

    return cached_content(("route", site.pk, path), DEFAULT_TIMEOUT, find)


class PageRouteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return None
        site = site_for_request(request)
        if site is None:
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        found = _page_for(site, path)
        if found is None:
            return None
        page_id, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or model.route is not Page.route:
            return None  # a page with sub-routes of its own: let Wagtail walk
        page = model.objects.filter(pk=page_id).first()
        if page is not None and page.live:
            request._wagtail_route_for_request = page.route(request, [])
        return None
