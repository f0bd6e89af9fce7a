"""The site's answer to a malformed request (HTTP 400), in the site's layout."""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import bad_request as django_bad_request


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler with ``templates/400.html``. A request whose Host header is
    not allowed gets the page rendered without the request: the layout's links ask for
    the host, which would raise again and turn the 400 into a 500."""
    try:
        request.get_host()
    except DisallowedHost:
        return HttpResponseBadRequest(render_to_string("400.html"))
    return django_bad_request(request, exception)
