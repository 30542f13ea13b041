"""The policy vars (billing-analytics vendors' counting rules) in the pandas oracle, on
tiny hand-written histories. No dbt build: every expected number is worked out by hand
in the comment next to it, so these pin down what the oracle means by each rule value
before the marts are compared with it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import oracle
from test_oracle_movements import ev, mv_tuples
from test_oracle_reactivation import ReactivationOracle, reactivation_rate, \
    usage_reactivation_rate

D = dt.date


def build(tmp_path, events, fx=(), **vars):
    """(oracle result, raw folder) for events, every customer in segment smb."""
    raw = oracle.write_raw_dir(
        tmp_path / "raw", subscription_events=events,
        customers=[{"customer_id": c, "segment": "SMB"}
                   for c in sorted({e["customer_id"] for e in events})],
        fx_rates=[{"rate_date": d, "currency": c, "rate_to_reporting": r} for d, c, r in fx])
    return oracle.run_oracle(raw, vars), raw


def run(tmp_path, events, fx=(), **vars):
    return build(tmp_path, events, fx, **vars)[0]


def of(res, customer):
    return [t for t in mv_tuples(res) if t[0] == customer]


def last_move(res, customer):
    return res.movements[res.movements.customer_id == customer].iloc[-1]


def wf_row(res, start, grain="month"):
    wf = res.waterfall
    row = wf[(wf.period_grain == grain) & (wf.period_start == start)]
    assert len(row) == 1, wf
    return row.iloc[0]


def pool(tmp_path, events, **vars):
    """Monthly revenue pool of the 'all' dimension: {period_start: (inactive, reactivated)}."""
    res, raw = build(tmp_path, events, **vars)
    rate = ReactivationOracle(res, raw, vars).rate
    allm = rate[(rate.dimension == "all") & (rate.period_grain == "month")]
    return {r.period_start: (r.inactive_customers, r.reactivated_customers)
            for r in allm.itertuples()}


# --------------------------------------------------------------------------------------
# Presets and their resolution
# --------------------------------------------------------------------------------------

RULES = ("cancellation_recognition", "pause_treatment", "reactivation_rule",
         "short_lived_customers", "fx_valuation")


@pytest.mark.parametrize("preset,expected", [
    # the table of SEMANTICS.md, row by row
    ("winback", ("period_end", "churn", "within_months", "include", "period_end")),
    ("chartmogul", ("period_end", "keep_arr", "any", "include", "service_start")),
    ("stripe", ("request", "churn", "any", "include", "period_end")),
    ("baremetrics", ("period_end", "churn", "any", "include", "period_end")),
    ("profitwell", ("period_end", "churn", "any", "exclude", "service_start")),
])
def test_presets(preset, expected):
    p = oracle.resolve_policy({"policy_preset": preset})
    assert tuple(p[r] for r in RULES) == expected
    assert (p["reactivation_window_months"], p["reactivation_window_days"]) == (24, 90)


def test_resolution_explicit_wins_null_takes_preset():
    assert oracle.resolve_policy({}) == oracle.resolve_policy({"policy_preset": "winback"})
    p = oracle.resolve_policy({"policy_preset": "chartmogul", "pause_treatment": "churn",
                               "reactivation_rule": None, "reactivation_window_days": 30,
                               "reactivation_window_months": None})
    assert p["pause_treatment"] == "churn"            # explicit value wins
    assert p["fx_valuation"] == "service_start"       # missing: the preset's
    assert p["reactivation_rule"] == "any"            # null: the preset's
    assert (p["reactivation_window_months"], p["reactivation_window_days"]) == (None, 30)
    # an explicit value equal to another preset's never switches the preset
    assert oracle.resolve_policy({"fx_valuation": "service_start"})["pause_treatment"] == "churn"


@pytest.mark.parametrize("vars", [
    {"policy_preset": "chargebee"}, {"policy_preset": None},
    {"pause_treatment": "freeze"}, {"reactivation_rule": "within_weeks"},
    {"policy_preset": "stripe", "cancellation_recognition": "Request"},
    {"reactivation_window_days": None}, {"reactivation_window_days": -1},
])
def test_unknown_values_raise(vars):
    with pytest.raises(ValueError):
        oracle.resolve_policy(vars)


def test_unknown_preset_stops_the_oracle(tmp_path):
    with pytest.raises(ValueError, match="policy_preset"):
        run(tmp_path, [ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100)],
            policy_preset="chargebee")


# --------------------------------------------------------------------------------------
# cancellation_recognition
# --------------------------------------------------------------------------------------

# A: 100/month from 1 Jan; asks to cancel on 10 Feb, service runs to 1 Mar.
# C: 50/month from 1 Jan; pause asked 20 Feb, in force 15 Mar (pauses are never re-dated).
REQUEST = [
    ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100),
    ev("a2", "A", "s1", "subscription_canceled", "2024-03-01",
       occurred_at="2024-02-10T15:00:00Z", churn_reason="too expensive"),
    ev("c1", "C", "u1", "subscription_started", "2024-01-01", 50),
    ev("c2", "C", "u1", "subscription_paused", "2024-03-15", occurred_at="2024-02-20"),
]
# B starts 1 Apr: the latest event, so as_of is 1 Apr under either rule
LATER = [ev("b1", "B", "t1", "subscription_started", "2024-04-01", 10)]


def test_request_recognition_moves_the_churn_to_the_request_day(tmp_path):
    end = run(tmp_path / "end", REQUEST + LATER)
    req, raw = build(tmp_path / "req", REQUEST + LATER, cancellation_recognition="request")
    assert end.as_of == req.as_of == D(2024, 4, 1)
    assert of(end, "A") == [("A", D(2024, 1, 1), "new", 0, 1200),
                            ("A", D(2024, 3, 1), "churn", 1200, 0)]
    assert of(req, "A") == [("A", D(2024, 1, 1), "new", 0, 1200),
                            ("A", D(2024, 2, 10), "churn", 1200, 0)]
    # the pause keeps its effective date: 15 Mar, 600 -> 0, under both rules
    assert of(req, "C")[-1] == of(end, "C")[-1] == ("C", D(2024, 3, 15), "churn", 600, 0)
    # waterfall: A's 1200 leaves in February instead of March
    assert (wf_row(end, D(2024, 2, 1)).churned_arr, wf_row(end, D(2024, 3, 1)).churned_arr) \
        == (0, 1800)
    feb, mar = wf_row(req, D(2024, 2, 1)), wf_row(req, D(2024, 3, 1))
    assert (feb.churned_arr, feb.churned_customers, feb.ending_arr) == (1200, 1, 600)
    assert (mar.starting_arr, mar.churned_arr, mar.ending_arr) == (600, 600, 0)
    # the episode is dated by the request and still finds its reason
    ep = ReactivationOracle(req, raw, {"cancellation_recognition": "request"}).episodes
    a = ep[ep.customer_id == "A"].iloc[0]
    assert (a.churn_date, a.churn_reason) == (D(2024, 2, 10), "too expensive")


def test_request_made_by_as_of_is_history(tmp_path):
    # Without B the default as_of is the latest occurred_at as written: 20 Feb (C's
    # pause request), under both rules. A's cancellation takes effect 1 Mar, after
    # as_of: scheduled under period_end; asked 10 Feb, so history under request.
    end = run(tmp_path / "end", REQUEST)
    req = run(tmp_path / "req", REQUEST, cancellation_recognition="request")
    assert end.as_of == req.as_of == D(2024, 2, 20)
    assert [t[2] for t in of(end, "A")] == ["new"]
    assert end.customer_arr_at_as_of() == {"A": 1200, "C": 600}
    assert of(req, "A")[-1] == ("A", D(2024, 2, 10), "churn", 1200, 0)
    # C's pause, in force 15 Mar, stays scheduled
    assert req.customer_arr_at_as_of() == {"A": 0, "C": 600}


def test_stripe_preset_recognises_requests(tmp_path):
    res = run(tmp_path, REQUEST + LATER, policy_preset="stripe")
    assert of(res, "A")[-1] == ("A", D(2024, 2, 10), "churn", 1200, 0)
    # an explicit var wins over the preset
    res = run(tmp_path / "b", REQUEST + LATER, policy_preset="stripe",
              cancellation_recognition="period_end")
    assert of(res, "A")[-1] == ("A", D(2024, 3, 1), "churn", 1200, 0)


# --------------------------------------------------------------------------------------
# pause_treatment
# --------------------------------------------------------------------------------------

# A: 100/month from 1 Jan, paused 1 Mar, resumed 1 May at 120/month (as_of 1 May).
PAUSE = [
    ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100),
    ev("a2", "A", "s1", "subscription_paused", "2024-03-01"),
    ev("a3", "A", "s1", "subscription_resumed", "2024-05-01", 120),
]
# D: 50/month from 1 Jan, paused 1 Feb, cancelled (while paused) 1 Apr.
PAUSE_THEN_CANCEL = [
    ev("d1", "D", "w1", "subscription_started", "2024-01-01", 50),
    ev("d2", "D", "w1", "subscription_paused", "2024-02-01"),
    ev("d3", "D", "w1", "subscription_canceled", "2024-04-01"),
]


def test_pause_is_churn_by_default(tmp_path):
    res = run(tmp_path, PAUSE + PAUSE_THEN_CANCEL)
    assert of(res, "A") == [("A", D(2024, 1, 1), "new", 0, 1200),
                            ("A", D(2024, 3, 1), "churn", 1200, 0),
                            ("A", D(2024, 5, 1), "reactivation", 0, 1440)]
    assert last_move(res, "A").days_since_churn == 61          # 1 Mar -> 1 May
    # D leaves on the pause; the cancellation of a paused subscription ends nothing
    assert of(res, "D") == [("D", D(2024, 1, 1), "new", 0, 600),
                            ("D", D(2024, 2, 1), "churn", 600, 0)]


def test_keep_arr_pause_and_resume_is_no_churn_no_reactivation(tmp_path):
    res = run(tmp_path, PAUSE + PAUSE_THEN_CANCEL, pause_treatment="keep_arr")
    # the pause is ignored: 1200 held through March and April, the resume at 120/month
    # is a plain change (1200 -> 1440)
    assert of(res, "A") == [("A", D(2024, 1, 1), "new", 0, 1200),
                            ("A", D(2024, 5, 1), "expansion", 1200, 1440)]
    # D keeps 600 until the cancellation ends it on 1 Apr
    assert of(res, "D") == [("D", D(2024, 1, 1), "new", 0, 600),
                            ("D", D(2024, 4, 1), "churn", 600, 0)]
    mar, apr = wf_row(res, D(2024, 3, 1)), wf_row(res, D(2024, 4, 1))
    assert (mar.churned_arr, mar.ending_arr) == (0, 1800)
    assert (apr.churned_arr, apr.ending_arr, apr.churned_customers) == (600, 1200, 1)
    # chartmogul keeps ARR through pauses too
    assert of(run(tmp_path / "cm", PAUSE, policy_preset="chartmogul"), "A") == of(res, "A")


def test_churn_without_reactivation_return_from_pause_is_returning_new(tmp_path):
    # B: 50/month from 1 Jan, cancelled 1 Feb, back 1 Apr on a new subscription: its
    # churn was a cancellation, so its return is still a reactivation (60 days).
    cancel_back = [
        ev("b1", "B", "t1", "subscription_started", "2024-01-01", 50),
        ev("b2", "B", "t1", "subscription_canceled", "2024-02-01"),
        ev("b3", "B", "t2", "subscription_started", "2024-04-01", 50),
    ]
    res = run(tmp_path, PAUSE + cancel_back, pause_treatment="churn_without_reactivation")
    assert of(res, "A") == [("A", D(2024, 1, 1), "new", 0, 1200),
                            ("A", D(2024, 3, 1), "churn", 1200, 0),
                            ("A", D(2024, 5, 1), "new", 0, 1440)]
    a = last_move(res, "A")
    assert bool(a.is_returning_customer) and pd.isna(a.days_since_churn)
    b = last_move(res, "B")
    assert (b.movement_type, b.days_since_churn) == ("reactivation", 60)   # 1 Feb -> 1 Apr
    may = wf_row(res, D(2024, 5, 1))
    assert (may.new_arr, may.reactivation_arr, may.reactivated_customers) == (1440, 0, 0)


def test_churn_without_reactivation_last_churn_decides(tmp_path):
    events = [
        # C: paused 1 Feb, resumed 1 Mar (returning new), cancelled 1 Apr, back 1 Jun:
        # the last churn is a cancellation, so a reactivation after 61 days
        ev("c1", "C", "u1", "subscription_started", "2024-01-01", 100),
        ev("c2", "C", "u1", "subscription_paused", "2024-02-01"),
        ev("c3", "C", "u1", "subscription_resumed", "2024-03-01", 100),
        ev("c4", "C", "u1", "subscription_canceled", "2024-04-01"),
        ev("c5", "C", "u2", "subscription_started", "2024-06-01", 100),
        # E: cancelled 1 Feb, back 1 Mar (reactivation), paused 1 Apr, resumed 1 Jun
        ev("e1", "E", "x1", "subscription_started", "2024-01-01", 100),
        ev("e2", "E", "x1", "subscription_canceled", "2024-02-01"),
        ev("e3", "E", "x2", "subscription_started", "2024-03-01", 100),
        ev("e4", "E", "x2", "subscription_paused", "2024-04-01"),
        ev("e5", "E", "x2", "subscription_resumed", "2024-06-01", 100),
        # F and G end two paying subscriptions on the same day, one by a cancellation
        # and one by a pause; the churn's ending event is the later one in event order.
        # F: the pause is later -> the resume on 1 Mar is a returning new.
        ev("f1", "F", "y1", "subscription_started", "2024-01-01", 100),
        ev("f2", "F", "y2", "subscription_started", "2024-01-01", 50),
        ev("f3", "F", "y1", "subscription_canceled", "2024-02-01T08:00:00"),
        ev("f4", "F", "y2", "subscription_paused", "2024-02-01T09:00:00"),
        ev("f5", "F", "y2", "subscription_resumed", "2024-03-01", 50),
        # G: the cancellation is later -> the resume on 1 Mar is a reactivation.
        ev("g1", "G", "z1", "subscription_started", "2024-01-01", 100),
        ev("g2", "G", "z2", "subscription_started", "2024-01-01", 50),
        ev("g3", "G", "z1", "subscription_paused", "2024-02-01T08:00:00"),
        ev("g4", "G", "z2", "subscription_canceled", "2024-02-01T09:00:00"),
        ev("g5", "G", "z1", "subscription_resumed", "2024-03-01", 100),
    ]
    res = run(tmp_path, events, pause_treatment="churn_without_reactivation")
    types = {c: [t[2] for t in of(res, c)] for c in "CEFG"}
    assert types == {"C": ["new", "churn", "new", "churn", "reactivation"],
                     "E": ["new", "churn", "reactivation", "churn", "new"],
                     "F": ["new", "churn", "new"],
                     "G": ["new", "churn", "reactivation"]}
    assert last_move(res, "C").days_since_churn == 61                   # 1 Apr -> 1 Jun
    returning = res.movements[res.movements.movement_type == "new"]
    assert returning.groupby("customer_id").is_returning_customer.apply(list).to_dict() == {
        "C": [False, True], "E": [False, True], "F": [False, True], "G": [False]}


# A paused 1 Mar and back 1 May; B cancelled 1 Feb and back 1 Apr (as_of 1 May).
POOL_EVENTS = PAUSE + [
    ev("b1", "B", "t1", "subscription_started", "2024-01-01", 50),
    ev("b2", "B", "t1", "subscription_canceled", "2024-02-01"),
    ev("b3", "B", "t2", "subscription_started", "2024-04-01", 50),
]


def test_churn_without_reactivation_pool(tmp_path):
    # The pool of a month P holds the churns before P not back before P.
    # churn: March {B}; April {A, B}, B back in April; May {A} (back 1 May), A back.
    assert pool(tmp_path / "churn", POOL_EVENTS) == {
        D(2024, 1, 1): (0, 0), D(2024, 2, 1): (0, 0), D(2024, 3, 1): (1, 0),
        D(2024, 4, 1): (2, 1), D(2024, 5, 1): (1, 1)}
    # churn_without_reactivation: A's churn ended on a pause, so A is in no pool
    assert pool(tmp_path / "cwr", POOL_EVENTS, pause_treatment="churn_without_reactivation") \
        == {D(2024, 1, 1): (0, 0), D(2024, 2, 1): (0, 0), D(2024, 3, 1): (1, 0),
            D(2024, 4, 1): (1, 1), D(2024, 5, 1): (0, 0)}


# --------------------------------------------------------------------------------------
# reactivation_rule
# --------------------------------------------------------------------------------------

# A and B: 100/month from 1 Jan, cancelled 1 Feb; A back 1 May (1 Feb + 90 days in a
# leap year: 29 + 31 + 30), B back 2 May (91 days). as_of 2 May.
DAYS = [
    ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100),
    ev("a2", "A", "s1", "subscription_canceled", "2024-02-01"),
    ev("a3", "A", "s2", "subscription_started", "2024-05-01", 100),
    ev("b1", "B", "t1", "subscription_started", "2024-01-01", 100),
    ev("b2", "B", "t1", "subscription_canceled", "2024-02-01"),
    ev("b3", "B", "t2", "subscription_started", "2024-05-02", 100),
]


def test_within_days_90_vs_91(tmp_path):
    res = run(tmp_path / "90", DAYS, reactivation_rule="within_days")
    a, b = last_move(res, "A"), last_move(res, "B")
    assert (a.movement_type, a.days_since_churn) == ("reactivation", 90)
    assert (b.movement_type, bool(b.is_returning_customer)) == ("new", True)
    # a 91-day window takes B in as well
    res = run(tmp_path / "91", DAYS, reactivation_rule="within_days", reactivation_window_days=91)
    assert (last_move(res, "B").movement_type, last_move(res, "B").days_since_churn) == \
        ("reactivation", 91)
    # the months rule (24) and `any` take both; the day window is ignored by them
    for rule in ("within_months", "any"):
        res = run(tmp_path / rule, DAYS, reactivation_rule=rule, reactivation_window_days=1)
        assert [last_move(res, c).movement_type for c in "AB"] == ["reactivation"] * 2


def test_within_days_at_month_grain(tmp_path):
    # churn dated 1 Feb (its month), both returns dated 1 May: 1 May <= 1 Feb + 90 days
    res = run(tmp_path, DAYS, reactivation_rule="within_days", movement_grain="month")
    for c in "AB":
        m = last_move(res, c)
        assert (m.movement_date, m.movement_type, m.days_since_churn) == \
            (D(2024, 5, 1), "reactivation", 90)


def test_within_days_pool(tmp_path):
    # 90 days: churned 1 Feb, in the pool of 1 Mar, 1 Apr and 1 May (1 May <= 1 Feb + 90);
    # in May A comes back as a reactivation, B as new (not counted)
    assert pool(tmp_path / "90", DAYS, reactivation_rule="within_days") == {
        D(2024, 1, 1): (0, 0), D(2024, 2, 1): (0, 0), D(2024, 3, 1): (2, 0),
        D(2024, 4, 1): (2, 0), D(2024, 5, 1): (2, 1)}
    # 30 days: 1 Feb + 30 = 2 Mar, so only March's pool (and both returns are new)
    assert pool(tmp_path / "30", DAYS, reactivation_rule="within_days",
                reactivation_window_days=30) == {
        D(2024, 1, 1): (0, 0), D(2024, 2, 1): (0, 0), D(2024, 3, 1): (2, 0),
        D(2024, 4, 1): (0, 0), D(2024, 5, 1): (0, 0)}


# A and B: 100/month from 1 Jan, cancelled 15 Mar; A back 30 Apr, B back 1 May.
# C: cancelled 1 Mar (ARR 0 all of March), back 1 Apr. as_of 1 May.
FULL_MONTH = [
    ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100),
    ev("a2", "A", "s1", "subscription_canceled", "2024-03-15"),
    ev("a3", "A", "s2", "subscription_started", "2024-04-30", 100),
    ev("b1", "B", "t1", "subscription_started", "2024-01-01", 100),
    ev("b2", "B", "t1", "subscription_canceled", "2024-03-15"),
    ev("b3", "B", "t2", "subscription_started", "2024-05-01", 100),
    ev("c1", "C", "u1", "subscription_started", "2024-01-01", 100),
    ev("c2", "C", "u1", "subscription_canceled", "2024-03-01"),
    ev("c3", "C", "u2", "subscription_started", "2024-04-01", 100),
]


def test_after_full_month_at_zero_day_grain(tmp_path):
    # churn 15 Mar: the first month wholly at 0 is April, so a return counts from 1 May
    # (first of month(14 Mar) + 2 months); churn 1 Mar: March is wholly at 0, from 1 Apr
    res = run(tmp_path, FULL_MONTH, reactivation_rule="after_full_month_at_zero")
    a, b, c = (last_move(res, x) for x in "ABC")
    assert (a.movement_date, a.movement_type, bool(a.is_returning_customer)) == \
        (D(2024, 4, 30), "new", True)
    assert (b.movement_date, b.movement_type, b.days_since_churn) == \
        (D(2024, 5, 1), "reactivation", 47)                 # 16 days of March + 31
    assert (c.movement_type, c.days_since_churn) == ("reactivation", 31)


def test_after_full_month_at_zero_month_grain(tmp_path):
    # all three churn in March (dated 1 Mar); a return counts from the month 1 Mar +
    # 2 months = May: A and C (back in April) are new, B (May) a reactivation
    res = run(tmp_path, FULL_MONTH, reactivation_rule="after_full_month_at_zero",
              movement_grain="month")
    got = {x: (last_move(res, x).movement_date, last_move(res, x).movement_type)
           for x in "ABC"}
    assert got == {"A": (D(2024, 4, 1), "new"), "B": (D(2024, 5, 1), "reactivation"),
                   "C": (D(2024, 4, 1), "new")}
    assert last_move(res, "B").days_since_churn == 61                   # 1 Mar -> 1 May


def test_after_full_month_at_zero_pool(tmp_path):
    # day grain: April's pool is C alone (1 Apr >= 1 Apr; A and B need 1 May), C back in
    # April; May's pool is B alone (A back 30 Apr, C back 1 Apr), B back in May
    assert pool(tmp_path / "day", FULL_MONTH, reactivation_rule="after_full_month_at_zero") \
        == {D(2024, 1, 1): (0, 0), D(2024, 2, 1): (0, 0), D(2024, 3, 1): (0, 0),
            D(2024, 4, 1): (1, 1), D(2024, 5, 1): (1, 1)}
    # month grain: churns dated 1 Mar, in a pool from 1 May: only B, not back before May
    assert pool(tmp_path / "month", FULL_MONTH, reactivation_rule="after_full_month_at_zero",
                movement_grain="month") == {
        D(2024, 1, 1): (0, 0), D(2024, 2, 1): (0, 0), D(2024, 3, 1): (0, 0),
        D(2024, 4, 1): (0, 0), D(2024, 5, 1): (1, 1)}


def test_pool_rule_by_hand():
    months = [D(2024, 4, 1), D(2024, 5, 1), D(2024, 6, 1)]
    periods = pd.DataFrame({"period_grain": "month", "period_start": months,
                            "period_end": [oracle.month_end(m) for m in months]})
    # revenue: a churn dated 1 Mar, never back. Day grain: March is wholly at 0, in the
    # pool from 1 Apr; month grain (the March churn month): from 1 May.
    ep = pd.DataFrame([dict(customer_id="A", churn_date=D(2024, 3, 1), return_date=None,
                            return_type=None, return_arr=None, final_arr=100.0,
                            segment="smb", churn_reason_category="price")])

    def inactive(**kw):
        r = reactivation_rate(ep, periods, window=24, **kw)
        return list(r[r.dimension == "all"].inactive_customers)

    assert inactive(rule="after_full_month_at_zero", grain="day") == [1, 1, 1]
    assert inactive(rule="after_full_month_at_zero", grain="month") == [0, 1, 1]
    assert inactive(rule="within_days", window_days=61) == [1, 1, 0]   # 1 Mar + 61 = 1 May
    assert inactive(rule="within_days", window_days=60) == [1, 0, 0]
    assert inactive(rule="within_months") == [1, 1, 1]
    assert inactive(pause_churns={("A", D(2024, 3, 1))}) == [0, 0, 0]
    # usage: inactive from 15 Mar, never back; always the day-grain form of the rule
    sp = pd.DataFrame([dict(customer_id="A", last_activity_date=D(2024, 2, 14),
                            inactive_date=D(2024, 3, 15), return_date=None)])

    def usage(**kw):
        return list(usage_reactivation_rate(sp, periods, window=24, **kw).inactive_customers)

    assert usage(rule="after_full_month_at_zero") == [0, 1, 1]         # from 1 May
    assert usage(rule="within_days", window_days=30) == [1, 0, 0]      # until 14 Apr
    assert usage(rule="any") == [1, 1, 1]
    assert usage(rule="within_months") == [1, 1, 1]


def test_any_has_no_window(tmp_path):
    # back three years after leaving: outside 24 months, but `any` has no limit
    events = [
        ev("a1", "A", "s1", "subscription_started", "2020-01-01", 100),
        ev("a2", "A", "s1", "subscription_canceled", "2020-02-01"),
        ev("a3", "A", "s2", "subscription_started", "2023-03-01", 100),
    ]
    assert last_move(run(tmp_path / "w", events), "A").movement_type == "new"
    for i, vars in enumerate(({"reactivation_rule": "any"}, {"policy_preset": "baremetrics"})):
        m = last_move(run(tmp_path / f"any{i}", events, **vars), "A")
        assert (m.movement_type, m.days_since_churn) == (
            "reactivation", (D(2023, 3, 1) - D(2020, 2, 1)).days)


# --------------------------------------------------------------------------------------
# short_lived_customers
# --------------------------------------------------------------------------------------

SHORT = [
    # A: a spell 5 Mar -> 20 Mar (left out), back 10 Jun
    ev("a1", "A", "s1", "subscription_started", "2024-03-05", 100),
    ev("a2", "A", "s1", "subscription_canceled", "2024-03-20"),
    ev("a3", "A", "s2", "subscription_started", "2024-06-10", 100),
    # B: 25 Mar -> 5 Apr spans two months: kept
    ev("b1", "B", "t1", "subscription_started", "2024-03-25", 10),
    ev("b2", "B", "t1", "subscription_canceled", "2024-04-05"),
    # C: starts 5 Jun, still paying at as_of (10 Jun): kept
    ev("c1", "C", "u1", "subscription_started", "2024-06-05", 20),
]


def test_profitwell_excludes_short_lived_spell(tmp_path):
    inc = run(tmp_path / "inc", SHORT, policy_preset="baremetrics")   # same, but include
    assert of(inc, "A") == [("A", D(2024, 3, 5), "new", 0, 1200),
                            ("A", D(2024, 3, 20), "churn", 1200, 0),
                            ("A", D(2024, 6, 10), "reactivation", 0, 1200)]
    res, raw = build(tmp_path / "exc", SHORT, policy_preset="profitwell")
    # A's March spell is gone: the June return is A's first paid spell, a plain new
    assert of(res, "A") == [("A", D(2024, 6, 10), "new", 0, 1200)]
    assert not bool(last_move(res, "A").is_returning_customer)
    assert of(res, "B") == [("B", D(2024, 3, 25), "new", 0, 120),
                            ("B", D(2024, 4, 5), "churn", 120, 0)]
    assert of(res, "C") == [("C", D(2024, 6, 5), "new", 0, 240)]
    assert list(map(tuple, res.left_out[["customer_id", "movement_date", "arr_change"]]
                    .values.tolist())) == [("A", D(2024, 3, 5), 1200), ("A", D(2024, 3, 20), -1200)]
    # March: only B's 120 is new; nothing churned; starting and ending ARR unchanged
    mar_inc, mar = wf_row(inc, D(2024, 3, 1)), wf_row(res, D(2024, 3, 1))
    assert (mar_inc.new_arr, mar_inc.churned_arr, mar_inc.new_customers,
            mar_inc.churned_customers) == (1320, 1200, 2, 1)
    assert (mar.new_arr, mar.churned_arr, mar.new_customers, mar.churned_customers,
            mar.fx_impact, mar.ending_arr) == (120, 0, 1, 0, 0, 120)
    jun = wf_row(res, D(2024, 6, 1))
    assert (jun.new_arr, jun.new_customers, jun.reactivation_arr) == (1440, 2, 0)
    assert oracle.identity_problems(res.waterfall, "exclude") == []
    # no churn episode for the spell
    ep = ReactivationOracle(res, raw, {"policy_preset": "profitwell"}).episodes
    assert list(ep.customer_id) == ["B"]


def test_exclude_left_out_fx_goes_to_fx_impact(tmp_path):
    # E: 100 EUR/month from 5 Mar to 20 Mar; EUR 1.0 from 1 Mar, 1.2 from 10 Mar.
    # include: new 5 Mar 0 -> 1200, churn 20 Mar 1440 -> 0, fx_impact 1200 x 0.2 = 240.
    # exclude: no movements; fx_impact 240 + (1200 - 1440) = 0; the bridge 0 -> 0 closes.
    events = [ev("e1", "E", "x1", "subscription_started", "2024-03-05", 100, currency="EUR"),
              ev("e2", "E", "x1", "subscription_canceled", "2024-03-20")]
    fx = [("2024-03-01", "EUR", "1.0"), ("2024-03-10", "EUR", "1.2")]
    inc = run(tmp_path / "inc", events, fx=fx)
    assert mv_tuples(inc) == [("E", D(2024, 3, 5), "new", 0, 1200),
                              ("E", D(2024, 3, 20), "churn", 1440, 0)]
    assert wf_row(inc, D(2024, 3, 1)).fx_impact == pytest.approx(240)
    exc = run(tmp_path / "exc", events, fx=fx, short_lived_customers="exclude")
    assert exc.movements.empty
    assert list(exc.left_out.arr_change) == pytest.approx([1200, -1440])
    for wf in (exc.waterfall, exc.waterfall_by_segment):
        assert list(wf.fx_impact) == pytest.approx([0, 0, 0])           # month, quarter, year
        assert oracle.identity_problems(wf, "exclude") == []


def test_exclude_keeps_the_last_real_churn(tmp_path):
    # D: paid from 1 Jan, left 10 Feb; a spell 3 Apr -> 20 Apr; back 1 Jul.
    events = [
        ev("d1", "D", "w1", "subscription_started", "2024-01-01", 100),
        ev("d2", "D", "w1", "subscription_canceled", "2024-02-10"),
        ev("d3", "D", "w2", "subscription_started", "2024-04-03", 100),
        ev("d4", "D", "w2", "subscription_canceled", "2024-04-20"),
        ev("d5", "D", "w3", "subscription_started", "2024-07-01", 100),
    ]
    # exclude: the last churn stays 10 Feb: 1 Jul is 142 days later (19 + 31 + 30 + 31
    # + 30 + 1). Within 24 months: a reactivation; within 90 days: a returning new.
    res = run(tmp_path / "m", events, short_lived_customers="exclude")
    assert [t[1:3] for t in of(res, "D")] == [
        (D(2024, 1, 1), "new"), (D(2024, 2, 10), "churn"), (D(2024, 7, 1), "reactivation")]
    assert last_move(res, "D").days_since_churn == 142
    res = run(tmp_path / "d", events, short_lived_customers="exclude",
              reactivation_rule="within_days")
    assert last_move(res, "D").movement_type == "new"
    # include: the spell is a reactivation (53 days after 10 Feb) and its churn on
    # 20 Apr is the last one, 72 days before 1 Jul: within 90 days
    res = run(tmp_path / "i", events, reactivation_rule="within_days")
    assert [t[2] for t in of(res, "D")] == ["new", "churn", "reactivation", "churn",
                                            "reactivation"]
    assert list(res.movements.days_since_churn.dropna()) == [53, 72]


# --------------------------------------------------------------------------------------
# fx_valuation
# --------------------------------------------------------------------------------------

# A: 100 EUR/month from 1 Jan, changed (same price) on 10 Mar; B: 50 USD/month, changed
# on 31 Mar (as_of). EUR is 1.10 from 31 Dec, 1.20 from 15 Feb.
FX_EVENTS = [
    ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100, currency="EUR"),
    ev("a2", "A", "s1", "subscription_changed", "2024-03-10", 100, currency="EUR"),
    ev("b1", "B", "t1", "subscription_started", "2024-01-01", 50),
    ev("b2", "B", "t1", "subscription_changed", "2024-03-31", 50),
]
FX = [("2023-12-31", "EUR", "1.10"), ("2024-02-15", "EUR", "1.20")]


def test_period_end_revalues(tmp_path):
    res = run(tmp_path, FX_EVENTS, fx=FX)
    # 1200 EUR: 1320 USD, revalued to 1440 on 15 Feb (fx 120); the 10 Mar change moves
    # nothing (same local ARR)
    assert of(res, "A") == [("A", D(2024, 1, 1), "new", 0, 1320)]
    assert wf_row(res, D(2024, 2, 1)).fx_impact == pytest.approx(120)
    assert res.customer_arr_at_as_of()["A"] == pytest.approx(1440)


def test_service_start_values_at_the_start_day_rate(tmp_path):
    res = run(tmp_path, FX_EVENTS, fx=FX, fx_valuation="service_start")
    # 1200 EUR at 1.10 on 1 Jan: 1320 USD held until the next event, so February's rate
    # move (1.20 from 15 Feb) changes nothing; the 10 Mar change at the same price first
    # revalues the 1200 EUR at that day's 1.20 (fx_impact +120) and moves nothing
    assert of(res, "A") == [("A", D(2024, 1, 1), "new", 0, 1320)]
    jan, feb, mar = (wf_row(res, D(2024, m, 1)) for m in (1, 2, 3))
    assert (jan.fx_impact, feb.fx_impact, mar.fx_impact) == pytest.approx((0, 0, 120))
    assert (feb.starting_arr, feb.ending_arr) == pytest.approx((1920, 1920))
    assert (mar.expansion_arr, mar.ending_arr) == pytest.approx((0, 2040))
    q1 = wf_row(res, D(2024, 1, 1), "quarter")
    assert (q1.new_arr, q1.expansion_arr, q1.fx_impact, q1.ending_arr) == \
        pytest.approx((1920, 0, 120, 2040))
    assert res.customer_arr_at_as_of() == pytest.approx({"A": 1440, "B": 600})
    # chartmogul values at service start too
    cm = run(tmp_path / "cm", FX_EVENTS, fx=FX, policy_preset="chartmogul")
    assert mv_tuples(cm) == mv_tuples(res)


def test_service_start_change_and_cancel(tmp_path):
    # 1200 EUR from 1 Jan at 1.10 (1320); on 10 Mar, at 1.20, it doubles to 2400 EUR:
    # the 1200 EUR held is revalued to 1440 (fx +120) and the change is an expansion of
    # 2880 - 1440 = 1440; cancelled on 20 Mar: the 2880 held goes, no revaluation
    events = [
        ev("a1", "A", "s1", "subscription_started", "2024-01-01", 100, currency="EUR"),
        ev("a2", "A", "s1", "subscription_changed", "2024-03-10", 200, currency="EUR"),
        ev("a3", "A", "s1", "subscription_canceled", "2024-03-20"),
        ev("b1", "B", "t1", "subscription_started", "2024-01-01", 50),
        ev("b2", "B", "t1", "subscription_changed", "2024-03-31", 50),
    ]
    res = run(tmp_path, events, fx=FX, fx_valuation="service_start")
    assert of(res, "A") == [("A", D(2024, 1, 1), "new", 0, 1320),
                            ("A", D(2024, 3, 10), "expansion", 1440, 2880),
                            ("A", D(2024, 3, 20), "churn", 2880, 0)]
    mar = wf_row(res, D(2024, 3, 1))
    assert (mar.starting_arr, mar.expansion_arr, mar.churned_arr, mar.fx_impact,
            mar.ending_arr) == pytest.approx((1920, 1440, 2880, 120, 600))


def test_service_start_needs_a_rate_on_the_event_day(tmp_path):
    events = [ev("g1", "G", "v1", "subscription_started", "2024-01-01", 100, currency="GBP")]
    with pytest.raises(oracle.OracleError, match="GBP"):
        run(tmp_path, events, fx=[("2024-02-01", "GBP", "1.3")], fx_valuation="service_start")
