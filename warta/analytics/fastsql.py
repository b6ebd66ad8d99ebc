"""Bulk inserts and upserts without building model instances.

Rollups write hundreds of thousands of rows; Django's bulk_create spends most of that
time preparing each value of each instance. This writes plain tuples with
executemany, adapting only the column types rollups use. The same SQL
(INSERT ... ON CONFLICT ... DO UPDATE) runs on SQLite and PostgreSQL.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models, transaction


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, separators=(",", ":"))
    return None


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    batch: int = 1000,
) -> None:
    """INSERT rows (tuples in `fields` order); with `conflict`, update `update` columns."""
    if not rows:
        return
    meta = model._meta
    qn = connection.ops.quote_name
    cols = [meta.get_field(f) for f in fields]
    adapt = [(n, a) for n, f in enumerate(cols) if (a := _adapter(f)) is not None]  # type: ignore[arg-type]
    # Table and column names come from the model's meta, never from input.
    names = ", ".join(qn(c.column) for c in cols)  # type: ignore[union-attr,arg-type]
    marks = ", ".join(["%s"] * len(cols))
    sql = f"INSERT INTO {qn(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    if conflict:
        targets = ", ".join(qn(meta.get_field(f).column) for f in conflict)  # type: ignore[union-attr,arg-type]
        sets = ", ".join(
            f"{qn(meta.get_field(f).column)} = EXCLUDED.{qn(meta.get_field(f).column)}"  # type: ignore[union-attr,arg-type]
            for f in update
        )
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
    # One transaction: in autocommit every row would be its own commit (and fsync).
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, [_adapt(row, adapt) for row in rows[i : i + batch]])


def _adapt(row: Sequence[Any], adapt: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    out = list(row)
    for n, fn in adapt:
        if out[n] is not None:
            out[n] = fn(out[n])
    return out
