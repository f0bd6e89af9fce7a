"""Directory (SCIM) changes in the audit trail, written by the provisioning services
inside their transaction: which operation, on whom, and which attributes it set (their
names, never their values, which are personal data)."""

import audit


def directory_changed(operation: str, obj, *, fields=(), subject=None, **counts) -> None:
    """One provisioning operation (``user_provision``, ``group_update``, …) on a person
    or a group."""
    audit.record(
        actor=None,
        action="fledge.account.scim_change",
        obj=obj,
        payload={"operation": operation, "fields": sorted(fields), **counts},
        subject=subject,
    )
