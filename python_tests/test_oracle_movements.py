"""ARR movements and waterfalls: the oracle on hand-made examples, then the marts against
the oracle on generated scenarios of three sizes and every policy-var combination."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import oracle
from conftest import CASE_IDS, CASES, read_table

D = dt.date


def ev(event_id, customer, sub, etype, effective_at, amount=None, period="month",
       currency="USD", occurred_at=None, ingested_at=None, churn_reason=None):
    zero = etype in ("subscription_canceled", "subscription_paused", "canceled", "paused")
    return {
        "event_id": event_id, "customer_id": customer, "subscription_id": sub,
        "event_type": etype, "effective_at": effective_at,
        "occurred_at": occurred_at or effective_at, "ingested_at": ingested_at,
        "billing_period": None if zero else period,
        "amount": None if zero else amount, "currency": None if zero else currency,
        "churn_reason": churn_reason,
    }


def run(tmp_path, events, fx=(), customers=None, **vars):
    customers = customers or [
        {"customer_id": c, "segment": "SMB"} for c in sorted({e["customer_id"] for e in events})]
    raw = oracle.write_raw_dir(
        tmp_path / "raw", subscription_events=events, customers=customers,
        fx_rates=[{"rate_date": d, "currency": c, "rate_to_reporting": r} for d, c, r in fx])
    return oracle.run_oracle(raw, vars)


def mv_tuples(res):
    return [(r.customer_id, r.movement_date, r.movement_type, round(r.arr_before, 2),
             round(r.arr_after, 2)) for r in res.movements.itertuples()]


def wf_row(res, grain, start):
    wf = res.waterfall
    row = wf[(wf["period_grain"] == grain) & (wf["period_start"] == start)]
    assert len(row) == 1, wf
    return row.iloc[0]


# --------------------------------------------------------------------------------------
# The oracle on hand-made examples (answers computed by hand)
# --------------------------------------------------------------------------------------

# 100/month from 10 Jan, service ends 10 Mar, back at 150/month on 1 Jun.
WINBACK = [
    ev("e1", "A", "s1", "subscription_started", "2024-01-10T09:00:00Z", 100),
    ev("e2", "A", "s1", "subscription_canceled", "2024-03-10T00:00:00Z",
       occurred_at="2024-02-20T12:00:00Z", churn_reason="too expensive"),
    ev("e3", "A", "s2", "subscription_started", "2024-06-01", 150),
]


def test_oracle_new_churn_reactivation(tmp_path):
    res = run(tmp_path, WINBACK)
    assert res.as_of == D(2024, 6, 1)
    assert mv_tuples(res) == [
        ("A", D(2024, 1, 10), "new", 0, 1200),
        ("A", D(2024, 3, 10), "churn", 1200, 0),
        ("A", D(2024, 6, 1), "reactivation", 0, 1800),
    ]
    react = res.movements.iloc[2]
    assert react.days_since_churn == (D(2024, 6, 1) - D(2024, 3, 10)).days == 83
    assert list(res.movements["arr_change"]) == [1200, -1200, 1800]


def test_oracle_return_after_window_is_returning_new(tmp_path):
    # 10 Mar + 2 months = 10 May < 1 Jun: outside the window
    res = run(tmp_path, WINBACK, reactivation_window_months=2)
    last = res.movements.iloc[-1]
    assert (last.movement_type, last.is_returning_customer) == ("new", True)
    # 10 Mar + 3 months = 10 Jun >= 1 Jun: inside; no window at all: always inside
    assert run(tmp_path / "b", WINBACK, reactivation_window_months=3) \
        .movements.iloc[-1].movement_type == "reactivation"
    assert run(tmp_path / "c", WINBACK, reactivation_window_months=None) \
        .movements.iloc[-1].movement_type == "reactivation"


def test_oracle_window_clamps_at_month_end(tmp_path):
    events = [
        ev("e1", "A", "s1", "subscription_started", "2023-12-01", 10),
        ev("e2", "A", "s1", "subscription_canceled", "2024-01-31"),
        ev("e3", "A", "s1", "subscription_resumed", "2024-02-29", 10),
        ev("e4", "B", "t1", "subscription_started", "2023-12-01", 10),
        ev("e5", "B", "t1", "subscription_canceled", "2024-01-31"),
        ev("e6", "B", "t1", "subscription_resumed", "2024-03-01", 10),
    ]
    res = run(tmp_path, events, reactivation_window_months=1)
    last = res.movements.groupby("customer_id").tail(1).set_index("customer_id")
    assert last.loc["A", "movement_type"] == "reactivation"   # 31 Jan + 1 month = 29 Feb
    assert last.loc["B", "movement_type"] == "new"            # 1 Mar is a day late
    assert bool(last.loc["B", "is_returning_customer"])


def test_oracle_waterfall_months_quarters_year(tmp_path):
    res = run(tmp_path, WINBACK)
    months = res.waterfall[res.waterfall["period_grain"] == "month"]
    assert list(months["period_start"]) == [D(2024, m, 1) for m in range(1, 7)]
    jan = wf_row(res, "month", D(2024, 1, 1))
    assert (jan.starting_arr, jan.new_arr, jan.ending_arr, jan.new_customers) == (0, 1200, 1200, 1)
    assert pd.isna(jan.nrr) and pd.isna(jan.quick_ratio)
    mar = wf_row(res, "month", D(2024, 3, 1))
    assert (mar.starting_arr, mar.churned_arr, mar.ending_arr) == (1200, 1200, 0)
    assert (mar.nrr, mar.grr, mar.quick_ratio) == (0, 0, 0)
    assert (mar.starting_customers, mar.churned_customers, mar.ending_customers) == (1, 1, 0)
    apr = wf_row(res, "month", D(2024, 4, 1))
    assert apr.ending_arr == 0 and pd.isna(apr.nrr)
    jun = wf_row(res, "month", D(2024, 6, 1))
    assert jun.period_end == D(2024, 6, 1)   # capped at as_of
    assert (jun.reactivation_arr, jun.reactivated_customers, jun.ending_arr) == (1800, 1, 1800)
    q1 = wf_row(res, "quarter", D(2024, 1, 1))
    assert (q1.starting_arr, q1.new_arr, q1.churned_arr, q1.ending_arr) == (0, 1200, 1200, 0)
    y = wf_row(res, "year", D(2024, 1, 1))
    assert (y.new_arr, y.churned_arr, y.reactivation_arr, y.ending_arr, y.net_new_arr) == \
        (1200, 1200, 1800, 1800, 1800)
    assert y.quick_ratio == pytest.approx(3000 / 1200)


def test_oracle_same_day_changes_are_netted(tmp_path):
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100),
        ev("e2", "A", "s1", "plan_changed", "2024-02-01T08:00:00", 50),        # -600
        ev("e3", "A", "s2", "customer.subscription.created", "2024-02-01T17:00:00",
           240, period="annual"),                                             # +240
        ev("e4", "A", "s2", "subscription_changed", "2024-03-05", 180, period="quarterly"),
    ]
    res = run(tmp_path, events)
    assert mv_tuples(res) == [
        ("A", D(2024, 1, 1), "new", 0, 1200),
        ("A", D(2024, 2, 1), "contraction", 1200, 840),
        ("A", D(2024, 3, 5), "expansion", 840, 1320),
    ]
    feb = wf_row(res, "month", D(2024, 2, 1))
    assert feb.contraction_arr == 360 and feb.grr == pytest.approx(840 / 1200)


def test_oracle_month_grain_nets_within_month(tmp_path):
    events = [
        # B starts and leaves inside January: nothing at month-end snapshots
        ev("e1", "B", "b1", "subscription_started", "2024-01-05", 100),
        ev("e2", "B", "b1", "subscription_canceled", "2024-01-20"),
        ev("e3", "A", "s1", "subscription_started", "2024-01-10", 100),
        ev("e4", "A", "s1", "subscription_changed", "2024-02-03", 300),
        ev("e5", "A", "s1", "subscription_changed", "2024-02-20", 200),
        ev("e6", "A", "s1", "subscription_paused", "2024-04-15"),
        ev("e7", "A", "s1", "subscription_resumed", "2024-05-02", 200,
           occurred_at="2024-05-31"),
    ]
    res = run(tmp_path, events, movement_grain="month")
    assert mv_tuples(res) == [
        ("A", D(2024, 1, 1), "new", 0, 1200),
        ("A", D(2024, 2, 1), "expansion", 1200, 2400),
        ("A", D(2024, 4, 1), "churn", 2400, 0),
        ("A", D(2024, 5, 1), "reactivation", 0, 2400),
    ]
    assert res.movements.iloc[-1].days_since_churn == 30   # 1 Apr -> 1 May
    day = run(tmp_path / "day", events)
    assert [t[2] for t in mv_tuples(day) if t[0] == "B"] == ["new", "churn"]


def test_oracle_event_order_tie_breaks(tmp_path):
    # Same effective_at: later occurred_at wins; then later ingested_at; then event_id.
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100),
        ev("e3", "A", "s1", "subscription_changed", "2024-02-01", 300,
           occurred_at="2024-01-20T00:00:00Z"),
        ev("e2", "A", "s1", "subscription_changed", "2024-02-01", 200,
           occurred_at="2024-01-25T00:00:00Z"),          # later occurred_at -> 2400
        ev("e4", "A", "s1", "subscription_changed", "2024-03-01", 400,
           occurred_at="2024-02-25", ingested_at="2024-02-26"),
        ev("e5", "A", "s1", "subscription_changed", "2024-03-01", 500,
           occurred_at="2024-02-25", ingested_at="2024-02-27"),  # later ingested -> 6000
        ev("e7", "A", "s1", "subscription_changed", "2024-04-01", 10, occurred_at="2024-04-01"),
        ev("e6", "A", "s1", "subscription_changed", "2024-04-01", 20, occurred_at="2024-04-01"),
    ]  # e7 > e6 -> 120
    res = run(tmp_path, events)
    assert [t[4] for t in mv_tuples(res)] == [1200, 2400, 6000, 120]


def test_oracle_future_events_are_not_history(tmp_path):
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100),
        # asked on 15 Mar, service ends 1 May: after as_of (15 Mar) -> scheduled
        ev("e2", "A", "s1", "subscription_canceled", "2024-05-01", occurred_at="2024-03-15"),
    ]
    res = run(tmp_path, events)
    assert res.as_of == D(2024, 3, 15)
    assert [t[2] for t in mv_tuples(res)] == ["new"]
    assert res.customer_arr_at_as_of() == {"A": 1200}


def test_oracle_fx_revaluation_is_fx_impact_not_a_movement(tmp_path):
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100, currency="eur"),
        ev("e2", "B", "t1", "subscription_started", "2024-01-01", 50),
        ev("e3", "B", "t1", "subscription_changed", "2024-03-31", 50, occurred_at="2024-03-31"),
    ]
    fx = [("2023-12-31", "EUR", "1.10"), ("2024-02-15", "EUR", "1.20")]
    res = run(tmp_path, events, fx=fx)
    assert mv_tuples(res) == [("A", D(2024, 1, 1), "new", 0, 1320),
                              ("B", D(2024, 1, 1), "new", 0, 600)]
    feb = wf_row(res, "month", D(2024, 2, 1))
    assert feb.starting_arr == pytest.approx(1920)
    assert feb.ending_arr == pytest.approx(2040)
    assert feb.fx_impact == pytest.approx(120)
    assert feb.net_new_arr == pytest.approx(0)  # a revaluation is not new ARR
    assert wf_row(res, "month", D(2024, 3, 1)).fx_impact == 0
    # month grain: January's movement valued at the 31 Jan rate, Feb revaluation = fx
    res_m = run(tmp_path / "m", events, fx=fx, movement_grain="month")
    assert mv_tuples(res_m)[0] == ("A", D(2024, 1, 1), "new", 0, 1320)
    assert wf_row(res_m, "month", D(2024, 2, 1)).fx_impact == pytest.approx(120)
    assert wf_row(res_m, "quarter", D(2024, 1, 1)).fx_impact == pytest.approx(120)


def test_oracle_fx_movement_valued_at_the_day_rate(tmp_path):
    # Expansion on a day the rate moved: both sides at the new rate, the rest is fx.
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100, currency="EUR"),
        ev("e2", "A", "s1", "subscription_changed", "2024-02-15", 200, currency="EUR"),
    ]
    fx = [("2024-01-01", "EUR", "1.0"), ("2024-02-15", "EUR", "1.5")]
    res = run(tmp_path, events, fx=fx)
    assert mv_tuples(res)[1] == ("A", D(2024, 2, 15), "expansion", 1800, 3600)
    feb = wf_row(res, "month", D(2024, 2, 1))
    assert (feb.starting_arr, feb.expansion_arr, feb.fx_impact, feb.ending_arr) == \
        pytest.approx((1200, 1800, 600, 3600))


def test_oracle_missing_fx_rate_stops(tmp_path):
    events = [ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100, currency="GBP")]
    with pytest.raises(oracle.OracleError, match="GBP"):
        run(tmp_path, events, fx=[("2024-02-01", "GBP", "1.3")])


def test_oracle_segments_and_by_segment_waterfall(tmp_path):
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 100),
        ev("e2", "B", "t1", "subscription_started", "2024-01-05", 1000),
        ev("e3", "C", "u1", "subscription_started", "2024-01-07", 10),
    ]
    customers = [{"customer_id": "A", "segment": " Mid-Market "},
                 {"customer_id": "B", "segment": "Enterprise"}]   # C missing -> unknown
    res = run(tmp_path, events, customers=customers)
    assert dict(zip(res.movements.customer_id, res.movements.segment)) == \
        {"A": "mid_market", "B": "enterprise", "C": "unknown"}
    seg = res.waterfall_by_segment
    jan = seg[(seg.period_grain == "month")].set_index("segment")
    assert jan.loc["enterprise", "new_arr"] == 12000
    assert jan.loc["unknown", "ending_arr"] == 120


def test_oracle_free_plan_is_churn_and_trial_to_paid_is_new(tmp_path):
    events = [
        ev("e1", "A", "s1", "subscription_started", "2024-01-01", 0),     # trial
        ev("e2", "A", "s1", "subscription_changed", "2024-01-15", 100),   # paid: new
        ev("e3", "A", "s1", "subscription_changed", "2024-03-01", 0),     # free: churn
    ]
    res = run(tmp_path, events)
    assert [t[2] for t in mv_tuples(res)] == ["new", "churn"]


# --------------------------------------------------------------------------------------
# The oracle's own bridge closes (a self-check: fx is computed directly, not as residual)
# --------------------------------------------------------------------------------------

def test_oracle_bridge_closes_on_hand_examples(tmp_path):
    events = WINBACK + [
        ev("e9", "Z", "z1", "subscription_started", "2024-01-20", 70, currency="EUR"),
        ev("e10", "Z", "z1", "subscription_changed", "2024-04-20", 90, currency="EUR"),
    ]
    fx = [("2024-01-01", "EUR", "1.08"), ("2024-02-10", "EUR", "1.11"),
          ("2024-04-20", "EUR", "1.05"), ("2024-05-31", "EUR", "1.09")]
    for grain in ("day", "month"):
        res = run(tmp_path / grain, events, fx=fx, movement_grain=grain)
        assert not res.waterfall.fx_impact.eq(0).all()
        assert oracle.identity_problems(res.waterfall, grain) == []
        assert oracle.identity_problems(res.waterfall_by_segment, grain) == []
        assert oracle.continuity_problems(res.waterfall, grain) == []


# --------------------------------------------------------------------------------------
# The marts against the oracle on generated scenarios
# --------------------------------------------------------------------------------------

def _fail(problems):
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.mark.parametrize("size,key", CASES, ids=CASE_IDS)
def test_oracle_bridge_closes_on_scenarios(scenarios, size, key):
    """Self-check of the oracle: its directly computed fx closes every bridge."""
    res = scenarios.oracle(size, key)
    _fail(oracle.identity_problems(res.waterfall, "oracle waterfall")
          + oracle.identity_problems(res.waterfall_by_segment, "oracle by segment")
          + oracle.continuity_problems(res.waterfall, "oracle waterfall"))


@pytest.mark.parametrize("size,key", CASES, ids=CASE_IDS)
def test_movements_match_oracle(scenarios, size, key):
    res = scenarios.oracle(size, key)
    assert len(res.movements) > 0, "no movements: the comparison would prove nothing"
    mart = read_table(scenarios.db(size, key), "fct_arr_movements")
    _fail(oracle.movement_problems(res.movements, mart, f"fct_arr_movements [{size}/{key}]"))


@pytest.mark.parametrize("size,key", CASES, ids=CASE_IDS)
def test_waterfall_matches_oracle(scenarios, size, key):
    res = scenarios.oracle(size, key)
    mart = read_table(scenarios.db(size, key), "fct_arr_waterfall")
    label = f"fct_arr_waterfall [{size}/{key}]"
    assert set(mart.period_grain) == {"month", "quarter", "year"}
    _fail(oracle.identity_problems(mart, label) + oracle.continuity_problems(mart, label)
          + oracle.waterfall_problems(res.waterfall, mart, label))


@pytest.mark.parametrize("size,key", CASES, ids=CASE_IDS)
def test_waterfall_by_segment_matches_oracle(scenarios, size, key):
    res = scenarios.oracle(size, key)
    mart = read_table(scenarios.db(size, key), "fct_arr_waterfall_by_segment")
    label = f"fct_arr_waterfall_by_segment [{size}/{key}]"
    assert set(mart.segment) <= {"enterprise", "mid_market", "smb", "unknown"}
    _fail(oracle.identity_problems(mart, label)
          + oracle.waterfall_problems(res.waterfall_by_segment, mart, label, by_segment=True))
