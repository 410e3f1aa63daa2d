"""Queries over released tables with embedded DuckDB: filters, sorting and paging, never SQL
built from raw input.

A request's filters, sort and fields are parsed into `RowQuery` first: every column name must be
one of the table's own (then quoted as an identifier), every operator one of `OPERATORS`, and
every value is converted to the column's type in Python and passed as a bound parameter. Only
the Parquet path (our own storage, not input) is part of the statement text.

A released table is read from its version's DuckDB query store (written at upload next to the
Parquet file), opened read-only once per thread; how many rows match a filter is counted once
per version and remembered, so paging through one filter's results counts it once.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

#: Operator in the API → SQL operator. `contains` is a substring match; `in` takes a|b|c.
OPERATORS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
             "contains": "contains", "in": "in"}


MAX_TEXT = 100  # characters of a `q` text search


class QueryError(ValueError):
    """A bad filter, sort, field or page; the message is shown to the API client (400)."""


@dataclass(frozen=True)
class Condition:
    column: str
    op: str
    value: Any


@dataclass
class RowQuery:
    """A validated query: conditions, sort keys (column, descending), fields, limit, offset."""

    conditions: list[Condition] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    limit: int = 100
    offset: int = 0
    text: str = ""  # CKAN's `q`: rows where any column contains this text


@dataclass
class RowPage:
    fields: list[dict[str, str]]
    rows: list[dict[str, Any]]
    total: int


def _convert(value: str, field_type: str, column: str) -> Any:
    """Convert a filter value to the column's type, or raise QueryError."""
    try:
        if field_type == "integer" or field_type == "year":
            return int(value)
        if field_type == "number":
            return float(value)
        if field_type == "boolean":
            lowered = value.lower()
            if lowered in ("true", "1"):
                return True
            if lowered in ("false", "0"):
                return False
            raise ValueError(value)
        if field_type == "date":
            return dt.date.fromisoformat(value)
        if field_type == "datetime":
            return dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise QueryError(f"筛选值“{value}”不是“{column}”列需要的类型（{field_type}）。") from error
    return value


def parse_query(*, schema: Mapping[str, Any], filters: Sequence[str] = (),
                filter_map: Mapping[str, Any] | None = None, sort: str = "",
                fields: str = "", limit: str | int | None = None, offset: str | int | None = None,
                default_limit: int, max_limit: int, text: str = "") -> RowQuery:
    """Parse API parameters against a table's schema; raise QueryError with a message.

    `filters` are `column:op:value` strings (value may contain colons); `filter_map` is the CKAN
    form `{"column": value or [values]}` (equality, or `in` for a list).
    """
    types = {str(f["name"]): str(f.get("type", "string")) for f in schema.get("fields", [])}
    query = RowQuery(text=text.strip())
    if len(query.text) > MAX_TEXT:
        raise QueryError(f"检索词过长（不超过 {MAX_TEXT} 个字符）。")

    def known(column: str) -> str:
        if column not in types:
            raise QueryError(f"没有名为“{column}”的列。可用的列：{'、'.join(types)}")
        return column

    for spec in filters:
        parts = spec.split(":", 2)
        if len(parts) != 3:
            raise QueryError(f"筛选条件“{spec}”格式不正确，应为 列名:运算符:值，例如 地区:eq:东区。")
        column, op, raw = known(parts[0]), parts[1], parts[2]
        if op not in OPERATORS:
            raise QueryError(f"不支持的运算符“{op}”。可用：{'、'.join(OPERATORS)}")
        if op == "in":
            value: Any = [_convert(v, types[column], column) for v in raw.split("|")]
        elif op == "contains":
            value = raw
        else:
            value = _convert(raw, types[column], column)
        query.conditions.append(Condition(column, op, value))
    for column, raw_value in (filter_map or {}).items():
        column = known(str(column))
        if isinstance(raw_value, list):
            query.conditions.append(Condition(column, "in", [
                _convert(str(v), types[column], column) for v in raw_value]))
        else:
            query.conditions.append(Condition(column, "eq",
                                              _convert(str(raw_value), types[column], column)))
    for key in [k.strip() for k in sort.split(",") if k.strip()]:
        descending = key.startswith("-") or key.lower().endswith(" desc")
        name = key.removeprefix("-").removesuffix(" desc").removesuffix(" DESC")
        name = name.removesuffix(" asc").removesuffix(" ASC").strip()
        query.sort.append((known(name), descending))
    query.fields = [known(f.strip()) for f in fields.split(",") if f.strip()]
    query.limit = _bounded_int(limit, "limit", default=default_limit, low=0, high=max_limit)
    query.offset = _bounded_int(offset, "offset", default=0, low=0, high=None)
    return query


def _bounded_int(raw: str | int | None, name: str, *, default: int, low: int,
                 high: int | None) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError) as error:
        raise QueryError(f"{name} 须为整数。") from error
    if value < low or (high is not None and value > high):
        bound = f"{low}–{high}" if high is not None else f"不小于 {low}"
        raise QueryError(f"{name} 超出范围（{bound}）。")
    return value


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _where(conditions: Sequence[Condition], text: str = "",
           columns: Sequence[str] = ()) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if text and columns:
        clauses.append("(" + " OR ".join(f"contains(CAST({_ident(c)} AS VARCHAR), ?)"
                                         for c in columns) + ")")
        params += [text] * len(columns)
    for condition in conditions:
        column = _ident(condition.column)
        if condition.op == "in":
            marks = ", ".join("?" for _ in condition.value)
            clauses.append(f"{column} IN ({marks})")
            params += list(condition.value)
        elif condition.op == "contains":
            clauses.append(f"contains(CAST({column} AS VARCHAR), ?)")
            params.append(condition.value)
        else:
            clauses.append(f"{column} {OPERATORS[condition.op]} ?")
            params.append(condition.value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


#: The table inside a version's DuckDB query store (see ingest.write_query_store).
STORE_TABLE = "table_rows"
#: Query stores a thread keeps open (one per released version read recently).
OPEN_STORES = 8
#: Totals kept per process; a released version never changes, so a total never goes stale.
CACHED_TOTALS = 4096
#: The index of per-value row counts inside a query store: (column name, table of value, n).
COUNTED_COLUMNS = "counted_columns"
#: Columns with at most this many distinct values are counted per value at upload.
COUNTED_MAX_VALUES = 65536
#: Memory one DuckDB instance may use for its buffers (it spills or refuses beyond this).
MEMORY_LIMIT = "256MB"

_local = threading.local()
_totals: OrderedDict[tuple[Any, ...], int] = OrderedDict()
_totals_lock = threading.Lock()
_counted: OrderedDict[tuple[Any, ...], dict[str, str]] = OrderedDict()


def connection() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory DuckDB (Parquet metadata cached across queries)."""
    con = getattr(_local, "connection", None)
    if con is None:
        con = duckdb.connect(config={"threads": 2, "memory_limit": MEMORY_LIMIT})
        con.execute("SET parquet_metadata_cache = true")
        _local.connection = con
    return con


def store_path(parquet: Path) -> Path:
    """The DuckDB query store written next to a version's Parquet file."""
    return parquet.with_suffix(".duckdb")


def _open_store(parquet: Path) -> tuple[duckdb.DuckDBPyConnection, str, tuple[Any, ...]]:
    """A connection, the FROM clause and a cache key for one version's table.

    The version's DuckDB store (native columns, zone maps, no Parquet decoding per call) is
    opened read-only once per thread and kept while its file is unchanged; a version stored
    before query stores existed is read from its Parquet file.
    """
    store = store_path(parquet)
    try:
        stat = store.stat()
    except FileNotFoundError:
        return connection(), _source(parquet), (str(parquet),)
    key = (str(store), stat.st_ino, stat.st_mtime_ns)
    stores: OrderedDict[tuple[Any, ...], duckdb.DuckDBPyConnection] | None = getattr(
        _local, "stores", None)
    if stores is None:
        stores = _local.stores = OrderedDict()
    con = stores.get(key)
    if con is None:
        for old in [k for k in stores if k[0] == key[0]]:  # the same path, replaced
            stores.pop(old).close()
        con = duckdb.connect(str(store), read_only=True,
                             config={"threads": 2, "memory_limit": MEMORY_LIMIT})
        stores[key] = con
        while len(stores) > OPEN_STORES:
            stores.popitem(last=False)[1].close()
    else:
        stores.move_to_end(key)
    return con, STORE_TABLE, key


def _source(path: Path) -> str:
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def _counted_columns(con: duckdb.DuckDBPyConnection, store_key: tuple[Any, ...]) -> dict[str, str]:
    """Column → its per-value count table in one store (none in a store written before them,
    or when the table is read from Parquet)."""
    with _totals_lock:
        if store_key in _counted:
            return _counted[store_key]
    found: dict[str, str] = {}
    if len(store_key) == 3 and con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
            [COUNTED_COLUMNS]).fetchone() == (1,):
        found = {str(name): str(table) for name, table in
                 con.execute(f"SELECT name, table_name FROM {COUNTED_COLUMNS}").fetchall()}
    with _totals_lock:
        _counted[store_key] = found
        while len(_counted) > 4 * OPEN_STORES:
            _counted.popitem(last=False)
    return found


def counted_total(con: duckdb.DuckDBPyConnection, store_key: tuple[Any, ...],
                  query: RowQuery) -> tuple[str, list[Any]] | None:
    """The statement reading an exact total from the store's per-value counts, when the query
    is one `eq` or `in` condition on a counted column and no text search; else None."""
    if query.text or len(query.conditions) != 1:
        return None
    condition = query.conditions[0]
    if condition.op not in ("eq", "in"):
        return None
    table = _counted_columns(con, store_key).get(condition.column)
    if table is None:
        return None
    values = list(condition.value) if condition.op == "in" else [condition.value]
    marks = ", ".join("?" for _ in values)
    return f"SELECT coalesce(sum(n), 0) FROM {_ident(table)} WHERE value IN ({marks})", values


def _total(con: duckdb.DuckDBPyConnection, source: str, store_key: tuple[Any, ...],
           where: str, params: list[Any], counted: tuple[str, list[Any]] | None = None) -> int:
    """How many rows match, counted once per version and filter and then remembered; read
    from the store's per-value counts when `counted` (see counted_total) is given."""
    key = (store_key, where, tuple((type(p).__name__, p) for p in params))
    with _totals_lock:
        if key in _totals:
            _totals.move_to_end(key)
            return _totals[key]
    if counted is not None:
        row = con.execute(*counted).fetchone()
    else:
        row = con.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()
    total = int(row[0]) if row else 0
    with _totals_lock:
        _totals[key] = total
        while len(_totals) > CACHED_TOTALS:
            _totals.popitem(last=False)
    return total


def fetch_rows(path: Path, schema: Mapping[str, Any], query: RowQuery, *,
               with_total: bool = True) -> RowPage:
    """Run a validated query over one released table (its query store, else its Parquet)."""
    names = [str(f["name"]) for f in schema.get("fields", [])]
    chosen = query.fields or names
    types = {str(f["name"]): str(f.get("type", "string")) for f in schema.get("fields", [])}
    where, params = _where(query.conditions, query.text, names)
    order = ""
    if query.sort:
        order = " ORDER BY " + ", ".join(f"{_ident(c)} {'DESC' if d else 'ASC'}"
                                         for c, d in query.sort)
    columns = ", ".join(_ident(c) for c in chosen)
    con, source, store_key = _open_store(path)
    result = con.execute(f"SELECT {columns} FROM {source}{where}{order} LIMIT ? OFFSET ?",
                         [*params, query.limit, query.offset]).fetchall()
    total = -1
    if with_total:
        total = _total(con, source, store_key, where, params,
                       counted_total(con, store_key, query))
    dated = [i for i, c in enumerate(chosen) if types[c] in ("date", "datetime")]
    if dated:  # only date columns need converting (to ISO text); the rest is JSON already
        result = [tuple(_plain(v) if i in dated else v for i, v in enumerate(values))
                  for values in result]
    rows = [dict(zip(chosen, values, strict=True)) for values in result]
    return RowPage(fields=[{"id": c, "type": types[c]} for c in chosen], rows=rows, total=total)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def aggregate(path: Path, schema: Mapping[str, Any], *, x: str, ys: Sequence[str],
              limit: int) -> list[tuple[Any, list[float]]]:
    """Sum each y column per value of x (for charts), in x order, at most `limit` groups."""
    names = {str(f["name"]) for f in schema.get("fields", [])}
    for column in (x, *ys):
        if column not in names:
            raise QueryError(f"没有名为“{column}”的列。")
    sums = ", ".join(f"sum({_ident(y)})" for y in ys)
    try:
        con, source, _key = _open_store(path)
        result = con.execute(f"SELECT {_ident(x)}, {sums} FROM {source} "
                             "GROUP BY 1 ORDER BY 1 LIMIT ?", [limit]).fetchall()
    except duckdb.Error as error:
        raise QueryError(f"无法汇总：{error}") from error
    return [(_plain(row[0]), [float(v) if v is not None else 0.0 for v in row[1:]])
            for row in result]
