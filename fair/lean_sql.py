"""Fixed SQL for the hot paths (a badge scan, a forum vote): the one layer of Fairlead that
reads and writes model rows without compiling ORM queries.

Why: on the 2-core fair server compiling a query through the ORM costs more CPU than
PostgreSQL spends on running it (a ``select_related`` of the device, its exhibitor and fair:
about 0.9 ms of compilation against 0.1 ms for the query), and a scan or a vote is little
else. ``bench/scan_load.py --without-lean-sql`` measures the scan path with and without it in
one run (``bench/scan_without_lean_sql.patch`` is the ORM version), ``bench/voting.py`` the
votes; the figures are in bench/README.md. Everything off these paths uses the ORM.

What: ``LeanSelect`` (a fixed SELECT over one or more models that returns ordinary model
instances, the database converters applied exactly as the ORM applies them), ``rows_insert``
(``INSERT … RETURNING id`` for one or many new rows) and ``rows_update`` (one ``UPDATE … FROM``
for many rows). Callers cannot tell the instances from the ORM's.

On PostgreSQL a list of values is one array parameter (``= ANY(%s)``, ``unnest(%s, …)``), not
a placeholder per value: the statement's text stays the same whatever the number of rows, so
psycopg converts its placeholders once (a 500-row insert with one ``%s`` per value took 35 ms
of the driver's parsing, every time) and PostgreSQL can prepare it. SQLite, which has no
arrays, gets a placeholder per value.

The Django internals this relies on (``tests/fair/test_lean_sql.py`` fails when one of them
changes): ``django.db.models.sql.Query(None)`` with ``connection.ops.compiler("SQLCompiler")``
and its ``get_converters``/``apply_converters``; ``Field.get_col``; ``Model.from_db``;
``Field.pre_save``/``get_db_prep_save`` and ``Model._state``. Only quoted identifiers from
``Model._meta`` are ever put into SQL text; every value is a parameter.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.sql import Query

# A part of a LeanSelect: (table alias, model, names of the fields to load).
Part = tuple[str, type[Model], Sequence[str]]


def _column(field: "Field[Any, Any]") -> str:
    if field.column is None:  # only fields without a column (none used here) lack one
        raise ValueError(f"{field} has no column")
    return field.column


class LeanSelect:
    """``SELECT <the parts' columns> FROM <tail>``, each row as one instance per part.

    ``tail`` may name tables as ``{<model name>}`` (the parts' models and ``tables``) and
    test a value against a list as ``{<name>_in}`` (``WHERE l.id {ids_in}``): its parameter is
    a Python ``list``, sent as one array (``= ANY(%s)``) on PostgreSQL and as ``IN (%s, …)``
    with a placeholder per value elsewhere (an empty list matches nothing). Only the listed
    fields are loaded, the others are deferred as with ``only()``; a part whose primary key is
    NULL (no row of a LEFT JOIN) gives None. ``extra`` are further SQL expressions (same
    placeholders for tables), whose values follow the instances in each row as the driver
    returns them. ``head`` is SQL put before the SELECT, e.g. ``WITH charge AS (…)``, with the
    same table placeholders as ``tail`` (its parameters come first).
    """

    def __init__(
        self,
        parts: Sequence[Part],
        tail: str,
        tables: Mapping[str, type[Model]] | None = None,
        extra: Sequence[str] = (),
        head: str = "",
    ):
        self.parts = [
            (alias, model, [f for f in model._meta.concrete_fields if f.name in names])
            for alias, model, names in parts
        ]
        self.tail = tail
        self.extra = extra
        self.head = head
        self.tables = {model._meta.model_name or "": model for _alias, model, _names in parts}
        self.tables.update(tables or {})
        self._compiled: dict[tuple[str, tuple[int, ...] | None], tuple[str, Any, Any]] = {}

    def _compile(self, using: str, lengths: tuple[int, ...] | None) -> tuple[str, Any, Any]:
        """The statement with its list tests for lists of ``lengths`` (in the order of their
        parameters; None where every list is one array parameter)."""
        key = (using, lengths)
        if key not in self._compiled:
            connection = connections[using]
            quote = connection.ops.quote_name
            columns = [
                f"{alias}.{quote(_column(field))}"
                for alias, _model, fields in self.parts
                for field in fields
            ]
            names = _Names(
                {name: quote(model._meta.db_table) for name, model in self.tables.items()}
            )
            columns += [expression.format_map(names) for expression in self.extra]
            head, tail = self.head.format_map(names), self.tail.format_map(names)
            sql = _list_tests_fill(
                f"{head}SELECT {', '.join(columns)} FROM {tail}",  # noqa: S608
                lengths,
            )
            expressions: list[Any] = [
                field.get_col(alias) for alias, _model, fields in self.parts for field in fields
            ]
            compiler = connection.ops.compiler("SQLCompiler")(Query(None), connection, using)
            self._compiled[key] = (sql, compiler, compiler.get_converters(expressions))
        return self._compiled[key]

    def rows(
        self,
        params: Sequence[Any],
        *,
        model: type[Model],
        for_update: bool = False,
    ) -> list[list[Any]]:
        using = router.db_for_write(model) if for_update else router.db_for_read(model)
        connection = connections[using]
        lengths = None
        if not _arrays(connection):
            lengths = tuple(len(value) for value in params if isinstance(value, list))
            params = [
                item for value in params for item in (value if isinstance(value, list) else [value])
            ]
        sql, compiler, converters = self._compile(using, lengths)
        if for_update and connection.features.has_select_for_update:
            sql += " FOR UPDATE"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in compiler.apply_converters(rows, converters)]
        result = []
        for row in rows:
            position, instances = 0, []
            for _alias, part_model, fields in self.parts:
                values = row[position : position + len(fields)]
                position += len(fields)
                instance = None
                if values[0] is not None:  # the primary key comes first
                    instance = part_model.from_db(using, [f.attname for f in fields], values)
                instances.append(instance)
            result.append(instances + list(row[position:]))
        return result


def _arrays(connection: Any) -> bool:
    """Whether lists go to ``connection`` as one array parameter each."""
    return connection.vendor == "postgresql"


# Where a ``{<name>_in}`` list test goes, until ``_list_tests_fill`` knows the list lengths
# (a NUL byte never occurs in the SQL around it).
_LIST_TEST = "\x00in\x00"


class _Names(dict[str, str]):
    """``str.format_map`` names: the quoted tables, and ``<name>_in`` as a list test's place."""

    def __missing__(self, key: str) -> str:
        if key.endswith("_in"):
            return _LIST_TEST
        raise KeyError(key)


def _list_tests_fill(sql: str, lengths: tuple[int, ...] | None) -> str:
    """``sql`` with its list tests as ``= ANY(%s)`` (``lengths`` None: arrays) or as
    ``IN (%s, …)`` for the lists' ``lengths``, in the order of their parameters."""
    pieces = sql.split(_LIST_TEST)
    if lengths is None:
        return "= ANY(%s)".join(pieces)
    if len(lengths) != len(pieces) - 1:
        raise ValueError(f"{len(pieces) - 1} list tests for {len(lengths)} list parameters")
    tests = [f"IN ({', '.join(['%s'] * n)})" if n else "IN (NULL)" for n in lengths]
    return "".join(piece + test for piece, test in zip(pieces, [*tests, ""], strict=True))


def _arrays_source(connection: Any, fields: Sequence["Field[Any, Any]"]) -> str:
    """PostgreSQL: rows of ``fields``' values from one typed array per field, as ``v``'s
    ``column1, column2, …``."""
    arrays = ", ".join(f"CAST(%s AS {field.db_type(connection)}[])" for field in fields)
    names = ", ".join(f"column{n}" for n in range(1, len(fields) + 1))
    return f"unnest({arrays}) AS v({names})"


def _values(columns: int, rows: int) -> str:
    """``(%s, %s), (%s, %s)`` for a VALUES list of ``rows`` rows."""
    row = f"({', '.join(['%s'] * columns)})"
    return ", ".join([row] * rows)


def _rows_params(connection: Any, rows: list[list[Any]]) -> list[Any]:
    """The parameters for ``rows`` of values: one list per column for ``_arrays_source``,
    else the values row by row."""
    if _arrays(connection):
        return [list(column) for column in zip(*rows, strict=True)]
    return [value for row in rows for value in row]


def rows_insert(objs: Sequence[Model]) -> None:
    """Insert new rows for ``objs`` (all of one model) as ``save()`` would, in one statement,
    and set their primary keys (no model signals are sent)."""
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # Both databases insert the rows in the order of the source and return them as inserted.
    source = f"VALUES {_values(len(fields), len(objs))}"
    if _arrays(connection):
        source = f"SELECT v.* FROM {_arrays_source(connection, fields)}"  # noqa: S608
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(_column(field)) for field in fields)}) {source} "
        f"RETURNING {quote(_column(model._meta.pk))}"
    )
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, _rows_params(connection, rows))
        keys = cursor.fetchall()
    for obj, (key,) in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = using


def rows_update(objs: Iterable[Model], names: Sequence[str]) -> None:
    """Write the fields ``names`` of ``objs`` (of one model, saved before) with the values they
    hold: one ``UPDATE … FROM`` for all of them (PostgreSQL, SQLite ≥ 3.33)."""
    objs = list(objs)
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    pk = model._meta.pk
    fields: list[Field[Any, Any]] = [pk, *(model._meta.get_field(name) for name in names)]  # type: ignore[list-item]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # VALUES columns are called column1, column2, … in SQLite too; it needs no casts (and
    # would turn a text date cast to "datetime" into a number).
    source = f"(VALUES {_values(len(fields), len(objs))}) AS v"
    if _arrays(connection):
        source = _arrays_source(connection, fields)
    sql = (
        f"UPDATE {table} SET "  # noqa: S608
        + ", ".join(
            f"{quote(_column(field))} = v.column{n}" for n, field in enumerate(fields[1:], 2)
        )
        + f" FROM {source}"
        + f" WHERE {table}.{quote(_column(pk))} = v.column1"
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, _rows_params(connection, rows))
