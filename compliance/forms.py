"""Forms of the compliance admin: the reports' "as of" date, an exemption's reason, and
a person's manager."""

from django import forms
from django.contrib.auth import get_user_model

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from accounts.models import Profile

#: Longest exemption reason kept (the service truncates to the same length).
MAX_REASON_LENGTH = 2000


class AsOfForm(forms.Form):
    """The date a report describes: blank means today in the site's time zone."""

    as_of = forms.DateField(
        label="As of",
        required=False,
        widget=AdminDateInput,
        help_text="Show everyone's status on this date, from the stored history.",
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, for example 2026-03-01."},
    )


class ExemptionForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        strip=True,
        error_messages={"required": "Give a reason for the exemption."},
    )


def person_label(user) -> str:
    name = user.get_full_name().strip()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


def people():
    return get_user_model().objects.order_by("last_name", "first_name", "username")


class ProfileForm(WagtailAdminModelForm):
    """Who manages whom. A person cannot be their own manager (``Profile.clean``)."""

    user = PersonChoiceField(
        label="Person", queryset=people().filter(is_active=True), help_text="Whose manager."
    )
    manager = PersonChoiceField(
        label="Manager",
        queryset=people().filter(is_active=True),
        required=False,
        help_text="Receives overdue escalations and a weekly digest, and sees this person "
        "in compliance reports. Blank: no manager.",
    )

    class Meta:
        model = Profile
        fields = ["user", "manager"]


class ProfileUpdateForm(ProfileForm):
    """Editing a profile changes the manager only: the person stays who they are."""

    user = PersonChoiceField(label="Person", queryset=people(), disabled=True)
