"""The rows API reads a released version's DuckDB query store, falls back to its Parquet file,
and remembers how many rows a filter matches per version."""

from __future__ import annotations

from typing import Any

from govsites.opendata import query, storage
from govsites.opendata.models import ResourceVersion
from govsites.opendata.query import RowQuery, fetch_rows, parse_query


def rows(client: Any, dataset: Any, params: str) -> Any:
    return client.get(f"/api/v1/datasets/{dataset.pk}/rows?{params}")


def only_version(dataset: Any) -> ResourceVersion:
    return ResourceVersion.objects.get(dataset=dataset)


def test_an_upload_keeps_a_query_store_and_rows_are_read_from_it(client: Any,
                                                                  released: Any) -> None:
    version = only_version(released)
    assert storage.store_path(version).exists()
    storage.parquet_path(version).unlink()  # with the Parquet file gone, only the store answers
    body = rows(client, released, "filter=地区:eq:东区&sort=-年份").json()
    assert body["total"] == 2
    assert [(r["年份"], r["地区"]) for r in body["rows"]] == [(2024, "东区"), (2023, "东区")]


def test_a_version_without_a_query_store_is_read_from_its_parquet_file(client: Any,
                                                                       released: Any) -> None:
    version = only_version(released)
    storage.store_path(version).unlink()
    body = rows(client, released, "filter=地区:eq:西区&fields=人口").json()
    assert body["total"] == 2 and sorted(r["人口"] for r in body["rows"]) == [9, 10]


def test_the_query_store_keeps_the_uploaded_row_order_for_offset_paging(
        client: Any, released: Any) -> None:
    pages = [rows(client, released, f"limit=1&offset={n}&fields=年份,地区").json()["rows"][0]
             for n in range(4)]
    assert [(p["年份"], p["地区"]) for p in pages] == [
        (2023, "东区"), (2023, "西区"), (2024, "东区"), (2024, "西区")]


def test_a_held_table_keeps_no_query_store(bureau: Any) -> None:
    dataset = bureau.dataset()
    result = bureau.upload(dataset, "姓名,手机\n王某,13812345678\n", name="名单")
    assert result.held
    assert not storage.store_path(result.version).exists()


class CountingConnection:
    """A DuckDB connection that counts the counting statements it runs."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.counts = 0

    def execute(self, sql: str, params: Any = None) -> Any:
        if sql.startswith("SELECT count(*)"):
            self.counts += 1
        return self.inner.execute(sql, params)


def test_a_filter_total_is_counted_once_per_version_and_filter(released: Any) -> None:
    version = only_version(released)
    con, source, key = query._open_store(storage.parquet_path(version))
    spy = CountingConnection(con)

    def total(store_key: Any, *filters: str) -> int:
        parsed = parse_query(schema=version.table_schema, filters=filters, default_limit=100,
                             max_limit=1000)
        return query._total(spy, source, store_key,  # type: ignore[arg-type]
                            *query._where(parsed.conditions))

    assert [total(key, "地区:eq:东区") for _ in range(3)] == [2, 2, 2]
    assert spy.counts == 1
    assert total(key, "地区:eq:北区") == 0 and spy.counts == 2  # another filter
    assert total((*key, "another version"), "地区:eq:东区") == 2 and spy.counts == 3


def test_paging_through_one_filter_keeps_its_total(released: Any) -> None:
    version = only_version(released)
    parquet = storage.parquet_path(version)

    def page(offset: int) -> Any:
        parsed: RowQuery = parse_query(schema=version.table_schema, filters=["地区:in:东区|西区"],
                                       limit=1, offset=offset, default_limit=100, max_limit=1000)
        return fetch_rows(parquet, version.table_schema, parsed)

    pages = [page(n) for n in range(4)]
    assert {p.total for p in pages} == {4}
    assert len({(p.rows[0]["年份"], p.rows[0]["地区"]) for p in pages}) == 4


def _spied_total(version: Any, *filters: str) -> tuple[int, int]:
    """The total of a filter through fetch_rows' path, and how many count(*) scans it ran."""
    con, source, key = query._open_store(storage.parquet_path(version))
    spy = CountingConnection(con)
    parsed = parse_query(schema=version.table_schema, filters=filters, default_limit=100,
                         max_limit=1000)
    counted = query.counted_total(con, key, parsed)
    total = query._total(spy, source, key,  # type: ignore[arg-type]
                         *query._where(parsed.conditions), counted)
    return total, spy.counts


def test_an_equality_total_is_read_from_the_stores_per_value_counts_not_a_scan(
        released: Any) -> None:
    version = only_version(released)
    assert _spied_total(version, "地区:eq:东区") == (2, 0)
    assert _spied_total(version, "年份:in:2023|2024|2023") == (4, 0)
    assert _spied_total(version, "人口:eq:12") == (1, 0)
    assert _spied_total(version, "地区:eq:北区") == (0, 0)  # a value the table lacks


def test_totals_the_counts_cannot_answer_are_still_counted_exactly(released: Any) -> None:
    version = only_version(released)
    assert _spied_total(version, "地区生产总值:eq:80.25") == (1, 1)  # floating point
    assert _spied_total(version, "地区:eq:东区", "年份:eq:2024") == (1, 1)  # two conditions
    assert _spied_total(version, "人口:gt:9") == (3, 1)  # not equality


def test_a_store_written_before_per_value_counts_still_answers_exact_totals(
        client: Any, released: Any) -> None:
    import duckdb

    version = only_version(released)
    with duckdb.connect(str(storage.store_path(version))) as con:
        con.execute(f"DROP TABLE {query.COUNTED_COLUMNS}")
    assert _spied_total(version, "年份:eq:2024") == (2, 1)
    body = rows(client, released, "filter=地区:eq:西区").json()
    assert body["total"] == 2 and len(body["rows"]) == 2
