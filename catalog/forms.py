"""The course edit form: the page's fields plus who instructs the course, and the
material change box (with its note) for the version being published."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from wagtail.admin.forms import WagtailAdminPageForm

#: The shipped group whose members may instruct courses (catalog migration 0002).
INSTRUCTORS_GROUP = "Instructors"


def instructor_candidates() -> QuerySet:
    """Active members of the Instructors group: the people a course may name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=INSTRUCTORS_GROUP)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class InstructorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name().strip()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class CoursePageForm(WagtailAdminPageForm):
    """Wagtail's page form with an ``instructors`` field.

    Instructors are not page content (they are not in revisions and need no review):
    ``save`` keeps the choice on the page as ``chosen_instructors``, and the
    ``after_create_page`` / ``after_edit_page`` hooks apply it through
    ``catalog.services.set_course_instructors``. A new course defaults to its creator.
    """

    instructors = InstructorChoiceField(
        queryset=None,  # set per form: the user model is not ready when this loads
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["instructors"]
        field.queryset = instructor_candidates()
        if self.instance.pk:
            field.initial = list(
                get_user_model().objects.filter(groups__course_team__course=self.instance)
            )
        elif self.for_user is not None and field.queryset.filter(pk=self.for_user.pk).exists():
            field.initial = [self.for_user]
        if not self.instance.has_unpublished_changes:
            # What is live was published: its material change is done. A draft keeps
            # the box as saved (submitted for review, sent back for changes).
            self.initial.update(material_change=False, change_note="")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("material_change") and not (cleaned.get("change_note") or "").strip():
            self.add_error(
                "change_note",
                "Say what changed: it is sent to everyone who must complete the course again.",
            )
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=commit)
        page.chosen_instructors = list(self.cleaned_data.get("instructors") or [])
        return page
