"""Forms of the compliance admin: the reports' "as of" date and due ranges (within
:func:`report_date_range`), an exemption's reason, and a person's manager (both
picked in the people chooser, :mod:`compliance.widgets`)."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from django_filters.fields import DateRangeField

from accounts.models import Profile

from .scheduling import add_months
from .widgets import PersonChooser, person_label

#: Longest exemption reason kept (the service truncates to the same length).
MAX_REASON_LENGTH = 2000
#: The earliest date a report filter accepts ("as of", due ranges).
EARLIEST_REPORT_DATE = date(2000, 1, 1)
#: How many years ahead of today a report filter accepts.
REPORT_YEARS_AHEAD = 100


def report_date_range(today: date | None = None) -> tuple[date, date]:
    """The dates a report filter accepts: 1 January 2000 to 100 years from ``today``
    (default: today in the site's time zone). Anything further out is a typo, and near
    year 9999 the date arithmetic of the reports would overflow."""
    today = today or timezone.localdate()
    return EARLIEST_REPORT_DATE, add_months(today, 12 * REPORT_YEARS_AHEAD)


def validate_report_date(value: date | None) -> None:
    """Refuse a report date outside :func:`report_date_range`, saying which are allowed."""
    if value is None:
        return
    earliest, latest = report_date_range()
    if not earliest <= value <= latest:
        raise ValidationError(
            f"Enter a date between {earliest:%-d %B %Y} and {latest:%-d %B %Y}.",
            code="out_of_range",
        )


#: The message for a date that is not a date ("2026-02-30", "soon").
DATE_FORMAT_MESSAGE = "Enter the date as YYYY-MM-DD, for example 2026-03-01."


class AsOfForm(forms.Form):
    """The date a report describes: blank means today in the site's time zone; dates
    outside :func:`report_date_range` are refused with a message."""

    as_of = forms.DateField(
        label="As of",
        required=False,
        widget=AdminDateInput,
        help_text="Show everyone's status on this date, from the stored history.",
        validators=[validate_report_date],
        error_messages={"invalid": DATE_FORMAT_MESSAGE},
    )


class ReportDateRangeField(DateRangeField):
    """A from–to date range whose ends must lie in :func:`report_date_range`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(validate_report_date)
            field.error_messages["invalid"] = DATE_FORMAT_MESSAGE


class ExemptionForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        strip=True,
        error_messages={"required": "Give a reason for the exemption."},
    )


class PersonChoiceField(forms.ModelChoiceField):
    """One person, picked in the people chooser; the queryset decides who is accepted."""

    widget = PersonChooser

    def label_from_instance(self, obj) -> str:
        return person_label(obj)


def people():
    return get_user_model().objects.order_by("last_name", "first_name", "username")


class ProfileForm(WagtailAdminModelForm):
    """Who manages whom. A person cannot be their own manager (``Profile.clean``).
    Both are active people, chosen in the people chooser as it offers them."""

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
    """Editing a profile changes the manager only: the person stays who they are (shown
    as text; a disabled field ignores what is posted for it)."""

    user = PersonChoiceField(label="Person", queryset=people(), disabled=True)
