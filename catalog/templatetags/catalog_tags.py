"""Template tags for linking to the catalog from any page."""

from django import template

from catalog.selectors import first_catalog

register = template.Library()


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """The URL of the site's catalog page, or the home page when there is none yet."""
    catalog = first_catalog()
    return catalog.get_url(request=context.get("request")) if catalog else "/"
