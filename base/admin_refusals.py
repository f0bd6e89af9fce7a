"""Refusing an admin action from a Wagtail ``before_*`` hook, the same way everywhere:
the reason as an error message, and back to where the person came from (``next``),
else the page's edit view, else the admin dashboard."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from wagtail.admin.utils import get_valid_next_url_from_request


def refuse(request: HttpRequest, message: str, page=None) -> HttpResponseRedirect:
    """The hook's answer that stops the action: Wagtail returns it instead of acting."""
    messages.error(request, message)
    fallback = (
        reverse("wagtailadmin_pages:edit", args=[page.pk])
        if page is not None
        else reverse("wagtailadmin_home")
    )
    return redirect(get_valid_next_url_from_request(request) or fallback)
