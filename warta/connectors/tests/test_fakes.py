"""The fakes themselves: what other apps' tests and the publishing benchmark rely on."""

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from warta.connectors.base import PublishRequest, TransientError
from warta.connectors.fakes import FAKE_PLATFORMS, Fault


def test_every_platform_has_a_fake_and_a_connector(fake_platform):
    for platform in FAKE_PLATFORMS:
        fake = fake_platform(platform)
        assert fake.connector().account.base_url == fake.base_url


def test_it_serves_many_publishes_in_parallel_and_counts_duplicates(fake_platform):
    fake = fake_platform("mastodon", latency=0.05)
    # A generous timeout: on a loaded CI machine one answer among 200 took over 5 s, which
    # says nothing about the fake; the bound below still tells parallel from serial.
    connector = fake.connector(timeout=30)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=40) as pool:
        list(
            pool.map(
                lambda n: connector.publish(
                    PublishRequest(idempotency_key=f"k{n}", caption=f"Pos {n}")
                ),
                range(200),
            )
        )
    assert time.monotonic() - started < 8  # 200 x 50 ms serially would be 10 s
    assert fake.publish_counts.total() == 200 and fake.duplicates() == {}
    fake.record_publish(caption="Pos 1")
    assert fake.duplicates() == {"Pos 1": 2}


def test_it_injects_random_transient_errors_at_the_asked_rate(fake_platform):
    # 200 posts at once are over Telegram's flood limits: only the injected faults count here.
    fake = fake_platform("telegram", transient_error_rate=0.2, seed=7, rate_limits=False)
    connector = fake.connector()
    failures = 0
    for n in range(200):
        try:
            connector.publish(PublishRequest(idempotency_key=str(n), caption=f"t{n}"))
        except TransientError:
            failures += 1
    assert 20 <= failures <= 60
    assert fake.stats()["injected"] == {Fault.SERVER_ERROR: failures}


def test_it_reports_stats_and_takes_faults_over_http(fake_platform):
    fake = fake_platform("x")
    fake.connector().publish(PublishRequest(idempotency_key="k", caption="Halo"))
    assert httpx.get(f"{fake.base_url}/_fake/stats").json()["published"] == 1
    httpx.post(f"{fake.base_url}/_fake/fail", json={"kind": Fault.RATE_LIMIT, "path": "/2/tweets"})
    with pytest.raises(TransientError):
        fake.connector().publish(PublishRequest(idempotency_key="k2", caption="Lagi"))


def test_it_runs_as_a_process_for_benchmarks():
    process = subprocess.Popen(
        [sys.executable, "-m", "warta.connectors.fakes", "telegram", "--latency", "0.01"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        token = info["credentials"]["bot_token"]
        answer = httpx.post(f"{info['base_url']}/bot{token}/getMe").json()
        assert answer["ok"] is True
    finally:
        process.terminate()
        process.wait(timeout=5)
