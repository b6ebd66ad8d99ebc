"""The moved-clock session of scripts/test: every test file under one of two clocks."""

from pathlib import Path

from conftest import clock_for

CLOCKS = ["+400d", "2027-08-17T10:30:00+08:00"]
ROOT = Path(__file__).resolve().parents[3]


def test_each_clock_takes_a_fair_share_of_the_test_files_and_the_same_one_each_run() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "warta").rglob("test_*.py"))
    chosen = [clock_for(f, CLOCKS) for f in files]
    assert chosen == [clock_for(f, CLOCKS) for f in files]
    for clock in CLOCKS:
        assert chosen.count(clock) >= 0.35 * len(files), clock
    assert clock_for(files[0], CLOCKS[:1]) == CLOCKS[0]
