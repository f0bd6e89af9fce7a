"""Admin viewsets for the catalog's plain models."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Subject


class SubjectViewSet(SnippetViewSet):
    """Subjects, listed and edited under Courses → Subjects in the admin menu."""

    model = Subject
    icon = "tag"
    menu_label = "Subjects"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
