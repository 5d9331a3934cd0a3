"""Query results as files: CSV and Parquet, built in memory (nothing touches the disk)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from warehouse.sql import QueryResult


def plain(value: object) -> object:
    """A JSON-friendly form of a DuckDB value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def to_json_rows(result: QueryResult) -> list[list[object]]:
    return [[plain(v) for v in row] for row in result.rows]


def cell_text(value: object) -> str:
    """How a value reads in a CSV cell or an HTML table."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_csv(result: QueryResult) -> bytes:
    """UTF-8 CSV with a header row (a BOM so spreadsheet programs read it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([cell_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_parquet(result: QueryResult) -> bytes:
    """A Parquet file of the rows; a column whose values Arrow cannot type is written as text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, names, seen = [], [], {}
    for i, name in enumerate(result.columns):
        values = [row[i] for row in result.rows]
        try:
            array = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
            array = pa.array([None if v is None else cell_text(v) for v in values], type=pa.string())
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name}_{count}")
        arrays.append(array)
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, names=names), buffer)
    return buffer.getvalue()
