"""What every page type of the site shares."""

from urllib.parse import quote

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce

from wagtail.models import Page, PageViewRestriction

from .cache import DEFAULT_TIMEOUT, cached_content


class CachedRestrictionsMixin:
    """Wagtail checks a page's view restrictions (its own and its ancestors') on every
    request: two queries, almost always for nothing. The ids are cached with the
    content version, which saving or deleting a restriction bumps
    (``home.receivers``); with none, the answer is an empty queryset that never
    queries, and it still supports everything Wagtail's admin does with it. When the
    routing knows there are none on the whole site (``base.routing``), it says so in
    ``known_view_restrictions`` and nothing is read."""

    #: Restriction ids already known for this instance (set by the routing), or None.
    known_view_restrictions: tuple[int, ...] | None = None

    def get_view_restrictions(self):
        if self.known_view_restrictions is not None:
            ids = self.known_view_restrictions
        else:
            ids = cached_content(
                ("restrictions", self.pk),
                DEFAULT_TIMEOUT,
                self._read_restriction_ids,
            )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)

    def _read_restriction_ids(self) -> list[int]:
        steps = range(Page.steplen, len(self.path) + 1, Page.steplen)
        pages = (
            Page.objects.filter(path__in=[self.path[:end] for end in steps])
            .annotate(target=Coalesce(F("alias_of_id"), F("id")))
            .values("target")
        )
        return list(
            PageViewRestriction.objects.filter(page_id__in=pages).values_list("pk", flat=True)
        )


#: The characters ``reverse`` leaves unquoted in a path (Django's ``_reverse_with_prefix``).
_PATH_SAFE = "!$&'()*+,;=/~:@"


def url_below(ancestor: Page, ancestor_url: str, url_path: str) -> str:
    """The URL of a page under ``ancestor`` whose URL is ``ancestor_url``: that URL and
    the page's ``url_path`` below the ancestor's, quoted as Wagtail's ``get_url`` quotes
    it. Exact for pages that do not override ``get_url_parts`` (none of ours do), and it
    reads no Site and makes no page object, which lists of many links (the outline)
    would otherwise pay once per link."""
    below = url_path[len(ancestor.url_path) :]
    url = ancestor_url.rstrip("/") + "/" + quote(below, safe=_PATH_SAFE)
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True):
        url = url.rstrip("/")
    return url
