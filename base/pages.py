"""What every page type of the site shares."""

from wagtail.models import PageViewRestriction

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
            lambda: list(
                super(CachedRestrictionsMixin, self)
                .get_view_restrictions()
                .values_list("pk", flat=True)
            ),
        )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)
