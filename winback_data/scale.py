"""Raw tables at benchmark scale: the seven tables of SPEC.md section 1 for up to millions
of customers, from whole numpy arrays (no Python loop over customers or rows); DuckDB
formats the text and writes the files.

    .venv/bin/python -m winback_data.scale --out target/bench/raw --customers 1000000 --seed 1

`winback_data.generate` simulates one customer at a time and plants junk with an answer
key; it is the demo's and the tests' data. This module trades that detail for speed: the
same segments, currencies, billing periods, churn reasons, aliases and campaign types, but
clean rows only (nothing to reject or merge), and product usage that is sparse (a few
active days a month per account rather than most days), so the usage table grows with
active days, not customers x days. Same arguments, same rows.
"""
from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from winback_data.generate import (ACQ_CHANNELS, ARR_RANGE, BILLING_MIX, CAMPAIGN_TYPES, CHURN_REASON_TEXTS,
                                   COUNTRIES, EVENT_ALIASES, FIRST, FX_MEAN, LAST, LOCAL_CCY, NAME_A, NAME_B,
                                   PERIOD_ALIASES, PERIODS, PER_YEAR, REASON_CATS, REASON_WEIGHTS, SEATS,
                                   SEGMENT_SPELLINGS, SEGMENTS, checked_arguments, fx_walk)

DAY = 86400
CURRENCIES = ("USD", *FX_MEAN)
STARTED, RENEWED, CHANGED, CANCELED, PAUSED, RESUMED = range(6)
EVENT_TYPES = ("subscription_started", "subscription_renewed", "subscription_changed",
               "subscription_canceled", "subscription_paused", "subscription_resumed")
MAIN_EVENTS, ADDON_EVENTS = 18.0, 4.0  # mean events of a stream that starts at --start
STOP_ODDS, PAUSE_SHARE, CHANGE_SHARE = 0.12, 0.12, 0.35
USAGE_DAYS_PER_MONTH = (0.6, 2.2)  # active days a month of a paying account, uniform per account


def _seg_starts(lengths: np.ndarray) -> np.ndarray:
    """Index of the first element of each segment in the flattened array."""
    s = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=s[1:])
    return s


def _seg_cumsum(x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at each segment."""
    cs = np.cumsum(x)
    st = _seg_starts(lengths)
    return cs - np.repeat(cs[st] - x[st], lengths)


def _shift(x: np.ndarray, first: np.ndarray) -> np.ndarray:
    """x of the previous element of the same segment (False at a segment's first)."""
    out = np.zeros_like(x)
    out[1:] = x[:-1]
    out[first] = False
    return out


REASON_TEXTS = [t for texts in CHURN_REASON_TEXTS.values() for t in texts] + [""]  # "": none given


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct key (a stable sort; np.unique
    hashes and is far slower on tens of millions of integers)."""
    order = np.argsort(keys, kind="stable")
    s = keys[order]
    first = np.ones(len(s), bool)
    np.not_equal(s[1:], s[:-1], out=first[1:])
    return np.sort(order[first])


def _pick_reason(cats: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Per row, the index in REASON_TEXTS of one text of category REASON_CATS[cat], drawn by
    u in [0, 1)."""
    lens = np.array([len(CHURN_REASON_TEXTS[c]) if c else 1 for c in REASON_CATS])
    return (_seg_starts(lens)[cats] + (u * lens[cats]).astype(np.int64)).astype(np.int16)


class _Arrays:
    """Every table as arrays; times are whole seconds since --start 00:00:00 UTC."""

    def __init__(self, customers: int, seed: int, start: date, end: date):
        self.g = g = np.random.default_rng([seed, 7])
        self.start, self.n = start, customers
        self.span = ((end - start).days + 1) * DAY - 1
        self._customers()
        self._events()
        self._usage()
        self._campaigns()
        self._fx()
        self._spend()

    def _customers(self) -> None:
        g, n = self.g, self.n
        self.seg = g.choice(len(SEGMENTS), n, p=[0.1, 0.3, 0.6])
        names = list(COUNTRIES)
        self.country = g.choice(len(names), n, p=np.array(list(COUNTRIES.values())) / sum(COUNTRIES.values()))
        local = np.array([CURRENCIES.index(LOCAL_CCY.get(c, "USD")) for c in names])[self.country]
        self.ccy = np.where((local > 0) & (g.random(n) < 0.55), local, 0)
        u = g.random(n)
        u = np.where(g.random(n) < 0.6, u, np.sqrt(u))  # growth: more sign-ups late in the range
        self.c_start = (u * 0.97 * self.span).astype(np.int64)
        self.seats = g.integers(np.array([s[0] for s in SEATS.values()])[self.seg],
                                np.array([s[1] for s in SEATS.values()])[self.seg] + 1)
        self.in_crm = g.random(n) >= 0.01  # about 1% of paying accounts missing from the CRM
        self.in_crm[: min(n, 3)] = True

    def _events(self) -> None:
        """Streams of subscriptions: every customer one main stream, 8% also an add-on
        stream at the same time. A stream is a run of events: started, then renewals and
        changes, a cancellation or a pause now and then; after a cancellation the account
        comes back on a new subscription, after a pause the same one resumes."""
        g, n, span = self.g, self.n, self.span
        addon = g.random(n) < 0.08
        s_cust = np.concatenate([np.arange(n), np.nonzero(addon)[0]])
        s_addon = np.concatenate([np.zeros(n, bool), np.ones(int(addon.sum()), bool)])
        ns = len(s_cust)
        c0 = self.c_start[addon]
        s_start = np.concatenate([self.c_start, c0 + (g.random(len(c0)) * (0.97 * span - c0)).astype(np.int64)])
        remaining = span - s_start
        k = 1 + g.poisson(np.where(s_addon, ADDON_EVENTS, MAIN_EVENTS) * remaining / span)
        e = int(k.sum())
        st = _seg_starts(k)
        stream = np.repeat(np.arange(ns), k)
        pos = np.arange(e) - np.repeat(st, k)
        first = pos == 0

        cand = (g.random(e) < STOP_ODDS) & ~first
        stop = cand & ~_shift(cand, first)  # never two stops in a row
        pause = stop & (g.random(e) < PAUSE_SHARE) & ~s_addon[stream]
        resume = _shift(pause, first)
        begin = first | (_shift(stop, first) & ~resume)  # a new subscription
        other = ~begin & ~stop & ~resume
        change = other & (g.random(e) < CHANGE_SHARE)
        etype = np.select([begin, stop & ~pause, pause, resume, change],
                          [STARTED, CANCELED, PAUSED, RESUMED, CHANGED], RENEWED).astype(np.int8)

        w = g.exponential(1.0, e)
        w = np.where(begin & ~first, w * 6.0, np.where(resume, w * 2.0, w))  # long gaps before a return
        w[first] = 0.0
        wsum = np.add.reduceat(w, st)
        used = remaining * g.uniform(0.3, 0.97, ns)
        gap = (w * np.repeat(used / np.where(wsum > 0, wsum, 1.0), k)).astype(np.int64)
        gap = np.where(first, 0, np.maximum(gap, 60))  # one state change after another
        to_last = np.repeat(k, k) - 1 - pos
        eff = np.minimum(np.repeat(s_start, k) + _seg_cumsum(gap, k), span - 60 * to_last)  # by --end
        is_stop = etype == CANCELED
        asked = np.where(stop, g.integers(DAY, 30 * DAY, e), g.integers(0, 3 * DAY, e))
        occ = np.maximum(eff - asked, 0)  # asked for before it takes effect

        sub = np.cumsum(begin) - 1
        n_subs = int(sub[-1]) + 1
        sub_first = np.nonzero(begin)[0]
        sub_seg = self.seg[s_cust[stream[sub_first]]]
        mix = np.array([BILLING_MIX[s] for s in SEGMENTS], float)
        mix /= mix.sum(axis=1, keepdims=True)
        sub_period = (g.random(n_subs)[:, None] > np.cumsum(mix[sub_seg], axis=1)).sum(axis=1)
        lo, hi = (np.log(np.array([ARR_RANGE[s][i] for s in SEGMENTS], float)) for i in (0, 1))
        base = lo[sub_seg] + g.random(n_subs) * (hi[sub_seg] - lo[sub_seg])
        base += np.where(s_addon[stream[sub_first]], np.log(g.uniform(0.1, 0.35, n_subs)), 0.0)
        up = g.random(e) < 0.65
        factor = np.where(up, g.uniform(1.1, 1.6, e), g.uniform(0.6, 0.9, e))
        log_arr = base[sub] + _seg_cumsum(np.where(etype == CHANGED, np.log(factor), 0.0),
                                          np.bincount(sub, minlength=n_subs))
        period = sub_period[sub]
        per_year = np.array([PER_YEAR[p] for p in PERIODS])[period]
        amount = np.maximum(np.round(np.exp(log_arr) / per_year, 2), 1.0)
        amount /= np.array([1.0, *FX_MEAN.values()])[self.ccy[s_cust[stream]]]  # the same value locally
        amount = np.maximum(np.round(amount, 2), 1.0)

        cat = np.full(e, len(REASON_CATS) - 1)
        cust = s_cust[stream]
        weights = np.array([REASON_WEIGHTS[s] for s in SEGMENTS], float)
        weights /= weights.sum(axis=1, keepdims=True)
        cat[is_stop] = (g.random(int(is_stop.sum()))[:, None]
                        > np.cumsum(weights[self.seg[cust[is_stop]]], axis=1)).sum(axis=1)
        cat[etype == PAUSED] = list(CHURN_REASON_TEXTS).index("seasonal")
        reason = _pick_reason(cat, g.random(e))

        plan = np.where(s_addon[stream], 3 * 3, sub_seg[sub] * 3 + period)  # index into plan names
        self.events = pd.DataFrame({
            "eid": g.permutation(e) + 1, "cust": cust + 1, "sub": sub + 1, "etype": etype,
            "eff": eff, "occ": occ, "ing": occ + g.integers(60, 6 * 3600, e),
            "period": period.astype(np.int8), "plan": plan.astype(np.int8),
            "amount": amount, "ccy": self.ccy[cust].astype(np.int8), "reason": reason,
            "alias_type": g.random(e) < 0.06, "alias_period": g.random(e) < 0.1,
            "odd_ccy": g.random(e) < 0.05})
        # what usage and campaigns read: the end of each account's paid time, its churns
        last = st + k - 1
        main_last = last[:n]
        self.paid_until = np.where(np.isin(etype[main_last], (CANCELED, PAUSED)), eff[main_last], span)
        churn = np.nonzero(is_stop & ~s_addon[stream])[0]
        self.churn_cust, self.churn_at = cust[churn], eff[churn]

    def _usage(self) -> None:
        """Days with activity, drawn per account between its first start and the end of its
        last paid stretch; a customer x day pair at most once."""
        g, n = self.g, self.n
        d0, d1 = self.c_start // DAY, self.paid_until // DAY
        days = np.maximum(d1 - d0 + 1, 1)
        rate = g.uniform(*USAGE_DAYS_PER_MONTH, n) / 30.0
        m = np.minimum(g.poisson(rate * days), days)
        cust = np.repeat(np.arange(n, dtype=np.int64), m)
        day = np.repeat(d0, m) + (g.random(len(cust)) * np.repeat(days, m)).astype(np.int64)
        key = np.sort(cust * (self.span // DAY + 2) + day)
        once = np.ones(len(key), bool)
        np.not_equal(key[1:], key[:-1], out=once[1:])
        cust, day = np.divmod(key[once], self.span // DAY + 2)
        users = np.maximum(1, np.round(self.seats[cust] * g.uniform(0.2, 0.6, len(cust)))).astype(np.int64)
        self.usage = pd.DataFrame({"cust": cust + 1, "day": day, "users": users,
                                   "events": users * g.integers(2, 25, len(cust)) + g.integers(0, 10, len(cust))})

    def _campaigns(self) -> None:
        """12 to 20 campaigns of article 2's five types; 40% of churned accounts of a
        targeted segment join one that runs 7 to 30 days after their churn."""
        g, span = self.g, self.span
        c = int(g.integers(12, 21))
        types = np.array((list(CAMPAIGN_TYPES) * 4)[:c])
        g.shuffle(types)
        starts = np.sort(g.uniform(0.15 * span, span - 45 * DAY, c)).astype(np.int64) // DAY * DAY + 9 * 3600
        ends = np.minimum(starts + (g.uniform(45, 180, c) * DAY).astype(np.int64), span - 3600)
        info = [CAMPAIGN_TYPES[t] for t in types]
        target = np.array([SEGMENTS.index(i[1]) if i[1] in SEGMENTS else -1 for i in info])
        names = []
        for t, s in zip(types, starts):
            d = datetime.combine(self.start, datetime.min.time()) + timedelta(seconds=int(s))
            names.append(f"{t.replace('_', ' ').title()} {d.year} Q{(d.month + 2) // 3}")
        self.campaigns = pd.DataFrame({
            "campaign_id": [f"CMP{j + 1:03d}" for j in range(c)], "campaign_name": names,
            "campaign_type": [i[0] if u < 0.3 else t for i, t, u in zip(info, types, g.random(c))],
            "channel": [i[3] for i in info], "target_segment": [i[1] for i in info],
            "start": starts, "end": ends, "cost": [round(g.uniform(*i[4]), 2) for i in info],
            "currency": np.where(np.arange(c) == g.integers(c), "EUR", "USD")})

        join = g.random(len(self.churn_cust)) < 0.4
        cust, at = self.churn_cust[join], self.churn_at[join]
        assigned = at + (g.uniform(7, 30, len(at)) * DAY).astype(np.int64)
        seg = self.seg[cust]
        fits = ((starts[None, :] <= assigned[:, None]) & (assigned[:, None] <= ends[None, :])
                & ((target[None, :] == -1) | (target[None, :] == seg[:, None])))
        pick = np.argmax(fits * g.random(fits.shape), axis=1)
        ok = fits.any(axis=1)
        cust, assigned, pick = cust[ok], assigned[ok], pick[ok]
        once = _first_of_each(pick * (self.n + 1) + cust)  # one membership per campaign
        cust, assigned, pick = cust[once], assigned[once], pick[once]
        m = len(cust)
        resp = np.array([i[5] for i in info])[pick]
        treat = g.random(m) < 0.8
        touched = np.where(treat & (g.random(m) < 0.85), assigned + g.integers(2 * 3600, 240 * 3600, m), -1)
        responded = np.where((touched >= 0) & (g.random(m) < resp), touched + g.integers(6 * 3600, 336 * 3600, m),
                             -1)
        touched = np.where(touched > span, -1, touched)
        responded = np.where((responded > span) | (touched < 0), -1, responded)
        self.members = pd.DataFrame({"campaign": pick + 1, "cust": cust + 1, "treat": treat,
                                     "assigned": assigned, "touched": touched, "responded": responded})

    def _fx(self) -> None:
        """Weekly rates (Mondays) from three weeks before --start: a mean-reverting walk."""
        g = self.g
        first = np.datetime64(self.start) - 21
        first -= (first.astype("int64") - 4) % 7  # 1970-01-05 was a Monday
        weeks = np.arange(first, np.datetime64(self.start) + self.span // DAY + 1, 7)
        parts = []
        for cur, mu in FX_MEAN.items():
            parts.append(pd.DataFrame({"day": (weeks - np.datetime64(self.start)).astype(np.int64),
                                       "currency": cur, "rate": np.round(fx_walk(g, len(weeks), mu), 6)}))
        self.fx = pd.concat(parts, ignore_index=True)

    def _spend(self) -> None:
        months = pd.period_range(self.start, periods=self.span // (28 * DAY) + 1, freq="M")
        months = months[months.start_time.date <= self.start + timedelta(seconds=self.span)]
        month_of = (np.datetime64(self.start) + self.c_start // DAY).astype("datetime64[M]")
        new = pd.Series(month_of.astype(str)).value_counts()
        rows = [(f"{mo}-01", ch, round((new.get(str(mo), 0) * 4000 + 1500) * share * self.g.uniform(0.7, 1.3), 2))
                for mo in months for ch, share in ACQ_CHANNELS.items()]
        self.spend = pd.DataFrame(rows, columns=["month", "channel", "spend"])


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _write(a: _Arrays, out: Path, fmt: str, threads: int) -> dict[str, int]:
    """Each table through one DuckDB COPY: Parquet with typed columns (timestamps as
    TIMESTAMPTZ, dates as DATE, money as DOUBLE), or CSV with ISO 8601 text."""
    t0 = f"timestamptz '{a.start.isoformat()} 00:00:00+00'"
    day0 = f"date '{a.start.isoformat()}'"
    width = max(5, len(str(a.n)))

    def ts(col: str) -> str:
        value = f"({t0} + to_seconds({col}))"
        return value if fmt == "parquet" else f"strftime({value}, '%Y-%m-%dT%H:%M:%SZ')"

    def num(expr: str, digits: int) -> str:
        return expr if fmt == "parquet" else f"printf('%.{digits}f', {expr})"

    def dt(col: str) -> str:
        return f"({day0} + cast({col} as integer))"

    period_alias = [PERIOD_ALIASES[p][0] for p in PERIODS]
    plans = [f"{s}_{p}" for s in SEGMENTS for p in PERIODS] + ["addon"]
    seg_alias = [SEGMENT_SPELLINGS[s][1] for s in SEGMENTS]
    queries = {
        "subscription_events": f"""
            select
                'E' || lpad(cast(eid as varchar), 9, '0') as event_id,
                'C' || lpad(cast(cust as varchar), {width}, '0') as customer_id,
                'S' || lpad(cast(sub as varchar), 9, '0') as subscription_id,
                case when alias_type and etype in (0, 1, 2, 3)
                    then {_sql_list(EVENT_ALIASES[EVENT_TYPES[i]] for i in (0, 3, 2, 1))}[
                        case etype when 0 then 1 when 3 then 2 when 2 then 3 else 4 end]
                    else {_sql_list(EVENT_TYPES)}[etype + 1] end as event_type,
                {ts('eff')} as effective_at,
                {ts('occ')} as occurred_at,
                {_sql_list(plans)}[plan + 1] as plan_id,
                case when etype not in (3, 4) then
                    case when alias_period then {_sql_list(period_alias)}[period + 1]
                        else {_sql_list(PERIODS)}[period + 1] end end as billing_period,
                case when etype not in (3, 4) then {num('amount', 2)} end as amount,
                case when etype not in (3, 4) then
                    case when odd_ccy then lower({_sql_list(CURRENCIES)}[ccy + 1])
                        else {_sql_list(CURRENCIES)}[ccy + 1] end end as currency,
                cast(null as varchar) as discount_pct,
                nullif({_sql_list(REASON_TEXTS)}[reason + 1], '') as churn_reason,
                cast(null as varchar) as churn_reason_secondary,
                {ts('ing')} as ingested_at
            from events""",
        "customers": f"""
            select
                'C' || lpad(cast(cust as varchar), {width}, '0') as customer_id,
                {_sql_list(NAME_A)}[1 + a] || ' ' || {_sql_list(NAME_B)}[1 + b] || ' '
                    || right(cast(cust as varchar), 3) as customer_name,
                {_sql_list(FIRST)}[1 + f] || '.' || {_sql_list(LAST)}[1 + l] || '@'
                    || lower({_sql_list(NAME_A)}[1 + a] || {_sql_list(NAME_B)}[1 + b]) || '.example' as email,
                case when alias then {_sql_list(seg_alias)}[seg + 1]
                    else {_sql_list(SEGMENTS)}[seg + 1] end as segment,
                {_sql_list(COUNTRIES)}[country + 1] as country,
                {ts('created')} as created_at
            from customers""",
        "product_usage": f"""
            select
                'C' || lpad(cast(cust as varchar), {width}, '0') as customer_id,
                {dt('day')} as activity_date,
                users as active_users,
                events as events_count
            from usage""",
        "campaigns": f"""
            select
                campaign_id, campaign_name, campaign_type, channel, target_segment,
                {ts('start')} as started_at, {ts('"end"')} as ended_at,
                {num('cost', 2)} as cost, currency
            from campaigns""",
        "campaign_members": f"""
            select
                'CMP' || lpad(cast(campaign as varchar), 3, '0') as campaign_id,
                'C' || lpad(cast(cust as varchar), {width}, '0') as customer_id,
                case when treat then 'treatment' else 'control' end as member_group,
                {ts('assigned')} as assigned_at,
                case when touched >= 0 then {ts('touched')} end as touched_at,
                case when responded >= 0 then {ts('responded')} end as responded_at
            from members""",
        "fx_rates": f"""
            select {dt('day')} as rate_date, currency, {num('rate', 6)} as rate_to_reporting
            from fx""",
        "acquisition_spend": f"""
            select cast(month as date) as month, channel, {num('spend', 2)} as spend, 'USD' as currency
            from spend""",
    }
    g, n = a.g, a.n
    crm = np.nonzero(a.in_crm)[0]
    customers = pd.DataFrame({
        "cust": crm + 1, "seg": a.seg[crm], "country": a.country[crm],
        "alias": g.random(len(crm)) < 0.25,
        "a": g.integers(0, len(NAME_A), len(crm)), "b": g.integers(0, len(NAME_B), len(crm)),
        "f": g.integers(0, len(FIRST), len(crm)), "l": g.integers(0, len(LAST), len(crm)),
        "created": np.maximum(a.c_start[crm] - (g.random(len(crm)) * 20 * DAY).astype(np.int64), 0)})
    frames = {"events": a.events, "customers": customers, "usage": a.usage, "campaigns": a.campaigns,
              "members": a.members, "fx": a.fx, "spend": a.spend}
    con = duckdb.connect()
    counts = {}
    try:
        con.execute(f"set threads = {threads}")
        con.execute("set TimeZone = 'UTC'")
        for name, frame in frames.items():
            con.register(name, frame)
        for table, query in queries.items():
            path = out / f"{table}.{fmt}"
            options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header"
            counts[table] = con.execute(f"copy ({query}) to '{path}' ({options})").fetchone()[0]  # rows written
    finally:
        con.close()
    return counts


def generate(out_dir, customers: int = 100_000, seed: int = 1, start="2022-01-01", end="2025-12-31",
             fmt: str = "parquet", threads: int = 2) -> dict[str, int]:
    """Write the seven raw tables into out_dir; return the row count of each."""
    out, start, end = checked_arguments(out_dir, customers, start, end, fmt)
    return _write(_Arrays(customers, seed, start, end), out, fmt, threads)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2022-01-01")
    ap.add_argument("--end", default="2025-12-31")
    ap.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="parquet")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads for writing the files")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(a.out, a.customers, a.seed, a.start, a.end, a.fmt, a.threads)
    for name, k in counts.items():
        print(f"{name:22s} {k:>11,d} rows")
    print(f"written to {a.out} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
