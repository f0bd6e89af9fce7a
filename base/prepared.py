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
from django.db.models.query import ModelIterable, get_related_populators

_serial = itertools.count(1)


@dataclass(frozen=True)
class Marker:
    """A placeholder for a parameter: ``Marker.number()`` for an integer column,
    ``Marker.text()`` for a text one, ``Marker.day()`` for a date, ``Marker.uuid()``
    for a UUID. Its value is unlike any real one, so it is found again among the
    compiled statement's parameters. A real value may not be None (``= NULL`` is not
    ``IS NULL``): build another query for that case."""

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
    models: bool
    converters: dict
    #: Model rows: the class, its fields' slice and names, populators, annotations.
    model_info: tuple | None = None


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

    def _compile(self, alias: str | None) -> _Compiled:
        queryset = self.build(**{name: marker.value for name, marker in self.markers.items()})
        if alias is not None:
            queryset = queryset.using(alias)
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        connection = connections[db]
        for name, marker in self.markers.items():
            found = False
            for index, param in enumerate(params):
                for form, fill in _FORMS.items():
                    try:
                        matches = type(param) is not bool and param == fill(
                            marker.value, connection.ops
                        )
                    except (AttributeError, TypeError):
                        matches = False
                    if matches:
                        slots.append((index, name, form))
                        found = True
                        break
            if not found:
                raise ValueError(f"the placeholder {name!r} is not a parameter of {sql}")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        compiled = _Compiled(
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            models=queryset._iterable_class is ModelIterable,
            converters=compiler.get_converters(fields),
        )
        if compiled.models:
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            compiled.model_info = (
                klass_info["model"],
                start,
                end,
                [column[0].target.attname for column in compiler.select[start:end]],
                compiler.klass_info,
                compiler.annotation_col_map,
            )
        else:
            compiled.model_info = (queryset._iterable_class, queryset)
        return compiled

    def __call__(self, using: str | None = None, **values) -> list:
        alias = using or "default"
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(using)
        connection = connections[alias]
        params = list(compiled.params)
        for index, name, form in compiled.slots:
            params[index] = _FORMS[form](values[name], connection.ops)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiled.converters:
            rows = list(compiler.apply_converters(rows, compiled.converters))
        if compiled.models:
            return self._instances(compiled, rows, alias)
        return self._values(compiled, rows)

    @staticmethod
    def _instances(compiled: _Compiled, rows, db: str) -> list:
        model, start, end, init_list, klass_info, annotations = compiled.model_info
        populators = get_related_populators(klass_info, compiled.compiler.select, db)
        found = []
        for row in rows:
            instance = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    @staticmethod
    def _values(compiled: _Compiled, rows) -> list:
        """Rows shaped as the queryset's iterable shapes them: tuples for
        ``values_list()``, dicts for ``values()``."""
        compiler = compiled.compiler
        rows = [tuple(row[: compiler.col_count]) for row in rows]
        iterable_class, queryset = compiled.model_info
        if iterable_class.__name__ == "ValuesIterable":
            query = queryset.query
            names = [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
            return [dict(zip(names, row, strict=True)) for row in rows]
        if iterable_class.__name__ == "ValuesListIterable":
            return rows
        raise ValueError(f"{iterable_class.__name__} rows are not supported")
