"""Pages: catalog, a 50-lesson course, a lesson with a 10-question quiz and
``bench-learner``'s dashboard, through the whole middleware stack (``django.test.Client``
on :mod:`bench.urls`), each against the trivial view behind the same stack: time per
request and queries per request."""

from .. import common
from ..generate import LEARNER_LESSON_COURSE
from .measuring import (
    PAGE_QUERIES,
    PAGE_RATIO,
    paired_medians,
    profile,
    query_report,
    signed_in_client,
)
from .results import Table, ms, verdict


def bench_pages(table: Table, runs: int, detail: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings

    from catalog.models import CatalogPage, CoursePage
    from lessons.models import LessonPage

    from ..urls import TRIVIAL_PATH

    learner = get_user_model().objects.get(username=common.LEARNER)
    course = CoursePage.objects.live().order_by("path")[LEARNER_LESSON_COURSE]
    lesson = next(
        page
        for page in LessonPage.objects.live().descendant_of(course).order_by("path")
        if page.quiz is not None
    )
    pages = {
        "catalog": CatalogPage.objects.live().order_by("path").first().url,
        "course": course.url,
        "lesson": lesson.url,
        "dashboard": "/dashboard/",
    }
    labels = {
        "catalog": "Catalog page",
        "course": "Course page (50 lessons)",
        "lesson": "Lesson page, 10-question quiz",
        "dashboard": "Dashboard (20 enrolments, 10 assignments)",
    }
    client = signed_in_client(learner)

    def fetch(path: str) -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}, not 200")
        return len(response.content)

    with override_settings(ROOT_URLCONF="bench.urls"):
        fetch(TRIVIAL_PATH)
        for key, path in pages.items():
            size = fetch(path)
            # Each request starts by emptying the connection's query log (the
            # request_started signal), so the log is emptied first for the counts to line up.
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                fetch(path)
            # captured_queries reads the connection's log, which the next request empties.
            queries = list(captured.captured_queries)
            reset_queries()
            with CaptureQueriesContext(connection) as floor:
                fetch(TRIVIAL_PATH)
            floor_count = len(floor.captured_queries)
            page_ms, trivial_ms = paired_medians(
                lambda path=path: fetch(path), lambda: fetch(TRIVIAL_PATH), runs, 2, 5
            )
            ratio = page_ms / trivial_ms
            count = len(queries)
            info = {
                "path": path,
                "bytes": size,
                "median_ms": round(page_ms, 2),
                "trivial_ms": round(trivial_ms, 3),
                "ratio": round(ratio, 1),
                "queries": count,
                "trivial_queries": floor_count,
                "runs": runs,
            }
            table.add_ratio(
                "pages",
                labels[key] + ": time",
                page_ms,
                f"{ms(trivial_ms)} trivial view",
                ratio,
                PAGE_RATIO,
            )
            table.add(
                "pages",
                labels[key] + ": queries",
                value=str(count),
                baseline=f"{floor_count} trivial view",
                ratio=f"{count} queries",
                target=f"≤ {PAGE_QUERIES}",
                result=verdict(count <= PAGE_QUERIES),
            )
            if count > PAGE_QUERIES:
                info["query_report"] = query_report(f"page-{key}", queries)
            if ratio > PAGE_RATIO or count > PAGE_QUERIES:
                info["profile"] = profile(f"page-{key}", lambda path=path: fetch(path), runs=10)
            detail[key] = info
