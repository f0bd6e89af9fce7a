"""Querysets compiled once and run again with other values.

Django compiles a queryset to SQL every time it runs: it resolves the filters, the
joins, the ordering and the select list, which for the small queries of a page costs
ten times what the database spends answering them (about 0.3–1 ms against 0.04 ms on
the cold lesson page, see README "Performance"). Django has no prepared-query cache of
its own, so :class:`PreparedQuery` keeps the compiled statement per database alias and
runs it again with new parameter values, then turns the rows into what the queryset
would have returned (values rows, or model instances with their ``select_related``
relations and annotations) with the compiler's own converters and Django's own
``from_db``: only the compilation is skipped, nothing is written by hand.

A prepared query is built once from a function that makes the queryset from
placeholder values; each parameter is a :class:`Marker`, and each marker must reach the
SQL as a parameter of its own (an exact match, or the prefix of a ``startswith``).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

_serial = itertools.count(1)


@dataclass(frozen=True)
class Marker:
    """A placeholder for a parameter: ``Marker.number()`` for an integer column,
    ``Marker.text()`` for a text one, ``Marker.day()`` for a date, ``Marker.uuid()``
    for a UUID. Its value is unlike any real one, so it is found again among the
    compiled statement's parameters. A real value may not be None (``= NULL`` is not
    ``IS NULL``): it is refused, and the caller builds another query for that case."""

    value: Any

    @classmethod
    def number(cls) -> Marker:
        # Within a 32-bit column's range: Django answers a lookup beyond it with no SQL.
        return cls(2_147_000_000 + next(_serial))

    @classmethod
    def text(cls) -> Marker:
        return cls(f"fledge-marker-{next(_serial)}-x")

    @classmethod
    def day(cls) -> Marker:
        return cls(date(1000, 1, 1) + timedelta(days=next(_serial)))

    @classmethod
    def uuid(cls) -> Marker:
        return cls(uuid.UUID(int=2**120 + next(_serial)))


#: How a parameter is filled from a value, as the database adapter received the
#: marker: the value itself, as text (a date on SQLite), as hex (a UUID on SQLite), or
#: as a LIKE prefix.
_FORMS: dict[str, Callable[[Any, Any], Any]] = {
    "exact": lambda value, ops: value,
    "text": lambda value, ops: str(value),
    "hex": lambda value, ops: value.hex,
    "prefix": lambda value, ops: ops.prep_for_like_query(value) + "%",
}


@dataclass
class _Compiled:
    sql: str
    params: list
    #: (parameter index, marker name, form) for each placeholder.
    slots: list[tuple[int, str, str]]
    compiler: Any
    converters: dict
    #: What rows become: "models", "tuples" (``values_list()``) or "dicts" (``values()``).
    shape: str
    #: The keys of ``values()`` rows.
    names: list[str]


_SHAPES = {ModelIterable: "models", ValuesListIterable: "tuples", ValuesIterable: "dicts"}


class PreparedQuery:
    """``build(**markers)`` → a QuerySet; calling the prepared query with the same
    names and real values returns the list that queryset would (model instances, or
    the rows of ``values()``/``values_list()``, which must not use ``flat`` or
    ``named``: rows come back as tuples or dicts as the queryset's own iterable makes
    them)."""

    def __init__(self, build: Callable[..., QuerySet], **markers: Marker):
        self.build = build
        self.markers = markers
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build(**{name: marker.value for name, marker in self.markers.items()})
        shape = _SHAPES.get(queryset._iterable_class)
        if shape is None:
            raise ValueError(f"{queryset._iterable_class.__name__} rows are not supported")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        ops = connections[alias].ops
        slots = []
        for name, marker in self.markers.items():
            found = [
                (index, name, form)
                for index, param in enumerate(params)
                if (form := _form_of(param, marker.value, ops)) is not None
            ]
            if not found:
                raise ValueError(f"the placeholder {name!r} is not a parameter of {sql}")
            slots += found
        query = queryset.query
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters(fields),
            shape=shape,
            names=[*query.extra_select, *query.values_select, *query.annotation_select],
        )

    def __call__(self, using: str | None = None, **values) -> list:
        alias = using or "default"
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        connection = connections[alias]
        params = list(compiled.params)
        for index, name, form in compiled.slots:
            value = values[name]
            if value is None:  # "= NULL" matches nothing, where the ORM says "IS NULL"
                raise ValueError(f"{name!r} is None: build a query without it for that case")
            params[index] = _FORMS[form](value, connection.ops)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiled.converters:
            rows = list(compiler.apply_converters(rows, compiled.converters))
        if compiled.shape == "models":
            return _instances(compiler, rows, alias)
        rows = [tuple(row[: compiler.col_count]) for row in rows]
        if compiled.shape == "dicts":
            return [dict(zip(compiled.names, row, strict=True)) for row in rows]
        return rows


def _form_of(param, marker_value, ops) -> str | None:
    """How ``param`` was made from the marker's value (see ``_FORMS``), if it was."""
    if type(param) is bool:
        return None
    for form, fill in _FORMS.items():
        try:
            if param == fill(marker_value, ops):
                return form
        except (AttributeError, TypeError):
            continue
    return None


def _instances(compiler, rows, db: str) -> list:
    """Model instances from the rows, as Django's ``ModelIterable`` makes them: the
    model's columns through ``from_db``, ``select_related`` objects, annotations."""
    klass_info = compiler.klass_info
    model, select_fields = klass_info["model"], klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in compiler.select[start:end]]
    populators = get_related_populators(klass_info, compiler.select, db)
    found = []
    for row in rows:
        instance = model.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        found.append(instance)
    return found
