"""Template tags for caching fragments with the content cache's rules (``base.cache``).

Use Django's ``{% cache %}`` with ``{% content_cache_key … as key %}`` among its vary-on
arguments: the key carries the content version, so publishing anything retires every
cached fragment at once, as it retires every other cached copy of content.
"""

from django import template

from base.cache import DEFAULT_TIMEOUT, content_version

register = template.Library()


@register.simple_tag(takes_context=True)
def content_cache_key(context, *parts: object) -> str:
    """A vary-on key for ``{% cache %}``: the content version, the host, the query string
    (its parameters sorted, so their order does not matter) and ``parts``."""
    request = context.get("request")
    host = request.get_host() if request else ""
    params = sorted((key, value) for key, value in request.GET.lists()) if request else []
    return repr((content_version(), host, params, *parts))


@register.simple_tag
def content_cache_timeout() -> int:
    """How long an unread fragment lives: a version bump retires it sooner."""
    return DEFAULT_TIMEOUT
