"""Template tags for linking to the catalog from any page."""

from django import template

from catalog.selectors import first_catalog
from home.cache import DEFAULT_TIMEOUT, cached_content

register = template.Library()


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """The URL of the site's catalog page, or the home page when there is none yet."""
    request = context.get("request")

    def build() -> str:
        catalog = first_catalog()
        return catalog.get_url(request=request) if catalog else "/"

    host = request.get_host() if request else ""
    return cached_content(("catalog-url", host), DEFAULT_TIMEOUT, build)
