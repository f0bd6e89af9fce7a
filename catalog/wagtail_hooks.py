"""Admin registration for the catalog app, and which pages the anonymous cache keeps."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from home.models import HomePage

from .middleware import CACHEABLE_FLAG
from .models import CatalogPage, CoursePage, ModulePage
from .viewsets import SubjectViewSet

register_snippet(SubjectViewSet)

#: Pages that look the same to every signed-out visitor. Lessons are never cached:
#: they are not served to visitors at all.
CACHEABLE_PAGES = (HomePage, CatalogPage, CoursePage, ModulePage)


@hooks.register("before_serve_page")
def mark_cacheable(page, request, serve_args, serve_kwargs):
    """Let AnonymousPageCacheMiddleware keep this response for signed-out visitors."""
    if isinstance(page, CACHEABLE_PAGES) and not request.user.is_authenticated:
        setattr(request, CACHEABLE_FLAG, True)
