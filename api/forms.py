"""The account page's form for a new personal access token."""

from django import forms

from .models import Scope


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
