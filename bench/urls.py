"""The benchmark's URLconf: the project's URLs plus a trivial view as the baseline.

``bench.run`` serves every measured page through this URLconf, so the pages and the
baseline pass through the same middleware stack.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns

TRIVIAL_PATH = "/__bench__/trivial/"
API_TRIVIAL_PATH = "/__bench__/api-trivial/"


def trivial(request: HttpRequest) -> HttpResponse:
    """The floor: a view that only says who is asking.

    It reads ``request.user``, so the session and the user are loaded as for any page a
    signed-in learner opens; a view that touched nothing would measure little more than
    a function call (about 0.1 ms), against which no page could ever be within 15×.
    """
    return HttpResponse(str(request.user.pk or "-"), content_type="text/plain")


class TrivialAPIView(APIView):
    """The API's floor: the project's DRF defaults (bearer token, scope check,
    throttling, JSON rendering) around a body that only says who is asking."""

    def get(self, request) -> Response:
        return Response({"id": request.user.pk})


# First: the project's last pattern hands every other path to Wagtail.
urlpatterns = [
    path(TRIVIAL_PATH.strip("/") + "/", trivial),
    path(API_TRIVIAL_PATH.strip("/") + "/", TrivialAPIView.as_view()),
    *project_urlpatterns,
]
