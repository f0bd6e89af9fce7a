"""The people chooser: Wagtail's chooser modal over the active users, for the forms of
the compliance admin (a requirement's individual audience, a person and their
manager; see :mod:`compliance.widgets`).

Built on :class:`wagtail.admin.viewsets.chooser.ChooserViewSet`: a search box (every
word in a name, email, username or group name, :func:`compliance.selectors.search_people`), a
group filter, a paginated table (name, email, username, groups) so 10,000 people are a
few pages of queries, not one long select, and Wagtail's "choose multiple" mode
(``?multiple=1``: tick people, "Confirm selection"). Inactive people are never
offered. Only those who may edit requirements or managers may open it
(:func:`.common.may_choose_people`): it lists everyone's name and email.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import reverse

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from base.people import person_name

from ..selectors import search_people
from ..widgets import as_user_id, person_data
from .common import PeopleChooserAccessMixin

#: People per page of the chooser's results.
PER_PAGE = 20


def people_offered():
    """Active users, by surname: the only people the chooser offers or accepts."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("last_name", "first_name", "username", "pk")
    )


class PeopleFilterForm(BaseFilterForm):
    """The modal's search box (``q``: Wagtail's chooser script searches as one types in
    ``#id_q``) and a group filter (``data-chooser-modal-search-filter``: it refreshes
    the results on change)."""

    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Name, email, username or group"}),
    )
    group = forms.ModelChoiceField(
        label="Group",
        required=False,
        empty_label="All groups",
        # Role and department groups, as for audiences: not one per course's instructors.
        queryset=Group.objects.filter(course_team__isnull=True).order_by("name"),
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        group = self.cleaned_data.get("group")
        if group is not None:
            objects = objects.filter(pk__in=group.user_set.values("pk"))
        if query:
            objects = search_people(objects, query, prefix="", groups=True)
        if query or group is not None:
            self.is_searching = True
            self.search_query = " in ".join(filter(None, [query, group and group.name]))
        return objects


class PeopleChooseMixin(PeopleChooserAccessMixin):
    """The listing of both the modal and its results fragment."""

    filter_form_class = PeopleFilterForm
    per_page = PER_PAGE

    def get_object_list(self):
        return people_offered().prefetch_related("groups")

    @property
    def title_column(self):
        if self.is_multiple_choice:
            return TitleColumn(
                "name", label="Name", accessor=person_name, label_prefix="chooser-modal-select"
            )
        return TitleColumn(
            "name",
            label="Name",
            accessor=person_name,
            get_url=lambda user: self.append_preserved_url_parameters(
                reverse(self.chosen_url_name, args=(quote(user.pk),))
            ),
            link_attrs={"data-chooser-modal-choice": True},
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("email", label="Email"),
            Column("username", label="Username"),
            Column(
                "groups",
                label="Groups",
                accessor=lambda user: ", ".join(sorted(g.name for g in user.groups.all())),
            ),
        ]


class PeopleChooseView(PeopleChooseMixin, chooser_views.ChooseView):
    page_title = "Choose people"


class PeopleChooseResultsView(PeopleChooseMixin, chooser_views.ChooseResultsView):
    pass


class PersonChosenResponseMixin:
    """The chosen person as the widgets show them: label, email, username."""

    def get_chosen_response_data(self, item) -> dict:
        return {**person_data(item), "edit_url": ""}


class PersonChosenView(
    PeopleChooserAccessMixin, PersonChosenResponseMixin, chooser_views.ChosenView
):
    def get_object(self, pk):
        user_id = as_user_id(pk)
        person = people_offered().filter(pk=user_id).first() if user_id else None
        if person is None:
            raise Http404("No such person.")
        return person


class PeopleChosenMultipleView(
    PeopleChooserAccessMixin, PersonChosenResponseMixin, chooser_views.ChosenMultipleView
):
    def get_objects(self, pks):
        ids = {user_id for user_id in map(as_user_id, pks) if user_id is not None}
        return people_offered().filter(pk__in=ids)


class PeopleChooserViewSet(ChooserViewSet):
    """The people chooser's modal, results, and "chosen" answers; no "create" tab
    (people sign up or come from single sign-on, not from a chooser)."""

    model = None  # the user model, resolved when the viewset is made
    name = "compliance_people"
    url_prefix = "compliance/people"
    icon = "user"
    page_title = "Choose people"
    choose_one_text = "Choose a person"
    choose_another_text = "Choose another person"
    per_page = PER_PAGE
    #: The form widgets are :mod:`compliance.widgets`' (chosen by URL name), and a
    #: chooser for every ForeignKey to User would put this compliance-only modal in
    #: forms that other roles use.
    register_widget = False
    choose_view_class = PeopleChooseView
    choose_results_view_class = PeopleChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PeopleChosenMultipleView

    def __init__(self, *args, **kwargs):
        self.model = get_user_model()
        super().__init__(*args, **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "create"]


__all__ = ["PeopleChooserViewSet", "PeopleFilterForm", "people_offered"]
