"""The inbox benchmark's page timings: filtered inbox pages through the real view."""

import time
from types import SimpleNamespace


def query_bench(world: SimpleNamespace, rounds: int) -> list[tuple[str, float, float]]:
    from django.db import connection
    from django.test import Client

    from warta.engagement.models import InboxItem

    # Planner statistics as production keeps them: autovacuum on PostgreSQL, the hourly
    # engagement task on SQLite.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        from warta.engagement.tasks import refresh_sqlite_statistics

        refresh_sqlite_statistics.call()
    # Some work in progress: a few items assigned, a few done.
    officer = world.officers[0]
    ids = list(
        InboxItem.objects.filter(agency__officers__user=officer).values_list("id", flat=True)[:2000]
    )
    InboxItem.objects.filter(id__in=ids[:1000]).update(assignee=officer, status="assigned")
    InboxItem.objects.filter(id__in=ids[1000:]).update(status="done")

    officer_client, coordinator_client = Client(), Client()
    officer_client.force_login(officer)
    coordinator_client.force_login(world.coordinator)
    channel = world.channels[3].pk
    cases = [
        ("officer: all", officer_client, ""),
        ("officer: open", officer_client, "status=open"),
        ("officer: complaints", officer_client, "annotation=intent:complaint"),
        ("officer: negative + new", officer_client, "annotation=negative&status=new"),
        (
            "officer: unassigned questions",
            officer_client,
            "assignee=none&annotation=intent:question",
        ),
        ("officer: mine", officer_client, "assignee=me"),
        ("officer: abusive", officer_client, "annotation=abusive"),
        ("officer: overdue", officer_client, "overdue=1"),
        ("officer: search 'drainase'", officer_client, "q=drainase"),
        ("coordinator: all", coordinator_client, ""),
        (
            "coordinator: information requests",
            coordinator_client,
            "annotation=intent:information_request",
        ),
        ("coordinator: one channel, open", coordinator_client, f"channel={channel}&status=open"),
        ("coordinator: spam", coordinator_client, "annotation=spam"),
    ]
    # An older page, reached by the keyset cursor of the first.
    from warta.engagement import selectors

    filters = selectors.InboxFilters(status="open")
    _items, cursor = selectors.inbox_list_page(officer, filters)
    cases.append(("officer: open, page 2", officer_client, f"status=open&before={cursor}"))
    from django.http import QueryDict

    users = {id(officer_client): officer, id(coordinator_client): world.coordinator}
    results = []
    for label, client, query in cases:
        times, query_times, cpu_times = [], [], []
        client.get(f"/interaksi/kotak-masuk/?{query}")  # warm-up, not timed
        for _round in range(rounds):
            url = f"/interaksi/kotak-masuk/?{query}"
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            # The database part alone: the same selector call the view makes.
            data = QueryDict(query)
            started = time.perf_counter()
            selectors.inbox_list_page(
                users[id(client)],
                selectors.InboxFilters.from_query(data),
                before=data.get("before", ""),
            )
            query_times.append((time.perf_counter() - started) * 1000)
        results.append(
            (
                label,
                p(times, 50),
                p(times, 95),
                p(query_times, 50),
                p(query_times, 95),
                p(cpu_times, 95),
            )
        )
    return results


def p(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * pct / 100) - 1)]
