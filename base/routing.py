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
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import SiteRootPath
from wagtail.views import serve as wagtail_serve

from .cache import DEFAULT_TIMEOUT, cached_content
from .prepared import Marker, PreparedQuery

#: Relations read with the Site in its one query. An app whose site setting every page
#: shows adds it in its ``ready`` (``home`` adds its branding), so that comes too.
SITE_RELATED: list[str] = []

#: Wagtail's ranks in ``get_site_for_hostname``: hostname and port, hostname on the
#: default site, the default site, hostname alone.
_HOSTNAME_PORT, _HOSTNAME_DEFAULT, _DEFAULT, _HOSTNAME = range(4)


@dataclass(frozen=True)
class SiteFacts:
    """The request's Site (None when no site answers for its host) and every site's
    root path, which each ``get_url`` reads."""

    site: Site | None
    root_paths: list[SiteRootPath]
    #: Whether any page has a view restriction. Most sites have none, and then no page
    #: needs its own and its ancestors' restrictions read (``base.pages``).
    view_restrictions: bool = True


def _rank(site: Site, hostname: str, port: int | None) -> int:
    if site.hostname == hostname:
        if site.port == port:
            return _HOSTNAME_PORT
        return _HOSTNAME_DEFAULT if site.is_default_site else _HOSTNAME
    return _DEFAULT


def _match(sites: list[Site], hostname: str, port: int | None) -> Site | None:
    """Wagtail's ``get_site_for_hostname`` over sites already read."""
    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site),
        key=lambda site: _rank(site, hostname, port),
    )
    if not candidates:
        return None
    best = _rank(candidates[0], hostname, port)
    if len(candidates) == 1 or best in (_HOSTNAME_PORT, _HOSTNAME_DEFAULT):
        return candidates[0]
    if best == _DEFAULT:
        # The default and hostname matches on other ports: one of those wins, several
        # leave the default.
        return candidates[len(candidates) == 2]
    return None


def _read_site_facts(request: HttpRequest) -> SiteFacts:
    """Wagtail reads the Site, then every site's root path, then (for the header) the
    site's settings, then the page's view restrictions: four queries on the first
    request after a change or a restart. Here one query reads every site with its root
    page, locale and ``SITE_RELATED``, and whether there is any view restriction at
    all, and Wagtail's answers are worked out from it. With translations on, a site has
    a root path per language, which is left to Wagtail."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return SiteFacts(Site._find_for_request(request), Site.get_site_root_paths())
    sites = _all_sites()
    root_paths = [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in sites
    ]
    return SiteFacts(
        # A port that is not a number (a malformed request) matches no site's port.
        _match(sites, hostname, int(port) if str(port).isdigit() else None),
        root_paths,
        view_restrictions=any(site.view_restrictions for site in sites),
    )


def _sites_query():
    return (
        Site.objects.select_related("root_page", "root_page__locale", *SITE_RELATED)
        .annotate(view_restrictions=Exists(PageViewRestriction.objects.all()))
        .order_by("-root_page__url_path", "-is_default_site", "hostname")
    )


#: Compiled once (``base.prepared``): on a cold request the compilation of these three
#: statements cost more than the database answering them.
_all_sites = PreparedQuery(_sites_query)
_route = PreparedQuery(
    lambda prefix, depth, url_path: Page.objects.filter(
        path__startswith=prefix, depth=depth, url_path=url_path
    ).values_list("pk", "content_type_id")[:1],
    prefix=Marker.text(),
    depth=Marker.number(),
    url_path=Marker.text(),
)
_page_queries: dict[type, PreparedQuery] = {}


def _specific_page(model: type[Page], pk: int) -> Page | None:
    """The page ``pk`` as ``model`` (its specific class), or None; live or not (the
    caller routes only to a live one)."""
    query = _page_queries.get(model)
    if query is None:
        query = _page_queries[model] = PreparedQuery(
            lambda pk: model.objects.filter(pk=pk).order_by(), pk=Marker.number()
        )
    found = query(pk=pk)
    return found[0] if found else None


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's ``Site.find_for_request`` answered from the cache (or one query, see
    :func:`_read_site_facts`), and kept where Wagtail looks for it on the request,
    with the site root paths that every ``get_url`` of the request reads."""
    return _facts_for_request(request).site


def _facts_for_request(request: HttpRequest) -> SiteFacts:
    if not hasattr(request, "_fledge_site_facts"):
        facts = cached_content(
            ("site", request._get_raw_host(), request.get_port()),
            DEFAULT_TIMEOUT,
            lambda: _read_site_facts(request),
        )
        request._fledge_site_facts = facts
        request._wagtail_site = facts.site
        request._wagtail_cached_site_root_paths = facts.root_paths
    return request._fledge_site_facts


def _page_for(site: Site, path: str) -> tuple[int, int] | None:
    """(page id, content type id) of the page at ``path`` under the site's root."""

    def find() -> tuple[int, int] | None:
        # Wagtail's Site lookup reads the root page with the site (select_related).
        if Site.root_page.is_cached(site):
            root = site.root_page
        else:
            root = Page.objects.only("path", "depth", "url_path").get(pk=site.root_page_id)
        components = [part for part in path.split("/") if part]
        found = _route(
            prefix=root.path,
            depth=root.depth + len(components),
            url_path=f"{root.url_path}{'/'.join(components)}/" if components else root.url_path,
        )
        return tuple(found[0]) if found else None

    return cached_content(("route", site.pk, path), DEFAULT_TIMEOUT, find)


class PageRouteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return None
        facts = _facts_for_request(request)
        site = facts.site
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
        page = _specific_page(model, page_id)
        if page is not None and not facts.view_restrictions:
            page.known_view_restrictions = ()  # none anywhere (see base.pages)
        if page is not None and page.live:
            request._wagtail_route_for_request = page.route(request, [])
        return None
