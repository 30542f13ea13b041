"""Property tests: small random event histories, built with dbt, must keep the ARR bridge's
invariants and agree with the oracle.

Each example runs a real `dbt build`, so there are few of them (WINBACK_PROPERTY_EXAMPLES,
default 8), with a fixed derandomised seed for a reproducible CI and no shrinking (every
shrink step would be another build): a failure prints the whole history instead.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

import oracle
from conftest import REVENUE_SELECT, read_table, run_dbt_build

BASE = dt.datetime(2023, 1, 1)
AMOUNTS = [0, 10, 25, 49.99, 100, 1000]
RATES = [0.85, 0.9, 1.1, 1.175, 1.3]
EXAMPLES = int(os.environ.get("WINBACK_PROPERTY_EXAMPLES", "8"))


def _iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


@st.composite
def histories(draw):
    """1-3 customers, 1-2 subscriptions each, a handful of events each, in USD and
    optionally EUR with a small rate table; plus the policy vars to build with."""
    use_eur = draw(st.booleans())
    events, customers = [], []
    n = 0
    for k in range(draw(st.integers(1, 3))):
        cid = f"C{k + 1}"
        seg = draw(st.sampled_from(["enterprise", "Mid-Market", "SMB", None]))
        if seg is not None:  # None: the account is missing from customers.csv
            customers.append({"customer_id": cid, "customer_name": f"Name {k}",
                              "email": f"c{k}@example.com", "segment": seg, "country": "US",
                              "created_at": "2022-06-01"})
        for s in range(draw(st.integers(1, 2))):
            sid = f"{cid}-S{s + 1}"
            cur = draw(st.sampled_from(["USD", "EUR"])) if use_eur else "USD"
            period = draw(st.sampled_from(["month", "quarter", "year", "monthly", "Annual"]))
            t = BASE + dt.timedelta(days=draw(st.integers(0, 200)), hours=draw(st.integers(0, 23)))
            active = False
            for j in range(draw(st.integers(1, 5))):
                if j > 0:  # gap 0 puts two changes on one day (they must net)
                    t += dt.timedelta(days=draw(st.integers(0, 120)),
                                      hours=draw(st.integers(0, 3)))
                if j == 0:
                    etype = "subscription_started"
                elif active:
                    etype = draw(st.sampled_from(["subscription_changed", "renewed",
                                                  "cancelled", "subscription_paused"]))
                else:
                    etype = draw(st.sampled_from(["subscription_resumed", "subscription_started",
                                                  "plan_changed"]))
                ends = etype in ("cancelled", "subscription_paused")
                # a cancellation is asked for before the service ends
                occurred = t - dt.timedelta(days=draw(st.integers(0, 40))) if ends else t
                n += 1
                events.append({
                    "event_id": f"E{n:03d}", "customer_id": cid, "subscription_id": sid,
                    "event_type": etype, "effective_at": _iso(t), "occurred_at": _iso(occurred),
                    "plan_id": "p", "billing_period": "" if ends else period,
                    "amount": "" if ends else str(draw(st.sampled_from(AMOUNTS))),
                    "currency": "" if ends else cur,
                    "churn_reason": draw(st.sampled_from(["", "too expensive", "Budget freeze"]))
                    if ends else "",
                    "ingested_at": _iso(occurred + dt.timedelta(hours=1)),
                })
                active = not ends
    fx = []
    if use_eur:
        fx.append({"rate_date": "2022-12-01", "currency": "EUR", "rate_to_reporting": "1.08"})
        for off in sorted(draw(st.sets(st.integers(1, 500), max_size=4))):
            fx.append({"rate_date": (BASE + dt.timedelta(days=off)).date().isoformat(),
                       "currency": "EUR", "rate_to_reporting": str(draw(st.sampled_from(RATES)))})
    vars = {"movement_grain": draw(st.sampled_from(["day", "month"])),
            "reactivation_window_months": draw(st.sampled_from([1, 3, 24, None]))}
    return events, customers, fx, vars


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(histories())
def test_random_histories_keep_invariants_and_match_oracle(history):
    events, customers, fx, vars = history
    described = "\n".join([f"vars={vars}", f"fx={fx}", f"customers={customers}", "events:"]
                          + [str({k: v for k, v in e.items() if v}) for e in events])
    note(described)
    work = Path(tempfile.mkdtemp(prefix="winback_prop_"))  # kept when the example fails
    raw = oracle.write_raw_dir(work / "raw", subscription_events=events,
                               customers=customers, fx_rates=fx)
    db = work / "out.duckdb"
    try:
        run_dbt_build(raw, db, vars, select=REVENUE_SELECT)
    except pytest.fail.Exception as exc:  # an AssertionError lets hypothesis report it
        raise AssertionError(f"{exc}\n\n{described}") from None
    mv = read_table(db, "fct_arr_movements")
    wf = read_table(db, "fct_arr_waterfall")
    wfs = read_table(db, "fct_arr_waterfall_by_segment")
    res = oracle.run_oracle(raw, vars)

    problems = []
    # 1. every waterfall row's bridge closes; 2. months chain start to end
    problems += oracle.identity_problems(wf, "fct_arr_waterfall")
    problems += oracle.identity_problems(wfs, "fct_arr_waterfall_by_segment")
    problems += oracle.continuity_problems(wf[wf.period_grain == "month"], "months")
    # 3. a customer's movements add up to their ARR at as_of. Exact only while the
    #    customer's ARR is all in the reporting currency (otherwise revaluation, which is
    #    fx_impact and never a movement, separates the two).
    eur_customers = {e["customer_id"] for e in events if e["currency"] == "EUR"}
    summed = mv.groupby("customer_id")["arr_change"].sum().astype(float).to_dict()
    for cust, arr in res.customer_arr_at_as_of().items():
        if cust not in eur_customers and abs(summed.get(cust, 0.0) - arr) > 0.01:
            problems.append(f"{cust}: movements sum to {summed.get(cust, 0.0)} but the "
                            f"ARR at as_of {res.as_of} is {arr}")
    # 4. the marts agree with the oracle
    problems += oracle.movement_problems(res.movements, mv, "fct_arr_movements")
    problems += oracle.waterfall_problems(res.waterfall, wf, "fct_arr_waterfall")
    problems += oracle.waterfall_problems(res.waterfall_by_segment, wfs,
                                          "fct_arr_waterfall_by_segment", by_segment=True)
    assert not problems, f"raw files kept at {raw}\n{described}\n\n" + "\n\n".join(problems)
    shutil.rmtree(work, ignore_errors=True)


def test_histories_strategy_makes_valid_oracle_input(tmp_path):
    """The strategy itself (without dbt): its histories are accepted whole by the oracle."""
    from hypothesis import find

    for i, grain in enumerate(("day", "month")):
        events, customers, fx, vars = find(
            histories(), lambda h: len(h[0]) >= 6 and h[3]["movement_grain"] == grain
            and any(e["currency"] == "EUR" for e in h[0]))
        raw = oracle.write_raw_dir(tmp_path / str(i), subscription_events=events,
                                   customers=customers, fx_rates=fx)
        res = oracle.run_oracle(raw, vars)
        assert res.staged.rejected.empty
        assert len(res.staged.accepted) == len(events)
