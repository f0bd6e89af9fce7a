"""Absolute links, for what leaves the site: emails, PDFs, calendar feeds."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on the site's canonical base URL (``WAGTAILADMIN_BASE_URL``, which
    ``make run`` sets from ``HOST`` and ``PORT``); a full URL (a page on another Wagtail
    site) is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
