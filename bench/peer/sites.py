"""What a measuring worker does with a prepared site, the same for both systems: time
requests through ``django.test.Client`` (warm, or with ``cache.clear()`` before each
page request) and count their queries.

Standard library and Django only: both workers import it, each in its own virtualenv.
"""

import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

PAGES = ("course", "lesson")


@dataclass
class Prepared:
    """A system with its course built and its enrolled learner signed in."""

    client: Client
    learner_pk: int
    #: "trivial", "course" and "lesson" → the path to request.
    paths: dict[str, str]
    #: Text each page must contain for the learner (proof that they are enrolled).
    markers: dict[str, str] = field(default_factory=dict)


class Measurer:
    def __init__(self, prepared: Prepared):
        self.prepared = prepared

    def get(self, name: str) -> bytes:
        """One request; anything but a 200 with the page's marker stops the run."""
        path = self.prepared.paths[name]
        response = self.prepared.client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}, not 200")
        return response.content

    def check(self) -> dict:
        """Each page once: its size, and that it shows what an enrolled learner sees."""
        sizes = {}
        if self.get("trivial").decode() != str(self.prepared.learner_pk):
            raise RuntimeError("the trivial view does not see the signed-in learner")
        for name in PAGES:
            body = self.get(name).decode()
            marker = self.prepared.markers.get(name, "")
            if marker not in body:
                raise RuntimeError(f"the {name} page does not show {marker!r}")
            sizes[name] = len(body)
        return sizes

    def batch(self, page: str, cold: bool, pairs: int) -> dict:
        """``pairs`` times: the trivial view, then ``page`` (after ``cache.clear()``
        when ``cold``; the clear is not timed). Warm batches begin with one untimed pair,
        so that a cold batch before them does not count. Milliseconds per request."""
        trivial_ms, page_ms = [], []
        if not cold:
            self.get("trivial")
            self.get(page)
        for _ in range(pairs):
            started = time.perf_counter()
            self.get("trivial")
            trivial_ms.append((time.perf_counter() - started) * 1000)
            if cold:
                cache.clear()
            started = time.perf_counter()
            self.get(page)
            page_ms.append((time.perf_counter() - started) * 1000)
        return {"trivial": trivial_ms, "page": page_ms}

    def queries(self, name: str, cold: bool) -> list[str]:
        """The statements of one request of ``name`` (after a warm-up, or a clear)."""
        self.get(name)
        if cold:
            cache.clear()
        # Each request empties the connection's log when it starts (request_started),
        # so it is emptied first for the capture to line up.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            self.get(name)
        return [query["sql"] for query in captured.captured_queries]
