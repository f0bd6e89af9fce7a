"""The tamper-evident audit trail (shared/DESIGN.md, "Audit").

``audit.record(actor=…, action=…, obj=…, payload=…, subject=…)`` is the one way to
write an entry; :mod:`audit.services` has it and the chain's checks.
"""

_PUBLIC = {
    "record",
    "redact_details",
    "pseudonym",
    "text_digest",
    "verify_chain",
    "chain_head",
    "ChainBroken",
    "ChainHead",
    "purge_entries",
    "PurgeResult",
}


def __getattr__(name: str):
    # Lazily, because this package is imported while the app registry is still loading
    # and the services import the models.
    if name in _PUBLIC:
        from . import services  # noqa: PLC0415 - models load only once the registry is ready

        return getattr(services, name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
