"""The benchmark's URLconf: the project's URLs plus a trivial view as the baseline.

``bench.run`` serves every measured page through this URLconf, so the pages and the
baseline pass through the same middleware stack.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

TRIVIAL_PATH = "/__bench__/trivial/"


def trivial(request: HttpRequest) -> HttpResponse:
    """The floor: a view that only says who is asking.

    It reads ``request.user``, so the session and the user are loaded as for any page a
    signed-in learner opens; a view that touched nothing would measure little more than
    a function call (about 0.1 ms), against which no page could ever be within 15×.
    """
    return HttpResponse(str(request.user.pk or "-"), content_type="text/plain")


# First: the project's last pattern hands every other path to Wagtail.
urlpatterns = [path(TRIVIAL_PATH.strip("/") + "/", trivial), *project_urlpatterns]
