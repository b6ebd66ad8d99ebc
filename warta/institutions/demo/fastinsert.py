"""Insert many rows of one model with one prepared statement (executemany).

Django's bulk_create compiles one large statement per batch and prepares every value
through several layers; for the province scale's millions of rows that was most of the
run time. Here the demo assigns primary keys itself (it writes alone, inside one
transaction, into tables it has just checked hold no demo data), converts only the
values whose type needs it, and resets PostgreSQL's identity sequences at the end.
"""

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models


class FastInserter:
    def __init__(self) -> None:
        self._next_pk: dict[type[models.Model], int] = {}

    def insert(self, model: type[models.Model], objs: list[models.Model]) -> None:
        if not objs:
            return
        connection = connections[DEFAULT_DB_ALIAS]  # looked up once, not per value
        meta = model._meta
        pk_name = meta.pk.attname  # type: ignore[union-attr]
        if model not in self._next_pk:
            last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
            self._next_pk[model] = (last or 0) + 1
        next_pk = self._next_pk[model]
        for obj in objs:
            setattr(obj, pk_name, next_pk)
            obj._state.adding = False
            next_pk += 1
        self._next_pk[model] = next_pk

        fields = list(meta.concrete_fields)
        relations = [f for f in fields if isinstance(f, models.ForeignKey)]
        for obj in objs:
            # Relations were set as objects before their rows had keys; copy the keys now.
            for f in relations:
                if getattr(obj, f.attname) is None:
                    related = f.get_cached_value(obj, None)
                    if related is not None:
                        setattr(obj, f.attname, related.pk)
        prepared = (
            models.DateField,
            models.UUIDField,
            models.JSONField,
            models.DecimalField,
            models.TimeField,
            models.BinaryField,
        )
        converters = [(f.attname, f if isinstance(f, prepared) else None) for f in fields]
        rows = []
        for obj in objs:
            row = []
            for attname, field in converters:
                value = getattr(obj, attname)
                if field is not None:
                    value = field.get_db_prep_save(value, connection)
                row.append(value)
            rows.append(row)
        qn = connection.ops.quote_name
        columns = ", ".join(qn(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        # Only quoted identifiers from the model's metadata go into the statement.
        sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])

    def finish(self) -> None:
        """Move identity sequences past the keys assigned here (PostgreSQL; no-op on SQLite)."""
        connection = connections[DEFAULT_DB_ALIAS]
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_pk))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
