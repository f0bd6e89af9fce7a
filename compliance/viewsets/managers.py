"""Admin for who manages whom (accounts.Profile)."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import Profile

from ..forms import ProfileForm, ProfileUpdateForm, person_label
from ..selectors import search_people

# --- Managers ------------------------------------------------------------------------


class ManagerIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "manager")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        people = search_people(queryset, self.search_query)
        managers = search_people(queryset, self.search_query, prefix="manager__")
        return people | managers


class ManagerViewSet(ModelViewSet):
    """Who manages whom; a person cannot be their own manager."""

    model = Profile
    name = "compliance_managers"
    url_prefix = "compliance/managers"
    icon = "group"
    menu_label = "Managers"
    index_view_class = ManagerIndexView
    copy_view_enabled = False
    list_display = [
        "user",
        Column("name", label="Name", accessor=lambda profile: profile.user.get_full_name()),
        Column(
            "manager",
            label="Manager",
            accessor=lambda profile: person_label(profile.manager) if profile.manager else "",
            sort_key="manager__last_name",
        ),
    ]
    search_fields = ["user__username"]  # the search itself is search_people's
    search_backend_name = None

    def get_form_class(self, for_update: bool = False):
        return ProfileUpdateForm if for_update else ProfileForm
