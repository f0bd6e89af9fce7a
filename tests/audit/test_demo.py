"""``audit_verify`` passes on the demo: everything the demo loader does through the
services is in one valid chain."""

import io

from django.core.management import call_command

import pytest

from audit.models import AuditEntry


@pytest.mark.django_db
def test_the_demo_chain_verifies():
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    count = AuditEntry.objects.count()
    assert count > 0
    assert f"{count} entries" in out.getvalue()
