"""Form widgets that pick people through the compliance admin's people chooser (the
modal of :class:`compliance.viewsets.people.PeopleChooserViewSet`), so a form never
renders every user of the site as ``<option>`` elements: with 10,000 people a select
is megabytes of HTML and unusable to scroll.

- :class:`PersonChooser`: one person (a profile's person or manager), Wagtail's own
  chooser widget;
- :class:`PeopleChooser`: several people (a requirement's individual audience), a list
  of chosen people, each posted as one ``<input type="hidden">`` under the field's name
  (the format a multi-select posts), with "Add people" opening the chooser in its
  "choose multiple" mode and "Remove" on each row.

Both are told the chooser's URL by name, not handed the viewset, so forms need not
import the admin's viewsets.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html

from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.widgets import BaseChooser

#: The URL name of the people chooser's modal.
CHOOSER_URL_NAME = "compliance_people:choose"
#: Longest run of digits taken as a user id (a bigint has 19); longer is no id at all.
MAX_ID_DIGITS = 18


def person_label(user) -> str:
    """A person as the admin names them: "Lena Lind (lena)", or the username alone."""
    name = user.get_full_name().strip()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def as_user_id(value) -> int | None:
    """``value`` (a posted string, an int or a user) as a user id, or None when it
    cannot be one: posted forms carry whatever the browser, or someone, sent."""
    if isinstance(value, get_user_model()):
        return value.pk
    text = str(value).strip()
    if not text.isdigit() or len(text) > MAX_ID_DIGITS:
        return None
    return int(text)


def person_data(user) -> dict:
    """What the widgets and the chooser's "chosen" answer show of a person."""
    return {
        "id": str(user.pk),
        "title": person_label(user),
        "email": user.email,
        "username": user.get_username(),
        "active": user.is_active,
    }


class PersonChooser(BaseChooser):
    """One person, chosen in the people chooser's modal (Wagtail's chooser widget).

    There is no edit link (compliance admins do not edit accounts). A disabled field
    (the person of a saved profile) shows the person as text: the chooser's buttons
    would suggest a change that Django ignores for a disabled field.
    """

    choose_one_text = "Choose a person"
    choose_another_text = "Choose another person"
    clear_choice_text = "Clear"
    show_edit_link = False
    icon = "user"
    model = None  # set by ``model_class``: the user model may be swapped
    chooser_modal_url_name = CHOOSER_URL_NAME

    @property
    def model_class(self):
        return get_user_model()

    def get_instance(self, value):
        if isinstance(value, get_user_model()):
            return value
        user_id = None if value is None else as_user_id(value)
        if user_id is None:
            return None
        return get_user_model().objects.filter(pk=user_id).first()

    def get_display_title(self, instance) -> str:
        return person_label(instance)

    def get_value_data_from_instance(self, instance) -> dict:
        return {"id": instance.pk, "edit_url": "", "title": person_label(instance)}

    def render(self, name, value, attrs=None, renderer=None):
        if attrs and attrs.get("disabled"):
            person = self.get_instance(value)
            return format_html(
                '<p class="w-my-0" id="{}">{}</p>',
                attrs.get("id", ""),
                person_label(person) if person else "",
            )
        return super().render(name, value, attrs, renderer)


class PeopleChooser(forms.Widget):
    """Several people: the chosen ones listed with "Remove", and "Add people" opening
    the people chooser to tick any number of them (``static/js/people_chooser.js``).

    Each chosen person is posted as ``<name>=<id>``, as a multi-select posts, so the
    form field (a ``ModelMultipleChoiceField``) validates the ids as before. Rendering
    looks the shown people up in one query; the field's choices (every user) are never
    iterated.
    """

    template_name = "compliance/widgets/people_chooser.html"
    add_text = "Add people"
    empty_text = "Nobody chosen individually."

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False  # choosing nobody posts nothing, like an empty multi-select

    def format_value(self, value) -> list[str]:
        if value is None or isinstance(value, str | int):
            value = [] if value in (None, "") else [value]
        ids = (as_user_id(item) for item in value)
        return [str(user_id) for user_id in dict.fromkeys(ids) if user_id is not None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = context["widget"]["value"]
        people = get_user_model().objects.filter(pk__in=ids) if ids else []
        by_id = {str(user.pk): user for user in people}
        context["widget"].update(
            {
                "people": [person_data(by_id[i]) for i in ids if i in by_id],
                "chooser_url": reverse(CHOOSER_URL_NAME),
                "add_text": self.add_text,
                "empty_text": self.empty_text,
            }
        )
        return context

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            js=[
                # The chooser modal's steps (search, paginate, "Confirm selection"),
                # which Wagtail's own chooser widgets load through their adapters.
                versioned_static("wagtailadmin/js/chooser-modal.js"),
                "js/people_chooser.js",
            ]
        )
