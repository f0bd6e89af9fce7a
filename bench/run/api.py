"""The REST API: its main reads, each through the whole stack (``django.test.Client``
on :mod:`bench.urls`) with a bearer token, against a trivial DRF view behind the same
stack and the same token (:class:`bench.urls.TrivialAPIView`): time per request and
queries per request. ``bench-learner`` reads its own data; ``bench-admin`` the first
page of the compliance status over every assignment.

The tokens are made for the run and revoked at its end."""

from .. import common
from .measuring import API_RATIO, PAGE_QUERIES, paired_medians, profile, query_report
from .results import Table, ms, verdict


def _client(secret: str | None):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}") if secret else Client()


def bench_api(table: Table, runs: int, detail: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings

    from api.services import access_token_create, access_token_revoke
    from certificates.models import Certificate
    from learner.models import Enrollment

    from ..urls import API_TRIVIAL_PATH

    users = get_user_model().objects
    learner, admin = users.get(username=common.LEARNER), users.get(username=common.ADMIN)
    everything = ["read", "learn", "compliance:read", "compliance:write", "admin"]
    made = [
        access_token_create(user=learner, name="bench", scopes=["read", "learn"]),
        access_token_create(user=admin, name="bench", scopes=everything),
    ]
    learner_client, admin_client = (_client(secret) for _, secret in made)
    enrolment = Enrollment.objects.filter(user=learner).order_by("pk").first()
    code = Certificate.objects.order_by("pk").values_list("verification_code", flat=True)[0]
    endpoints = {
        "me": ("/api/v1/me/", learner_client, "me (20 enrolments, 10 assignments)"),
        "courses": ("/api/v1/courses/", learner_client, "courses, first page"),
        "course": (
            f"/api/v1/courses/{enrolment.course_id}/",
            learner_client,
            "one course with its 50-lesson outline",
        ),
        "enrolments": ("/api/v1/enrolments/", learner_client, "own enrolments"),
        "progress": (
            f"/api/v1/enrolments/{enrolment.pk}/progress/",
            learner_client,
            "progress of one enrolment",
        ),
        "status": (
            "/api/v1/compliance/status/",
            admin_client,
            "compliance status, first page of all",
        ),
        "verify": (f"/api/v1/certificates/verify/{code}/", _client(None), "verify (public)"),
    }

    def fetch(client, path: str) -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}, not 200")
        return len(response.content)

    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            for key, (path, client, label) in endpoints.items():
                fetch(learner_client, API_TRIVIAL_PATH)
                size = fetch(client, path)
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    fetch(client, path)
                queries = list(captured.captured_queries)

                def baseline() -> int:
                    # The floor always carries a token (the public verify has none).
                    return fetch(learner_client, API_TRIVIAL_PATH)

                endpoint_ms, trivial_ms = paired_medians(
                    lambda client=client, path=path: fetch(client, path), baseline, runs, 2, 5
                )
                ratio = endpoint_ms / trivial_ms
                count = len(queries)
                info = {
                    "path": path,
                    "bytes": size,
                    "median_ms": round(endpoint_ms, 2),
                    "trivial_ms": round(trivial_ms, 3),
                    "ratio": round(ratio, 1),
                    "queries": count,
                    "runs": runs,
                }
                table.add_ratio(
                    "api",
                    f"API {label}: time",
                    endpoint_ms,
                    f"{ms(trivial_ms)} trivial DRF view",
                    ratio,
                    API_RATIO,
                )
                table.add(
                    "api",
                    f"API {label}: queries",
                    value=str(count),
                    baseline="",
                    ratio=f"{count} queries",
                    target=f"≤ {PAGE_QUERIES}",
                    result=verdict(count <= PAGE_QUERIES),
                )
                if count > PAGE_QUERIES:
                    info["query_report"] = query_report(f"api-{key}", queries)
                if ratio > API_RATIO:
                    info["profile"] = profile(
                        f"api-{key}", lambda client=client, path=path: fetch(client, path), 10
                    )
                detail[key] = info
    finally:
        for token, _ in made:
            access_token_revoke(token=token)
