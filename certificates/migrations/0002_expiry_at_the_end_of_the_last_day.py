"""Certificates are valid through their last valid day, to the end of it in the site's
time zone (``certificates.expiry``). Certificates issued before that rule for a course's
validity (not a requirement's) stored the completion's time of day on that last day, so
they turned "expired" in the afternoon of the day their PDF says they are valid until:
move each such expiry to the midnight after that day. Expiries already at a local
midnight (those from required training) are left alone.

The rule is spelled out here rather than imported, so this migration keeps meaning what
it meant when it was written."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone


def expire_at_the_end_of_the_day(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    rows = Certificate.objects.filter(expires_at__isnull=False).values_list("pk", "expires_at")
    for pk, expires_at in rows.iterator():
        local = timezone.localtime(expires_at)
        if local.time() == time.min:
            continue
        end = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min))
        Certificate.objects.filter(pk=pk).update(expires_at=end)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [
        migrations.RunPython(expire_at_the_end_of_the_day, migrations.RunPython.noop),
    ]
