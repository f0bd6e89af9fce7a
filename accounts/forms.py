"""The sign-in and sign-up forms: allauth's, with Fledge's labels and rules."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from allauth.account import forms as allauth_forms

from .adapters import local_passwords_for

#: The answer to a refused password sign-in while local passwords are off: the same
#: for a wrong password and for a right one that is not a superuser's.
LOCAL_PASSWORDS_OFF = (
    "Password sign-in is only for site administrators here, and these details did not "
    "sign you in. Please use your organisation's sign-in button."
)


class LoginForm(allauth_forms.LoginForm):
    """Username or email address, and password. With ``FLEDGE_LOCAL_PASSWORDS`` off
    only superusers get in this way; everyone else is told to use single sign-on."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or email"
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs.update({"autocomplete": "username", "autofocus": True})
        password = self.fields["password"]
        password.widget.attrs.pop("placeholder", None)
        # The page links to password reset itself (only while local passwords are on).
        password.help_text = ""

    def clean(self):
        if settings.FLEDGE_LOCAL_PASSWORDS:
            return super().clean()
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            raise ValidationError(LOCAL_PASSWORDS_OFF) from error
        if not self.errors and not local_passwords_for(getattr(self, "user", None)):
            raise ValidationError(LOCAL_PASSWORDS_OFF)
        return cleaned_data


class SignupForm(allauth_forms.SignupForm):
    """A learner account: username, name, email and a password checked by the
    configured validators. Email addresses are unique, case-insensitively."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    field_order = ["username", "first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["password2"].label = "Password (again)"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
