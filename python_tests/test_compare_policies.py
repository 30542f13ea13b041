"""`make compare-policies`: two presets on the same raw data, every difference of the
monthly waterfall attributed to the one rule that causes it.

A hand-made folder where winback and stripe differ in two rules, each on one customer:
A asks on 10 February 2024 to cancel at the end of the paid period (5 March): stripe
counts the churn in February. B churned on 20 January 2023 and comes back on 1 March
2025, more than 24 months later: new (returning) under winback, a reactivation under
stripe, which counts any return.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import duckdb

import oracle
from conftest import ROOT
from test_oracle_movements import ev

D = dt.date

EVENTS = [
    ev("a1", "A", "sa", "subscription_started", "2024-01-05T00:00:00Z", 100),
    ev("a2", "A", "sa", "subscription_canceled", "2024-03-05T00:00:00Z",
       occurred_at="2024-02-10T12:00:00Z"),
    ev("b1", "B", "sb", "subscription_started", "2022-06-01T00:00:00Z", 50),
    ev("b2", "B", "sb", "subscription_canceled", "2023-01-20T00:00:00Z"),
    ev("b3", "B", "sb2", "subscription_started", "2025-03-01T00:00:00Z", 200),
]


def test_each_difference_is_attributed_to_its_rule(tmp_path):
    raw = oracle.write_raw_dir(
        tmp_path / "raw", subscription_events=EVENTS,
        customers=[{"customer_id": c, "segment": "SMB"} for c in ("A", "B")])
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compare_policies.py"), "--from", "winback",
         "--to", "stripe", "--raw", str(raw), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert ("rules that differ: cancellation_recognition period_end -> request, "
            "reactivation_rule within_months -> any") in proc.stdout

    con = duckdb.connect(str(out / "policy_comparison.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select rule, month, movement_type, customers_before, customers_after, "
            "arr_before, arr_after, arr_difference, explanation "
            "from policy_comparison order by step, month, movement_type").fetchall()
    finally:
        con.close()
    assert rows == [
        # A's churn of 1,200 moves from March to February
        ("cancellation_recognition", D(2024, 2, 1), "churn", 0, 1, 0.0, 1200.0, 1200.0,
         "1 moved from 2024-03 (1,200)"),
        ("cancellation_recognition", D(2024, 3, 1), "churn", 1, 0, 1200.0, 0.0, -1200.0,
         "1 moved to 2024-02 (-1,200)"),
        # B's return of 2,400 is a reactivation instead of new
        ("reactivation_rule", D(2025, 3, 1), "new", 1, 0, 2400.0, 0.0, -2400.0,
         "1 now counted as reactivation (-2,400)"),
        ("reactivation_rule", D(2025, 3, 1), "reactivation", 0, 1, 0.0, 2400.0, 2400.0,
         "1 counted as new before (2,400)"),
    ]
    assert (out / "policy_comparison.csv").read_text().count("\n") == len(rows) + 1
