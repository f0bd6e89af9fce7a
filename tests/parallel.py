"""Running one thing from many threads at once, each on its own database connection,
for the concurrency tests (PostgreSQL only: SQLite's in-memory test database is one
connection)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections

import pytest

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks and parallel connections; SQLite's in-memory test "
    "database is one connection (CI runs this with DATABASE_URL set)",
)


def run_in_parallel(function, items):
    """``function(item)`` for every item, all released at the same moment; the results
    in order. Each thread closes its connections when done."""
    barrier = threading.Barrier(len(items))

    def call(item):
        try:
            barrier.wait(timeout=30)
            return function(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(call, items))
