"""Admin registration for the catalog app."""

from wagtail.snippets.models import register_snippet

from .viewsets import SubjectViewSet

register_snippet(SubjectViewSet)
