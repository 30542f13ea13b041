"""The check that ARR at as_of_date, found straight from the events, is what the marts
report (tests/assert_arr_at_as_of_matches_the_events.sql): it passes on a build whose
subscriptions end on tied events, and it fails, naming the check, once a mart is made
wrong."""

from __future__ import annotations

import subprocess

import duckdb
import pytest

import oracle
from conftest import DBT, ROOT, dbt_build_command, run_dbt_build

CHECK = "assert_arr_at_as_of_matches_the_events"
VARS = {"as_of_date": "2024-06-30"}  # every event below has taken effect by then


def ev(event_id, customer, sub, etype, effective_at, amount=None, occurred_at=None,
       ingested_at=None):
    zero = etype == "subscription_canceled"
    return {
        "event_id": event_id, "customer_id": customer, "subscription_id": sub,
        "event_type": etype, "effective_at": effective_at,
        "occurred_at": occurred_at or effective_at, "ingested_at": ingested_at,
        "billing_period": None if zero else "month",
        "amount": None if zero else amount, "currency": None if zero else "USD",
    }


# Each subscription's last instant holds two or three events, and the event order
# decides which one's state holds: the later occurred_at (a: 300 a month), the later
# ingested_at (b: 50), the greater event_id (c: 70); d's cancellation ties with a
# change that occurred earlier, so d ends at 0. A wrong pick changes the ARR of A or B.
EVENTS = [
    ev("a1", "A", "a", "subscription_started", "2024-01-01", 100),
    ev("a2", "A", "a", "subscription_changed", "2024-03-01", 200, occurred_at="2024-02-10"),
    ev("a3", "A", "a", "subscription_changed", "2024-03-01", 300, occurred_at="2024-02-20"),
    ev("b1", "A", "b", "subscription_started", "2024-02-01", 40, ingested_at="2024-02-01"),
    ev("b3", "A", "b", "subscription_changed", "2024-04-01", 60, occurred_at="2024-03-01",
       ingested_at="2024-03-02"),
    ev("b2", "A", "b", "subscription_changed", "2024-04-01", 50, occurred_at="2024-03-01",
       ingested_at="2024-03-05"),
    ev("c1", "B", "c", "subscription_started", "2024-01-15", 10),
    ev("c8", "B", "c", "subscription_changed", "2024-05-01", 80, occurred_at="2024-04-01"),
    ev("c9", "B", "c", "subscription_changed", "2024-05-01", 70, occurred_at="2024-04-01"),
    ev("d1", "C", "d", "subscription_started", "2024-01-20", 90),
    ev("d2", "C", "d", "subscription_changed", "2024-06-01", 95, occurred_at="2024-05-01"),
    ev("d3", "C", "d", "subscription_canceled", "2024-06-01", occurred_at="2024-05-15"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build of EVENTS (its tests, the check among them, passing) and its raw folder."""
    base = tmp_path_factory.mktemp("arr_check")
    raw = oracle.write_raw_dir(
        base / "raw", subscription_events=EVENTS,
        customers=[{"customer_id": c, "segment": "SMB"} for c in "ABC"])
    db = base / "built.duckdb"
    run_dbt_build(raw, db, VARS)
    return raw, db, base


def _check_after(built, tag: str, tamper: str) -> subprocess.CompletedProcess:
    """The check run by `dbt test` on a copy of the built file in which the SQL tamper
    has been run, with the rows it fails on kept (--store-failures)."""
    raw, db, base = built
    copy = base / f"{tag}.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(tamper)
    cmd, env = dbt_build_command(raw, copy, base / tag, VARS)
    cmd = [str(DBT), "test", *cmd[2:cmd.index("--exclude")],
           "--select", CHECK, "--store-failures"]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True), copy


def _failures(copy) -> list[tuple]:
    with duckdb.connect(str(copy), read_only=True) as con:
        schema = con.execute(
            "select table_schema from information_schema.tables where table_name = ?",
            [CHECK]).fetchone()[0]
        return con.execute(
            f"select failed_check, customer_id, arr_from_events, arr_reported "
            f'from "{schema}"."{CHECK}" order by 1, 2').fetchall()


def test_the_check_passes_when_the_last_instant_holds_tied_events(built):
    _, db, _ = built
    with duckdb.connect(str(db), read_only=True) as con:
        arr = dict(con.execute(
            "select customer_id, sum(arr_change) from main.fct_arr_movements group by 1"
        ).fetchall())
        ending = con.execute(
            "select ending_arr from main.fct_arr_waterfall where period_grain = 'month' "
            "order by period_start desc limit 1").fetchone()[0]
    # a at 300 and b at 50 a month (A), c at 70 (B), d cancelled (C).
    assert {c: float(v) for c, v in arr.items()} == {"A": 4200.0, "B": 840.0, "C": 0.0}
    assert float(ending) == 5040.0


def test_the_check_fails_on_a_customer_whose_movements_miss_their_arr(built):
    proc, copy = _check_after(
        built, "movements",
        "update main.int_arr_movements_classified set arr_change = arr_change + 12, "
        "arr_after = arr_after + 12 where customer_id = 'B' and movement_type = 'new'")
    assert proc.returncode != 0, proc.stdout[-2000:]
    assert _failures(copy) == [("movements", "B", 840.0, 852.0)]


def test_the_check_fails_on_a_waterfall_that_ends_elsewhere(built):
    proc, copy = _check_after(
        built, "waterfall",
        "update main.fct_arr_waterfall set ending_arr = ending_arr - 1 "
        "where period_grain = 'month' and period_start = "
        "(select max(period_start) from main.fct_arr_waterfall)")
    assert proc.returncode != 0, proc.stdout[-2000:]
    assert _failures(copy) == [("waterfall_ending_arr", None, 5040.0, 5039.0)]
