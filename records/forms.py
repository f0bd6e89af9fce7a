"""The forms of personal records' admin pages."""

from django import forms


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, email or username",
        max_length=200,
        error_messages={"required": "Type part of a name, an email or a username."},
        widget=forms.TextInput(attrs={"autofocus": True}),
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if not query:
            raise forms.ValidationError("Type part of a name, an email or a username.")
        return query


class EraseForm(forms.Form):
    """Confirms an erasure by the person's username, typed again: it cannot be undone."""

    username = forms.CharField(label="Type their username to confirm", max_length=150)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"].strip()
        if typed != self.person.get_username():
            raise forms.ValidationError("That is not this person's username: nothing was erased.")
        return typed
