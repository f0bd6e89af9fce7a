"""The outbox's part of a person's records (records.hooks)."""

from wagtail import hooks

from . import erasure, personal_data

hooks.register("register_person_export", personal_data.export_person)
hooks.register("register_person_erasure", erasure.erase_person)
hooks.register("register_retention_purge", erasure.purge_before)
