"""A holder's certificate list looks reissues up through an index, even when SQLite's
statistics say that almost no certificate replaces another (the usual case)."""

from django.db import connection

import pytest

from certificates import selectors
from tests.certificates.factories import issued_certificate

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_the_holders_list_finds_reissues_through_the_index():
    certificate = issued_certificate()
    for _ in range(3):
        issued_certificate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        sql, params = selectors.user_certificates(user=certificate.user).query.sql_with_params()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    reissue_lookups = [step for step in plan if " T7 " in f"{step} "]
    assert reissue_lookups, plan
    assert not any(step.startswith("SCAN") for step in reissue_lookups), plan
