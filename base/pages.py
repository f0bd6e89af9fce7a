"""What every page type of the site shares."""

from django.db.models import F
from django.db.models.functions import Coalesce

from wagtail.models import Page, PageViewRestriction

from .cache import DEFAULT_TIMEOUT, cached_content


class CachedRestrictionsMixin:
    """Wagtail checks a page's view restrictions (its own and its ancestors') on every
    request: two queries, almost always for nothing. The ids are cached with the
    content version, which saving or deleting a restriction bumps
    (``home.receivers``); with none, the answer is an empty queryset that never
    queries, and it still supports everything Wagtail's admin does with it."""

    def get_view_restrictions(self):
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
