"""This app's part of a person's erasure and of the retention purge (records.hooks)."""

from datetime import datetime


def erase_person(person, *, erased) -> dict[str, int]:
    return {}


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    return {}
