"""The benchmark database and writing to it fast: creating (or dropping) it, and
writing prepared rows with ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""

import itertools
from urllib.parse import urlsplit, urlunsplit

from .. import common


def batched(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def prepare_database(url: str, *, reset: bool) -> None:
    """Create the PostgreSQL database when missing (drop it first with ``reset``);
    delete the SQLite file with ``reset``."""
    if not common.is_postgres(url):
        path = common.sqlite_path(url)
        if reset:
            for suffix in ("", "-wal", "-shm", "-journal"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and reset:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def insert_rows(
    model,
    names: list[str],
    rows,
    *,
    total: int = 0,
    label: str = "",
    batch: int = 5000,
    progress: common.Progress | None = None,
) -> int:
    """Write ``rows`` (tuples in ``names`` order), prepared the way the model's fields
    prepare dates, times, decimals, UUIDs and JSON: with ``COPY … FROM STDIN`` on
    PostgreSQL (several times faster than INSERTs), else ``executemany`` in batches."""
    from django.db import connection

    fields = [model._meta.get_field(name) for name in names]
    plain = {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
    preparers = [None if f.get_internal_type() in plain else f for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers come from the model's metadata; every value is a query parameter.
    table = quote(model._meta.db_table)
    statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    own_progress = progress is None
    progress = progress or common.Progress(label, total)
    count = 0
    copy = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for chunk in batched(rows, batch):
            params = [
                tuple(
                    value if prep is None else prep.get_db_prep_save(value, connection)
                    for value, prep in zip(row, preparers, strict=True)
                )
                for row in chunk
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(copy) as writer:  # psycopg's own cursor
                    for row in params:
                        writer.write_row(row)
            else:
                cursor.executemany(statement, params)
            progress.update(len(chunk))
            count += len(chunk)
    if own_progress:
        progress.close()
    return count
