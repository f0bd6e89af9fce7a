"""Forms for new personal access tokens: the account page's and the admin's."""

import secrets

from django import forms
from django.contrib.auth import get_user_model

from .models import Scope


def new_form_key() -> str:
    return secrets.token_urlsafe(16)


class AccessTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “Phone app”.")
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ]
    )
    expires_at = forms.DateTimeField(
        required=False,
        label="Expires",
        help_text="Optional (YYYY-MM-DD HH:MM). Blank: until you revoke it.",
    )
    #: One per form shown: a second submit of the same form (a double click, a reload)
    #: is recognised and creates no second token.
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_key", new_form_key())


class ServiceTokenForm(AccessTokenForm):
    """The admin's form: the same, for a named account (a service account, usually)."""

    username = forms.CharField(
        max_length=150,
        label="Account",
        help_text="The username the token acts as, e.g. a service account “hr-sync”.",
    )
    field_order = ["username", "name", "scopes", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        username = (cleaned.get("username") or "").strip()
        if username:
            user = get_user_model().objects.filter(username__iexact=username).first()
            if user is None:
                self.add_error("username", f"No account is named “{username}”.")
            elif not user.is_active:
                self.add_error("username", f"The account “{username}” is deactivated.")
            else:
                cleaned["user"] = user
        return cleaned
