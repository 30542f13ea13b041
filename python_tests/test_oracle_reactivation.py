"""Reactivation marts recomputed in pandas from the oracle's own movements.

fct_churn_episodes, fct_reactivation_rate, fct_reactivation_cohorts,
fct_usage_reactivation_rate and fct_reactivation_goals are rebuilt here from
`oracle.run_oracle` (movements recomputed from the raw files by a day-by-day walk) and
from the raw product_usage file parsed here, never from the marts or the intermediate
models, following SPEC §2 ("Reactivation rate (revenue)", "Reactivation rate (usage)",
"Churn episodes and cohorts", "Win-back targets and goals") and DECISIONLOG.md
("Reactivation metrics", "Win-back targets and goals"). The one project file read is
the seed `churn_reason_categories`: it is user configuration (the mapping a user edits),
like a var, not logic under test.

Compared on the harness's `mid` scenario with the default vars (the session's full
build), with movement_grain month (window 24) and with no reactivation window (grain
day): money to the cent, rates to 1e-9, counts and labels exactly.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math

import pandas as pd
import pytest

import oracle
from conftest import ROOT, VAR_SETS, read_table, run_dbt_build

D = dt.date
SIZE = "mid"
KEYS = ("default", "month_w24", "day_wnone")
# The reactivation marts plus every model a data test of the selected models also reads
# (with only the five marts, dbt selects tests such as
# assert_segment_waterfall_adds_up_to_total whose other parent is never built).
REACTIVATION_SELECT = (
    "+fct_churn_episodes +fct_reactivation_rate +fct_reactivation_cohorts "
    "+fct_usage_reactivation_rate +fct_reactivation_goals "
    "+fct_arr_waterfall_by_segment +fct_winback_targets +fct_campaign_performance")
DEFAULT_VARS = {
    "movement_grain": "day", "reactivation_window_months": 24, "inactivity_days": 30,
    "pre_churn_active_days": 20, "pre_churn_low_days": 5, "target_reactivation_rate": 0.20,
}
HORIZONS = (30, 60, 90, 180, 365, 730)
PRE_CHURN_DAYS = 90
BUCKETS = ((3, "0-3"), (6, "3-6"), (12, "6-12"), (24, "12-24"))


# --------------------------------------------------------------------------------------
# Oracle: inputs (usage staging, churn reasons, return discounts)
# --------------------------------------------------------------------------------------

def reason_category_map() -> dict[str, str]:
    """The seed churn_reason_categories, keys trimmed and lower-cased."""
    seed = pd.read_csv(ROOT / "seeds" / "churn_reason_categories.csv", dtype=str,
                       keep_default_na=False)
    return {r.strip().lower(): c.strip() for r, c in
            zip(seed["reason"], seed["churn_reason_category"])}


def _usage_int(text):
    """(value, ok) for active_users / events_count: empty is (None, True); a number is
    rounded half away from zero (as the DuckDB cast does); anything else is not ok."""
    try:
        v = oracle.parse_number(text)
    except ValueError:
        return None, False
    if v is None:
        return None, True
    return int(math.copysign(math.floor(abs(v) + 0.5), v)), True


def stage_usage(raw: pd.DataFrame) -> pd.DataFrame:
    """Accepted product_usage rows (customer_id, activity_date).

    Mirrors the staging rules: exact copies of a raw row count once; a row is rejected
    for a missing customer_id, a missing or unparseable activity_date, a key
    (customer_id, parsed day) shared with a different row (all such rows are rejected),
    or an unparseable or negative active_users / events_count.
    """
    cols = oracle.RAW_COLUMNS["product_usage"]
    rows = []
    for rec in raw[cols].to_dict("records"):
        cust = oracle._clean(rec["customer_id"])
        day_text = oracle._clean(rec["activity_date"])
        try:
            ts = oracle.parse_ts(day_text)
        except ValueError:
            ts = None
        day = ts.date() if ts is not None else None
        key = None if cust is None or day_text is None else \
            (cust, day.isoformat() if day is not None else day_text)
        rows.append((key, tuple(rec[c] for c in cols), cust, day_text, day, rec))
    variants: dict[tuple, set] = {}
    for key, raw_values, *_ in rows:
        if key is not None:
            variants.setdefault(key, set()).add(raw_values)
    seen = set()
    accepted = []
    for key, raw_values, cust, day_text, day, rec in rows:
        if key is not None:
            if (key, raw_values) in seen:
                continue            # a merged exact copy
            seen.add((key, raw_values))
        if cust is None or day_text is None or day is None:
            continue
        if len(variants[key]) > 1:
            continue                # conflicting_duplicate_key
        bad = False
        for col in ("active_users", "events_count"):
            v, ok = _usage_int(rec[col])
            bad = bad or not ok or (v is not None and v < 0)
        if not bad:
            accepted.append({"customer_id": cust, "activity_date": day})
    return pd.DataFrame(accepted, columns=["customer_id", "activity_date"])


def churn_reasons(accepted: pd.DataFrame, movements: pd.DataFrame, grain: str,
                  as_of: dt.date, mapping: dict[str, str]) -> dict[tuple, tuple]:
    """(customer_id, churn_date) -> (category, raw reason) of each churn: the latest
    cancellation or pause (event order) of the customer inside the churn's period, on a
    subscription whose state just before it (previous event, event order) had ARR > 0.
    No such event or no reason: 'unknown'; a reason missing from the seed: 'other'.
    The same ending event decides, under pause_treatment churn_without_reactivation,
    whether a churn was caused by a pause (oracle.pause_churns)."""
    enders = oracle.ending_events(accepted, as_of)
    out = {}
    for m in movements[movements["movement_type"] == "churn"].itertuples():
        ender = oracle.churn_ending_event(
            enders, m.customer_id, m.movement_date,
            oracle.churn_period_last_day(m.movement_date, grain, as_of))
        reason = ender["churn_reason"] if ender else None
        if reason is None:
            out[(m.customer_id, m.movement_date)] = ("unknown", None)
        else:
            out[(m.customer_id, m.movement_date)] = (
                mapping.get(reason.strip().lower(), "other"), reason)
    return out


def accepted_discounts(raw: pd.DataFrame, accepted: pd.DataFrame) -> dict[str, float | None]:
    """event_id -> discount_pct of the surviving copy of each accepted event."""
    survivors, _ = oracle._merge_duplicate_event_ids(raw)
    ids = set(accepted["event_id"])
    out = {}
    for rec in survivors:
        eid = oracle._clean(rec["event_id"])
        if eid in ids:
            out[eid] = oracle.parse_number(rec["discount_pct"])
    return out


def return_discounts(accepted: pd.DataFrame, discounts: dict, grain: str,
                     as_of: dt.date) -> dict[tuple, float]:
    """(customer_id, movement period) -> the largest discount_pct on the customer's
    non-ending events of that period (for the reactivation discount)."""
    out: dict[tuple, float] = {}
    for ev in accepted[accepted["effective_date"] <= as_of].to_dict("records"):
        if ev["event_type"] in oracle.ZERO_TYPES:
            continue
        d = discounts.get(ev["event_id"])
        if d is None:
            continue
        period = ev["effective_date"] if grain == "day" else ev["effective_date"].replace(day=1)
        k = (ev["customer_id"], period)
        out[k] = max(out.get(k, d), d)
    return out


# --------------------------------------------------------------------------------------
# Oracle: churn episodes
# --------------------------------------------------------------------------------------

EPISODE_COLUMNS = [
    "customer_id", "churn_date", "segment", "churn_reason_category", "churn_reason",
    "final_arr", "tenure_days", "pre_churn_usage_level", "return_date", "return_type",
    "return_arr", "next_churn_date", "reactivated_date", "reactivation_arr",
    "days_to_reactivation", "reactivation_discount_pct", "is_second_churn_within_365d",
    "returned_as_new_date"]


def churn_episodes(movements: pd.DataFrame, as_of: dt.date, usage: pd.DataFrame,
                   reasons: dict | None = None, discounts: dict | None = None,
                   active_days: int = 20, low_days: int = 5) -> pd.DataFrame:
    """One row per churn movement (SPEC 'Churn episodes and cohorts').

    The return is the next movement of the customer (after a churn the ARR is 0, so it
    is new or a reactivation); only a reactivation fills the reactivation columns.
    Second churn: true if the next churn is within 365 days of the reactivation, false
    once reactivation + 365 days <= as_of without one, else null (and null when not
    reactivated). Pre-churn usage: distinct active days in (churn - 90, churn]; null when
    product_usage has no accepted row at all.
    """
    has_usage = len(usage) > 0
    days_by_cust = {c: sorted(set(g)) for c, g in
                    usage.groupby("customer_id")["activity_date"]} if has_usage else {}
    rows = []
    mv = movements.sort_values(["customer_id", "movement_date"])
    for cust, g in mv.groupby("customer_id", sort=False):
        recs = g.to_dict("records")
        news = [r["movement_date"] for r in recs if r["movement_type"] == "new"]
        first_paid = min(news) if news else None
        for i, r in enumerate(recs):
            if r["movement_type"] != "churn":
                continue
            churn = r["movement_date"]
            nxt = recs[i + 1] if i + 1 < len(recs) else None
            assert nxt is None or nxt["movement_type"] in ("new", "reactivation"), nxt
            next_churn = next((x["movement_date"] for x in recs[i + 1:]
                               if x["movement_type"] == "churn"), None)
            react = nxt is not None and nxt["movement_type"] == "reactivation"
            # the return is dated by the day it took effect (at month grain not the
            # month's first day); the churn by its movement date (SPEC)
            back = nxt.get("change_date", nxt["movement_date"]) if nxt else None
            if not react:
                second = None
            elif next_churn is not None and next_churn <= back + dt.timedelta(365):
                second = True
            elif back + dt.timedelta(365) <= as_of:
                second = False
            else:
                second = None
            if not has_usage:
                level = None
            else:
                days = days_by_cust.get(cust, [])
                n = bisect.bisect_right(days, churn) - bisect.bisect_right(
                    days, churn - dt.timedelta(PRE_CHURN_DAYS))
                level = "active" if n >= active_days else "low" if n >= low_days else "minimal"
            cat, reason = (reasons or {}).get((cust, churn), (None, None))
            rows.append({
                "customer_id": cust,
                "churn_date": churn,
                "segment": r["segment"],
                "churn_reason_category": cat,
                "churn_reason": reason,
                "final_arr": r["arr_before"],
                "tenure_days": (churn - first_paid).days if first_paid else None,
                "pre_churn_usage_level": level,
                "return_date": back,
                "return_type": nxt["movement_type"] if nxt else None,
                "return_arr": nxt["arr_after"] if nxt else None,
                "next_churn_date": next_churn,
                "reactivated_date": back if react else None,
                "reactivation_arr": nxt["arr_after"] if react else None,
                "days_to_reactivation": (back - churn).days if react else None,
                "reactivation_discount_pct": (discounts or {}).get(
                    (cust, nxt["movement_date"])) if react else None,
                "is_second_churn_within_365d": second,
                "returned_as_new_date": back if nxt and not react else None,
            })
    return pd.DataFrame(rows, columns=EPISODE_COLUMNS)


# --------------------------------------------------------------------------------------
# Oracle: the pool, the revenue and usage rates, cohorts and goals
# --------------------------------------------------------------------------------------

def _window_end(d: dt.date, window: int | None):
    return None if window is None else oracle.add_months(d, window)


def in_pool(inactive_date: dt.date, return_date, window_end, period_start: dt.date, *,
            rule: str = "within_months", grain: str = "day", window_days: int = 90,
            caused_by_pause: bool = False) -> bool:
    """Inactive before the period starts, not back by then, and a return on the period's
    first day would still be a reactivation under the reactivation rule (within_months:
    window_end, the end of the months window, not yet passed; the other rules are
    checked on inactive_date, dated at `grain`). A churn ended by a pause under
    churn_without_reactivation is never in the pool: it can only be resumed."""
    if rule == "within_months":
        within = window_end is None or window_end >= period_start
    else:
        within = oracle.reactivation_allowed(inactive_date, period_start, rule,
                                             churn_grain=grain, window_days=window_days)
    return (inactive_date < period_start
            and (return_date is None or return_date >= period_start)
            and within and not caused_by_pause)


def months_since_bucket(churn: dt.date, seen_on: dt.date) -> str:
    for months, label in BUCKETS:
        if seen_on < oracle.add_months(churn, months):
            return label
    return "24+"


def reactivation_rate(episodes: pd.DataFrame, periods: pd.DataFrame,
                      window: int | None, *, rule: str = "within_months", grain: str = "day",
                      window_days: int = 90,
                      pause_churns: set[tuple[str, dt.date]] | None = None) -> pd.DataFrame:
    """fct_reactivation_rate for the dimensions all, segment, churn_reason_category and
    months_since_churn_bucket. Pool members are counted per period (and dimension value
    at the period's start); churned and reactivation ARR are every churn / reactivation
    dated in the period, whoever it was, and on the months-since-churn rows the churned
    ARR also holds the final ARR of the bucket's pool members. A (period, value) row exists when it has a pool
    member, a churn or a reactivation; the 'all' row of every period always exists.
    rule, grain (the movement grain: episode churn dates are movement dates) and
    window_days: the reactivation rule the pool follows; pause_churns: (customer_id,
    churn_date) of churns ended by a pause, out of the pool (churn_without_reactivation)."""
    eps = episodes.to_dict("records")
    for e in eps:
        e["_wend"] = _window_end(e["churn_date"], window)
        e["_react"] = e["return_type"] == "reactivation"
        e["_pause"] = (e["customer_id"], e["churn_date"]) in (pause_churns or set())
    dims = {"all": lambda e, ps, kind: "all",
            "segment": lambda e, ps, kind: e["segment"],
            "churn_reason_category": lambda e, ps, kind: e["churn_reason_category"],
            "months_since_churn_bucket": lambda e, ps, kind: "0-3" if kind == "churn" or (
                kind == "return" and e["churn_date"] >= ps) else months_since_bucket(
                e["churn_date"], ps)}
    rows = []
    for p in periods.itertuples():
        ps, pe = p.period_start, p.period_end
        for dim, value_of in dims.items():
            acc: dict[str, dict] = {}

            def slot(v):
                return acc.setdefault(v, dict(inactive=0, reactivated=0, churned_arr=0.0,
                                              reactivation_arr=0.0, n=0))
            if dim == "all":
                slot("all")
            for e in eps:
                if in_pool(e["churn_date"], e["return_date"], e["_wend"], ps, rule=rule,
                           grain=grain, window_days=window_days, caused_by_pause=e["_pause"]):
                    s = slot(value_of(e, ps, "pool"))
                    s["inactive"] += 1
                    s["reactivated"] += int(e["_react"] and e["return_date"] <= pe)
                    if dim == "months_since_churn_bucket":
                        # a bucket's denominator: the churned ARR still in it at the
                        # start, plus (in 0-3) what churns during the period
                        s["churned_arr"] += e["final_arr"]
                if ps <= e["churn_date"] <= pe:
                    s = slot(value_of(e, ps, "churn"))
                    s["churned_arr"] += e["final_arr"]
                    s["n"] += 1
                if e["_react"] and ps <= e["return_date"] <= pe:
                    s = slot(value_of(e, ps, "return"))
                    s["reactivation_arr"] += e["return_arr"]
                    s["n"] += 1
            for v, s in acc.items():
                rows.append({
                    "period_grain": p.period_grain, "period_start": ps, "dimension": dim,
                    "dimension_value": v, "inactive_customers": s["inactive"],
                    "reactivated_customers": s["reactivated"],
                    "reactivation_rate": oracle._ratio(s["reactivated"], s["inactive"]),
                    "churned_arr": s["churned_arr"],
                    "reactivation_arr": s["reactivation_arr"],
                    "win_back_rate": oracle._ratio(s["reactivation_arr"], s["churned_arr"]),
                })
    return pd.DataFrame(rows)


def reactivation_cohorts(episodes: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per churn month: churns, churned ARR, and for each horizon d the churns
    reactivated within d days (count, ARR, shares), null unless the month's last day + d
    days <= as_of."""
    rows = []
    eps = episodes.assign(churn_month=[d.replace(day=1) for d in episodes["churn_date"]])
    for month, g in eps.groupby("churn_month"):
        row = {"churn_month": month, "churned_customers": len(g),
               "churned_arr": float(g["final_arr"].sum())}
        for d in HORIZONS:
            observed = oracle.month_end(month) + dt.timedelta(days=d) <= as_of
            back = g[g["days_to_reactivation"].notna()
                     & (g["days_to_reactivation"].astype(float) <= d)]
            n, arr = len(back), float(back["reactivation_arr"].astype(float).sum())
            row[f"reactivated_customers_{d}d"] = n if observed else None
            row[f"reactivated_arr_{d}d"] = arr if observed else None
            row[f"reactivation_rate_{d}d"] = (
                oracle._ratio(n, row["churned_customers"]) if observed else None)
            row[f"arr_win_back_rate_{d}d"] = (
                oracle._ratio(arr, row["churned_arr"]) if observed else None)
        rows.append(row)
    return pd.DataFrame(rows)


def usage_spells(usage: pd.DataFrame, as_of: dt.date, inactivity_days: int = 30) -> pd.DataFrame:
    """Spells of usage inactivity: after an active day a, with the next active day b (up
    to as_of), the customer is inactive from a + inactivity_days when that is before b
    (or, with no later activity, on or before as_of); the return is b."""
    rows = []
    use = usage[usage["activity_date"] <= as_of]
    for cust, g in use.groupby("customer_id"):
        days = sorted(set(g["activity_date"]))
        for a, b in zip(days, days[1:] + [None]):
            start = a + dt.timedelta(days=inactivity_days)
            if (b is not None and start < b) or (b is None and start <= as_of):
                rows.append({"customer_id": cust, "last_activity_date": a,
                             "inactive_date": start, "return_date": b})
    return pd.DataFrame(rows, columns=["customer_id", "last_activity_date", "inactive_date",
                                       "return_date"])


def usage_reactivation_rate(spells: pd.DataFrame, periods: pd.DataFrame,
                            window: int | None, *, rule: str = "within_months",
                            window_days: int = 90) -> pd.DataFrame:
    """The usage pool follows the reactivation rule too; inactive dates are days, so the
    day-grain form of the rule applies at every movement grain. Pauses play no part."""
    sp = spells.to_dict("records")
    for s in sp:
        s["_wend"] = _window_end(s["inactive_date"], window)
    rows = []
    for p in periods.itertuples():
        pool = [s for s in sp if in_pool(s["inactive_date"], s["return_date"], s["_wend"],
                                         p.period_start, rule=rule, grain="day",
                                         window_days=window_days)]
        back = sum(1 for s in pool if s["return_date"] is not None
                   and s["return_date"] <= p.period_end)
        rows.append({"period_grain": p.period_grain, "period_start": p.period_start,
                     "inactive_customers": len(pool), "reactivated_customers": back,
                     "reactivation_rate": oracle._ratio(back, len(pool))})
    return pd.DataFrame(rows)


def reactivation_goals(episodes: pd.DataFrame, months: pd.DataFrame,
                       target_rate: float = 0.20) -> pd.DataFrame:
    """Per month: goal = churned ARR x target rate; reactivations needed = goal / the
    average final ARR of churns in (period_end - 12 months, period_end], rounded up;
    actual reactivations and their ARR in the month; attainment = actual ARR / goal."""
    eps = episodes.to_dict("records")
    rows = []
    for p in months.itertuples():
        ps, pe = p.period_start, p.period_end
        lo = oracle.add_months(pe, -12)
        churned = sum(e["final_arr"] for e in eps if ps <= e["churn_date"] <= pe)
        trailing = [e["final_arr"] for e in eps if lo < e["churn_date"] <= pe]
        avg = sum(trailing) / len(trailing) if trailing else None
        react = [e["return_arr"] for e in eps if e["return_type"] == "reactivation"
                 and ps <= e["return_date"] <= pe]
        goal = churned * target_rate
        rows.append({
            "period_start": ps, "churned_arr": churned, "target_reactivation_rate": target_rate,
            "reactivation_arr_goal": goal, "churned_accounts_12m": len(trailing),
            "average_churned_arr_12m": avg,
            # 1e-9 guards a float ratio that is a whole number in exact arithmetic
            "reactivations_needed": math.ceil(goal / avg - 1e-9) if avg else None,
            "actual_reactivations": len(react), "actual_reactivation_arr": float(sum(react)),
            "attainment": oracle._ratio(float(sum(react)), goal),
        })
    return pd.DataFrame(rows)


class ReactivationOracle:
    """Everything above for one oracle result (movements) and its raw folder."""

    def __init__(self, res: oracle.OracleResult, raw_dir, vars: dict):
        v = {**DEFAULT_VARS, **vars}
        self.vars = v
        self.policy = policy = oracle.resolve_policy(v)
        self.as_of = res.as_of
        self.usage = stage_usage(oracle.read_raw_table(raw_dir, "product_usage"))
        raw_events = oracle.read_raw_table(raw_dir, "subscription_events")
        # the events as the ledger saw them (cancellations re-dated, pauses dropped
        # when the policy says so), so that churn reasons follow the same history
        acc = res.events if res.events is not None else res.staged.accepted
        grain, window = v["movement_grain"], policy["reactivation_window_months"]
        rule, window_days = policy["reactivation_rule"], policy["reactivation_window_days"]
        reasons = churn_reasons(acc, res.movements, grain, res.as_of, reason_category_map())
        pauses = (oracle.pause_churns(res.movements, oracle.ending_events(acc, res.as_of),
                                      grain, res.as_of)
                  if policy["pause_treatment"] == "churn_without_reactivation" else set())
        discounts = return_discounts(acc, accepted_discounts(raw_events, acc), grain,
                                     res.as_of)
        self.episodes = churn_episodes(res.movements, res.as_of, self.usage, reasons,
                                       discounts, v["pre_churn_active_days"],
                                       v["pre_churn_low_days"])
        periods = res.waterfall[["period_grain", "period_start", "period_end"]]
        self.rate = reactivation_rate(self.episodes, periods, window, rule=rule, grain=grain,
                                      window_days=window_days, pause_churns=pauses)
        self.cohorts = reactivation_cohorts(self.episodes, res.as_of)
        self.spells = usage_spells(self.usage, res.as_of, v["inactivity_days"])
        self.usage_rate = usage_reactivation_rate(self.spells, periods, window, rule=rule,
                                                  window_days=window_days)
        self.goals = reactivation_goals(
            self.episodes, periods[periods["period_grain"] == "month"],
            v["target_reactivation_rate"])


# --------------------------------------------------------------------------------------
# The oracle on hand-made examples (answers computed by hand)
# --------------------------------------------------------------------------------------

def _ev(event_id, customer, sub, etype, effective_at, amount=None, churn_reason=None,
        occurred_at=None, discount_pct=None):
    zero = etype in ("subscription_canceled", "subscription_paused", "canceled")
    return {"event_id": event_id, "customer_id": customer, "subscription_id": sub,
            "event_type": etype, "effective_at": effective_at,
            "occurred_at": occurred_at or effective_at,
            "billing_period": None if zero else "month",
            "amount": None if zero else amount, "currency": None if zero else "USD",
            "churn_reason": churn_reason, "discount_pct": discount_pct}


def _usage_rows(customer, first: D, last: D, every: int = 1):
    d, out = first, []
    while d <= last:
        out.append({"customer_id": customer, "activity_date": d.isoformat(),
                    "active_users": "2", "events_count": "10"})
        d += dt.timedelta(days=every)
    return out


def test_oracle_churn_episodes_by_hand(tmp_path):
    events = [
        # A: 100/month from 10 Jan 2024; a trial sub ends on 10 Mar (takes no ARR); the
        # paid sub ends the same day, asked earlier, with reason " Too Expensive ";
        # back on 1 Jun at 150/month with a 25 % win-back discount.
        _ev("a1", "A", "s1", "subscription_started", "2024-01-10", 100),
        _ev("a2", "A", "t1", "subscription_started", "2024-02-01", 0),
        _ev("a3", "A", "s1", "subscription_canceled", "2024-03-10T08:00:00",
            churn_reason=" Too Expensive ", occurred_at="2024-02-20"),
        _ev("a4", "A", "t1", "cancelled", "2024-03-10T09:00:00", churn_reason="bankrupt"),
        _ev("a5", "A", "s2", "subscription_started", "2024-06-01", 150, discount_pct="25"),
        # B: pays from 1 Feb, leaves on 1 Apr with a reason missing from the seed, and
        # never comes back.
        _ev("b1", "B", "u1", "subscription_started", "2024-02-01", 50),
        _ev("b2", "B", "u1", "subscription_canceled", "2024-04-01", churn_reason="moved on",
            occurred_at="2024-08-31"),
        # C: leaves 1 Feb 2024, resumes 1 Mar, leaves again 1 May: a second churn within
        # 365 days of the reactivation.
        _ev("c1", "C", "v1", "subscription_started", "2024-01-01", 100),
        _ev("c2", "C", "v1", "subscription_paused", "2024-02-01"),
        _ev("c3", "C", "v1", "subscription_resumed", "2024-03-01", 100),
        _ev("c4", "C", "v1", "subscription_canceled", "2024-05-01"),
        # D: back on 1 Aug 2022 and still paying 365 days later: no second churn.
        _ev("d1", "D", "w1", "subscription_started", "2022-01-01", 10),
        _ev("d2", "D", "w1", "subscription_canceled", "2022-06-01"),
        _ev("d3", "D", "w2", "subscription_started", "2022-08-01", 20),
    ]
    usage = (_usage_rows("A", D(2023, 12, 11), D(2024, 3, 10), every=4)   # 22 days in 90
             + _usage_rows("B", D(2024, 3, 20), D(2024, 4, 1)))           # 13 days
    raw = oracle.write_raw_dir(
        tmp_path / "raw", subscription_events=events, product_usage=usage,
        customers=[{"customer_id": c, "segment": s} for c, s in
                   (("A", "smb"), ("B", "Enterprise"), ("C", "smb"), ("D", "smb"))])
    res = oracle.run_oracle(raw, {})
    assert res.as_of == D(2024, 8, 31)
    ro = ReactivationOracle(res, raw, {})
    ep = ro.episodes.set_index("customer_id")
    a, b = ep.loc["A"], ep.loc["B"]
    assert (a.churn_date, a.final_arr, a.tenure_days) == (D(2024, 3, 10), 1200, 60)
    assert (a.churn_reason_category, a.churn_reason) == ("price", "Too Expensive")
    # (10 Dec, 10 Mar] holds 15 Dec, 19 Dec, ... 8 Mar (every 4th day): 22 active days
    assert a.pre_churn_usage_level == "active"
    assert (a.reactivated_date, a.reactivation_arr, a.days_to_reactivation) == \
        (D(2024, 6, 1), 1800, 83)
    assert a.reactivation_discount_pct == 25
    assert pd.isna(a.is_second_churn_within_365d)     # 1 Jun + 365 > 31 Aug, no churn
    assert (b.churn_reason_category, b.tenure_days, b.pre_churn_usage_level) == \
        ("other", 60, "low")
    assert pd.isna(b.reactivated_date) and pd.isna(b.is_second_churn_within_365d)
    c = ro.episodes[ro.episodes.customer_id == "C"].set_index("churn_date")
    assert c.loc[D(2024, 2, 1), "is_second_churn_within_365d"] is True
    assert pd.isna(c.loc[D(2024, 5, 1), "is_second_churn_within_365d"])
    assert c.loc[D(2024, 2, 1), "pre_churn_usage_level"] == "minimal"   # no usage rows
    assert ep.loc["D", "is_second_churn_within_365d"] is False
    # cohorts: March's 30/60/90/... points; 31 Mar + 90 = 29 Jun <= 31 Aug < 31 Mar + 180
    co = ro.cohorts.set_index("churn_month")
    assert co.loc[D(2024, 3, 1), "reactivated_customers_60d"] == 0
    assert co.loc[D(2024, 3, 1), "reactivated_customers_90d"] == 1
    assert co.loc[D(2024, 3, 1), "arr_win_back_rate_90d"] == pytest.approx(1.5)
    assert pd.isna(co.loc[D(2024, 3, 1), "reactivated_customers_180d"])
    # goals, June: nothing churned, one reactivation of 1800, trailing 12 months of
    # churns (30 Jun 2023, 30 Jun 2024] = A, B and C twice: (1200 + 600 + 2 x 1200) / 4
    g = ro.goals.set_index("period_start")
    jun, mar = g.loc[D(2024, 6, 1)], g.loc[D(2024, 3, 1)]
    assert (jun.churned_arr, jun.actual_reactivations, jun.actual_reactivation_arr) == \
        (0, 1, 1800)
    assert jun.average_churned_arr_12m == 1050 and pd.isna(jun.attainment)
    # March: A's 1200 churned, goal 240; trailing churns A and C (1 Feb); C back in March
    assert (mar.reactivation_arr_goal, mar.churned_accounts_12m, mar.reactivations_needed) == \
        (pytest.approx(240), 2, 1)
    assert (mar.actual_reactivations, mar.attainment) == (1, pytest.approx(1200 / 240))


def test_oracle_revenue_pool_by_hand():
    ep = pd.DataFrame([
        # churned and back within January: in no pool, but both ARRs count in January
        dict(customer_id="A", churn_date=D(2024, 1, 5), return_date=D(2024, 1, 20),
             return_type="reactivation", return_arr=500.0, final_arr=400.0),
        # churned in January, back in February: in February's pool, reactivated there
        dict(customer_id="B", churn_date=D(2024, 1, 25), return_date=D(2024, 2, 10),
             return_type="reactivation", return_arr=300.0, final_arr=300.0),
        # churned 31 Jan, never back: with a 1-month window in the pool of 1 Feb
        # (31 Jan + 1 month = 29 Feb) but not of 1 Mar
        dict(customer_id="C", churn_date=D(2024, 1, 31), return_date=None, return_type=None,
             return_arr=None, final_arr=100.0),
        # churned 15 Feb, never back: in March's pool (window ends 15 Mar)
        dict(customer_id="D", churn_date=D(2024, 2, 15), return_date=None, return_type=None,
             return_arr=None, final_arr=200.0),
    ]).assign(segment="smb", churn_reason_category="price")
    periods = pd.DataFrame({"period_grain": "month",
                            "period_start": [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)],
                            "period_end": [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 10)]})
    r = reactivation_rate(ep, periods, window=1)
    allr = r[r.dimension == "all"].set_index("period_start")
    assert list(allr.inactive_customers) == [0, 2, 1]
    assert list(allr.reactivated_customers) == [0, 1, 0]
    assert list(allr.churned_arr) == [800, 200, 0]
    assert list(allr.reactivation_arr) == [500, 300, 0]
    assert pd.isna(allr.loc[D(2024, 1, 1), "reactivation_rate"])
    assert allr.loc[D(2024, 2, 1), "reactivation_rate"] == 0.5
    assert allr.loc[D(2024, 1, 1), "win_back_rate"] == pytest.approx(500 / 800)
    assert allr.loc[D(2024, 2, 1), "win_back_rate"] == pytest.approx(1.5)
    assert pd.isna(allr.loc[D(2024, 3, 1), "win_back_rate"])
    no_window = reactivation_rate(ep, periods, window=None)
    assert list(no_window[no_window.dimension == "all"].inactive_customers) == [0, 2, 2]
    seg = r[r.dimension == "segment"]
    assert list(seg.dimension_value) == ["smb"] * 3
    assert list(r[r.dimension == "months_since_churn_bucket"].dimension_value) == ["0-3"] * 3


def test_oracle_usage_staging_and_spells_by_hand():
    raw = pd.DataFrame([
        dict(customer_id="A", activity_date="2024-01-01", active_users="1", events_count="5"),
        dict(customer_id="A", activity_date="2024-01-01", active_users="1", events_count="5"),
        dict(customer_id="A", activity_date="2024-01-31", active_users="1", events_count="5"),
        dict(customer_id="A", activity_date="2024-03-02T10:00:00Z", active_users="2",
             events_count=""),
        dict(customer_id="A", activity_date="2024-02-30", active_users="1", events_count="5"),
        dict(customer_id="B", activity_date="2024-01-01", active_users="-1", events_count="5"),
        dict(customer_id="B", activity_date="2024-01-02", active_users="x", events_count="5"),
        dict(customer_id="B", activity_date="2024-01-03", active_users="1", events_count="5"),
        dict(customer_id="B", activity_date="2024-01-03T00:00:00", active_users="2",
             events_count="5"),                      # same key, different row: both out
        dict(customer_id="", activity_date="2024-01-04", active_users="1", events_count="5"),
        dict(customer_id="B", activity_date="2024-01-05", active_users="1", events_count="5"),
    ])
    usage = stage_usage(raw)
    assert sorted(map(tuple, usage.values.tolist())) == [
        ("A", D(2024, 1, 1)), ("A", D(2024, 1, 31)), ("A", D(2024, 3, 2)),
        ("B", D(2024, 1, 5))]
    sp = usage_spells(usage, D(2024, 3, 10), inactivity_days=30)
    # A: 1 Jan -> 31 Jan is 29 idle days (no spell); 31 Jan -> 2 Mar is 30 idle days
    # (inactive on 1 Mar, back 2 Mar); 2 Mar + 30 is after as_of. B: 5 Jan + 30 = 4 Feb.
    assert list(map(tuple, sp.values.tolist())) == [
        ("A", D(2024, 1, 31), D(2024, 3, 1), D(2024, 3, 2)),
        ("B", D(2024, 1, 5), D(2024, 2, 4), None)]
    periods = pd.DataFrame({"period_grain": "month",
                            "period_start": [D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)],
                            "period_end": [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]})
    ur = usage_reactivation_rate(sp, periods, window=24)
    # A's spell (1 Mar to 2 Mar) is in no pool; B's (from 4 Feb) in March's and April's
    assert list(ur.inactive_customers) == [0, 1, 1]
    assert list(ur.reactivated_customers) == [0, 0, 0]


# --------------------------------------------------------------------------------------
# The marts against the oracle on the mid scenario
# --------------------------------------------------------------------------------------

class _Builds:
    def __init__(self, scenarios, base):
        self.scenarios, self.base = scenarios, base
        self._db: dict = {}
        self._oracle: dict = {}

    def db(self, key: str):
        if key == "default":      # the session's full build already holds every mart
            return self.scenarios.db(SIZE, key)
        if key not in self._db:
            path = self.base / f"{SIZE}_{key}.duckdb"
            try:
                run_dbt_build(self.scenarios.raw_dir(SIZE), path, VAR_SETS[key],
                              select=REACTIVATION_SELECT)
                self._db[key] = path
            except pytest.fail.Exception as exc:   # a failed build runs once
                self._db[key] = exc
        if isinstance(self._db[key], BaseException):
            pytest.fail(str(self._db[key]), pytrace=False)
        return self._db[key]

    def oracle(self, key: str) -> ReactivationOracle:
        if key not in self._oracle:
            self._oracle[key] = ReactivationOracle(
                self.scenarios.oracle(SIZE, key), self.scenarios.raw_dir(SIZE), VAR_SETS[key])
        return self._oracle[key]


@pytest.fixture(scope="module")
def builds(scenarios, tmp_path_factory):
    return _Builds(scenarios, tmp_path_factory.mktemp("reactivation"))


def _fail(problems):
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def _all_zero(cols):
    def check(row, side):
        suffix = "_oracle" if side == "left_only" else "_mart"
        vals = [oracle._norm_value(row.get(c + suffix)) for c in cols]
        return all(v is None or abs(float(v)) < 0.005 for v in vals)
    return check


def episode_problems(ro: ReactivationOracle, db, label: str) -> list[str]:
    mart = oracle.normalise_frame(read_table(db, "fct_churn_episodes"),
                                  ["churn_date", "reactivated_date", "returned_as_new_date"])
    return oracle.compare_frames(
        ro.episodes, mart, ["customer_id", "churn_date"],
        money=("final_arr", "reactivation_arr", "reactivation_discount_pct"),
        exact=("segment", "churn_reason_category", "tenure_days", "pre_churn_usage_level",
               "reactivated_date", "days_to_reactivation", "is_second_churn_within_365d",
               "returned_as_new_date"), label=f"fct_churn_episodes [{label}]")


def rate_problems(ro: ReactivationOracle, db, label: str) -> list[str]:
    mart = oracle.normalise_frame(read_table(db, "fct_reactivation_rate"), ["period_start"])
    assert set(mart.dimension) == {"all", "segment", "churn_reason_category",
                                   "months_since_churn_bucket"}
    keys = ["period_grain", "period_start", "dimension", "dimension_value"]
    problems = []
    for dim in ("all", "segment", "churn_reason_category", "months_since_churn_bucket"):
        problems += oracle.compare_frames(
            ro.rate[ro.rate.dimension == dim], mart[mart.dimension == dim], keys,
            money=("churned_arr", "reactivation_arr"),
            rates=("reactivation_rate", "win_back_rate"),
            exact=("inactive_customers", "reactivated_customers"),
            label=f"fct_reactivation_rate [{label}] {dim}",
            ignore_unmatched=_all_zero(("inactive_customers", "reactivated_customers",
                                        "churned_arr", "reactivation_arr")))
    return problems


def cohort_problems(ro: ReactivationOracle, db, label: str) -> list[str]:
    mart = oracle.normalise_frame(read_table(db, "fct_reactivation_cohorts"), ["churn_month"])
    return oracle.compare_frames(
        ro.cohorts, mart, ["churn_month"],
        money=("churned_arr",) + tuple(f"reactivated_arr_{d}d" for d in HORIZONS),
        rates=tuple(f"{m}_{d}d" for d in HORIZONS
                    for m in ("reactivation_rate", "arr_win_back_rate")),
        exact=("churned_customers",) + tuple(f"reactivated_customers_{d}d" for d in HORIZONS),
        label=f"fct_reactivation_cohorts [{label}]")


def usage_rate_problems(ro: ReactivationOracle, db, label: str) -> list[str]:
    mart = oracle.normalise_frame(read_table(db, "fct_usage_reactivation_rate"),
                                  ["period_start"])
    return oracle.compare_frames(
        ro.usage_rate, mart, ["period_grain", "period_start"], rates=("reactivation_rate",),
        exact=("inactive_customers", "reactivated_customers"),
        label=f"fct_usage_reactivation_rate [{label}]")


def goal_problems(ro: ReactivationOracle, db, label: str) -> list[str]:
    mart = oracle.normalise_frame(read_table(db, "fct_reactivation_goals"), ["period_start"])
    return oracle.compare_frames(
        ro.goals, mart, ["period_start"],
        money=("churned_arr", "reactivation_arr_goal", "average_churned_arr_12m",
               "actual_reactivation_arr"),
        rates=("target_reactivation_rate", "attainment"),
        exact=("churned_accounts_12m", "reactivations_needed", "actual_reactivations"),
        label=f"fct_reactivation_goals [{label}]")


REACTIVATION_CHECKS = (episode_problems, rate_problems, cohort_problems, usage_rate_problems,
                       goal_problems)


@pytest.mark.parametrize("key", KEYS)
def test_churn_episodes_match_oracle(builds, key):
    ro = builds.oracle(key)
    assert len(ro.episodes) > 20 and ro.episodes["reactivated_date"].notna().sum() > 5
    _fail(episode_problems(ro, builds.db(key), f"{SIZE}/{key}"))


@pytest.mark.parametrize("key", KEYS)
def test_reactivation_rate_matches_oracle(builds, key):
    _fail(rate_problems(builds.oracle(key), builds.db(key), f"{SIZE}/{key}"))


@pytest.mark.parametrize("key", KEYS)
def test_reactivation_cohorts_match_oracle(builds, key):
    _fail(cohort_problems(builds.oracle(key), builds.db(key), f"{SIZE}/{key}"))


@pytest.mark.parametrize("key", KEYS)
def test_usage_reactivation_rate_matches_oracle(builds, key):
    ro = builds.oracle(key)
    assert len(ro.usage) > 1000 and len(ro.spells) > 50
    _fail(usage_rate_problems(ro, builds.db(key), f"{SIZE}/{key}"))


@pytest.mark.parametrize("key", KEYS)
def test_reactivation_goals_match_oracle(builds, key):
    _fail(goal_problems(builds.oracle(key), builds.db(key), f"{SIZE}/{key}"))
