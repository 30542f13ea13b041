"""Deterministic demo data for winback: the seven raw tables of SPEC.md section 1.

    .venv/bin/python -m winback_data.generate --out data/demo --customers 2500 --seed 42

Besides the tables it writes the answer key for the junk it plants:
`_expected_rejections.csv` (source_table, source_key, reason) and `_expected_merges.csv`
(source_table, merged_duplicate_rows). Junk rows are always *extra* rows, so the real
history stays intact and the marts can be checked against it. Same seed, same bytes.
"""
from __future__ import annotations

import argparse
import calendar
import math
import itertools
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

TABLES = {
    "subscription_events": ["event_id", "customer_id", "subscription_id", "event_type", "effective_at",
                            "occurred_at", "plan_id", "billing_period", "amount", "currency", "discount_pct",
                            "churn_reason", "churn_reason_secondary", "ingested_at"],
    "customers": ["customer_id", "customer_name", "email", "segment", "country", "created_at"],
    "product_usage": ["customer_id", "activity_date", "active_users", "events_count"],
    "campaigns": ["campaign_id", "campaign_name", "campaign_type", "channel", "target_segment",
                  "started_at", "ended_at", "cost", "currency"],
    "campaign_members": ["campaign_id", "customer_id", "member_group", "assigned_at", "touched_at",
                         "responded_at"],
    "fx_rates": ["rate_date", "currency", "rate_to_reporting"],
    "acquisition_spend": ["month", "channel", "spend", "currency"],
}
# Natural key of each table, as written into _expected_rejections.source_key.
KEYS = {"subscription_events": ["event_id"], "customers": ["customer_id"],
        "product_usage": ["customer_id", "activity_date"], "campaigns": ["campaign_id"],
        "campaign_members": ["campaign_id", "customer_id"], "fx_rates": ["currency", "rate_date"],
        "acquisition_spend": ["month", "channel"]}
# Parquet column types; every other column is text. CSV is always text.
PARQUET_TYPES = {**dict.fromkeys(["effective_at", "occurred_at", "ingested_at", "created_at", "started_at",
                                  "ended_at", "assigned_at", "touched_at", "responded_at"], "ts"),
                 **dict.fromkeys(["activity_date", "rate_date", "month"], "date"),
                 **dict.fromkeys(["amount", "discount_pct", "cost", "rate_to_reporting", "spend"], "num"),
                 **dict.fromkeys(["active_users", "events_count"], "int")}

SEGMENTS = ("enterprise", "mid_market", "smb")
SEGMENT_SPELLINGS = {"enterprise": ("enterprise", "Enterprise"), "mid_market": ("mid_market", "Mid-Market"),
                     "smb": ("smb", "SMB")}
ARR_RANGE = {"enterprise": (50_000, 250_000), "mid_market": (10_000, 50_000), "smb": (1_000, 10_000)}
SEATS = {"enterprise": (30, 300), "mid_market": (8, 60), "smb": (1, 10)}
MONTHLY_CHURN = {"enterprise": 0.009, "mid_market": 0.013, "smb": 0.02}
PERIODS = ("month", "quarter", "year")
MONTHS = {"month": 1, "quarter": 3, "year": 12}
PER_YEAR = {"month": 12, "quarter": 4, "year": 1}
BILLING_MIX = {"enterprise": (10, 20, 70), "mid_market": (30, 30, 40), "smb": (75, 5, 20)}
CHANGE_HAZARD, PAUSE_HAZARD, ADDON_HAZARD = 0.012, 0.002, 0.01  # per month
COUNTRIES = {"US": 45, "GB": 12, "DE": 10, "CA": 8, "FR": 7, "NL": 5, "AU": 5, "IE": 3, "ES": 3, "SE": 2}
LOCAL_CCY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "NL": "EUR", "IE": "EUR", "ES": "EUR", "CA": "CAD"}
FX_MEAN = {"EUR": 1.08, "GBP": 1.27, "CAD": 0.74}

# Raw churn-reason texts per category; every text but those under "other" is in the
# seed churn_reason_categories (matched trimmed and lower case).
CHURN_REASON_TEXTS = {
    "budget_freeze": ("budget_freeze", "Budget freeze", "budget cuts"),
    "seasonal": ("seasonal", "Seasonal business", "off season"),
    "missing_features": ("missing_features", "Missing features", "feature gap"),
    "low_adoption": ("low_adoption", "Low adoption", "didn't achieve value", "not using it"),
    "price": ("price", "too expensive", "Too Expensive", "pricing"),
    "competitor": ("competitor", "switched to competitor", "Better alternative found"),
    "out_of_business": ("out_of_business", "company closed", "Out of business", "bankrupt"),
    "payment_failed": ("payment_failed", "card declined", "Payment failed"),
    "other": ("new CFO reviewing all tools", "project ended"),
}
REASON_CATS = (*CHURN_REASON_TEXTS, None)  # None: no reason given
REASON_WEIGHTS = {"enterprise": (25, 6, 15, 8, 10, 14, 5, 2, 3, 12),
                  "mid_market": (15, 8, 20, 10, 14, 12, 6, 5, 3, 7),
                  "smb": (8, 10, 8, 18, 20, 8, 10, 10, 3, 5)}
# Odds that a churned customer ever comes back, by reason (article 2: temporary
# causes 30-50 %, competitor < 5 %, closed companies never).
RETURN_ODDS = {"budget_freeze": 0.45, "seasonal": 0.40, "missing_features": 0.15, "low_adoption": 0.10,
               "price": 0.15, "competitor": 0.03, "out_of_business": 0.0, "payment_failed": 0.30,
               "other": 0.10, None: 0.10}
# Aliases written instead of the canonical code in a share of rows; all are in the seeds.
EVENT_ALIASES = {"subscription_started": "customer.subscription.created", "subscription_canceled": "cancelled",
                 "subscription_changed": "plan_changed", "subscription_renewed": "Subscription_Renewed"}
PERIOD_ALIASES = {"month": ("monthly", "Month"), "quarter": ("quarterly",), "year": ("annual", "yearly")}
# type: (alias, target segment, target reasons, channel, cost range, response rate,
# reactivation rate of touched members) - rates from article 2's campaign dashboard.
CAMPAIGN_TYPES = {
    "executive_outreach": ("Executive Outreach", "enterprise", {"budget_freeze", "seasonal"},
                           "AE phone + email", (15_000, 40_000), 0.45, 0.35),
    "feature_release": ("Feature Release", "mid_market", {"missing_features"}, "email + demo offer",
                        (5_000, 20_000), 0.22, 0.18),
    "onboarding_retry": ("Onboarding Retry", "smb", {"low_adoption"}, "automated email + CSM",
                         (3_000, 10_000), 0.15, 0.12),
    "winback_discount": ("win-back discount", "smb", {"price"}, "email + 20% discount",
                         (2_000, 8_000), 0.28, 0.22),
    "retargeting_ads": ("Retargeting Ads", "all", set(), "digital ads + landing page",
                        (5_000, 25_000), 0.08, 0.05),
}
ACQ_CHANNELS = {"paid_search": 0.35, "outbound": 0.30, "events": 0.20, "content": 0.15}  # share of new-logo CAC
NAME_A = ("Blue", "North", "Bright", "Quantum", "Silver", "Green", "Rapid", "Summit", "Urban", "Atlas", "Cedar")
NAME_B = ("Analytics", "Logistics", "Labs", "Foods", "Health", "Retail", "Systems", "Media", "Works", "Capital")
FIRST = ("anna", "ben", "carla", "dev", "elena", "farid", "grace", "hugo", "ines", "jon", "kim", "lena")
LAST = ("smith", "garcia", "muller", "dubois", "jansen", "brown", "rossi", "kowalski", "ng", "patel")


def add_months(dt: datetime, n: int) -> datetime:
    """Calendar month arithmetic; month ends clamp (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(dt.month - 1 + n, 12)
    y, m = dt.year + y, m + 1
    return dt.replace(year=y, month=m, day=min(dt.day, calendar.monthrange(y, m)[1]))


def round_arr(x: float) -> float:
    """Round ARR to a price point that divides exactly into monthly and quarterly charges."""
    step = 1200 if x >= 50_000 else 120
    return float(max(step, round(x / step) * step))


def ts_text(values: np.ndarray, g: np.random.Generator) -> pd.Series:
    """ISO 8601 text; most without offset (UTC), a few with `Z`, `+02:00` or `-05:00`.

    An offset is applied to the wall-clock time so that the instant stays the same."""
    a = values.astype("datetime64[s]")
    u = g.random(len(a))
    out = pd.Series(np.datetime_as_string(a, unit="s"), dtype=object)
    for lo, hi, hours, suffix in ((0.0, 0.03, 0, "Z"), (0.03, 0.06, 2, "+02:00"), (0.06, 0.075, -5, "-05:00")):
        m = (u >= lo) & (u < hi)
        out[m] = np.char.add(np.datetime_as_string(a[m] + np.timedelta64(hours, "h"), unit="s"), suffix)
    out[np.isnat(a)] = ""
    return out


def fx_walk(g: np.random.Generator, weeks: int, mean: float) -> np.ndarray:
    """Weekly rates around `mean`: a random walk in logs, pulled back 5% a week."""
    x, lx = np.empty(weeks), math.log(mean)
    x[0] = lx
    for i, e in enumerate(g.normal(0, 0.01, weeks - 1), 1):
        x[i] = x[i - 1] + e - 0.05 * (x[i - 1] - lx)
    return np.exp(x)


def money(values) -> list[str]:
    return ["" if v is None else f"{v:.2f}" for v in values]


def charge(arr: float, period: str) -> float:
    """The amount billed per period for an ARR."""
    return round(arr / PER_YEAR[period], 2)


class _World:
    """Simulates every customer's lifecycle with one seeded `random.Random` (scalar
    draws in the event loop) and one seeded numpy generator (vectorised tables)."""

    def __init__(self, customers: int, seed: int, start: date, end: date):
        self.r, self.g = random.Random(seed), np.random.default_rng(seed)
        # Junk and duplicates draw from their own stream, so --no-bad-rows gives the same real rows.
        self.jg = np.random.default_rng([seed, 1])
        self.start = datetime.combine(start, datetime.min.time())
        self.end = datetime.combine(end, datetime.max.time()).replace(microsecond=0)
        self.last_ask = self.end - timedelta(hours=1)  # keeps every occurred_at inside the range
        self.events, self.members, self.member_keys, self.sub_ids = [], [], set(), itertools.count(1)
        self.campaigns = self._campaigns()
        self.custs = [self._customer(i, customers) for i in range(customers)]
        for c in self.custs:
            self._lifecycle(c)

    # ---- customers and lifecycles -------------------------------------------------
    def _customer(self, i: int, n: int) -> dict:
        r = self.r
        seg = r.choices(SEGMENTS, (10, 30, 60))[0]
        country = r.choices(list(COUNTRIES), list(COUNTRIES.values()))[0]
        local = LOCAL_CCY.get(country, "USD")
        if i < 3:  # a few long-standing customers start 2+ years before everyone else
            t0 = self.start - timedelta(days=900 - 60 * i)
        else:  # growth: more sign-ups late in the range than early
            u = r.random()
            u = u if r.random() < 0.6 else math.sqrt(u)
            t0 = self.start + timedelta(days=((self.end - self.start).days - 2) * u)
        return {"idx": i, "id": f"C{i + 1:0{max(5, len(str(n)))}d}", "segment": seg, "country": country,
                "currency": local if local != "USD" and r.random() < 0.55 else "USD",
                "start": t0.replace(hour=r.randint(7, 20), minute=r.randint(0, 59), second=r.randint(0, 59)),
                "seats": r.randint(*SEATS[seg]), "spells": [], "returns": [], "low": False}

    def _lifecycle(self, c: dict) -> None:
        """Paying spells one after another: churn, maybe a campaign, maybe a return."""
        c["spell_from"], t, first, arr, disc = c["start"], c["start"], True, None, None
        while True:
            res = self._episode(c, t, first, arr, disc)
            if res is None or res[0] > self.end:
                return
            churn_at, cat, arr = res
            back, disc = self._comeback(c, churn_at, cat)
            if back is None:
                return
            c["returns"].append(back)
            c["spell_from"], t, first = back, back, False

    def _emit(self, c, sub, etype, eff, occ, plan, period="", amount=None, disc=None, reason=("", "")):
        cur = c["currency"] if amount is not None else ""
        self.events.append((c["id"], sub, etype, eff, occ, plan, period, amount, cur, disc, *reason))

    def _reason(self, cat) -> tuple[str, str]:
        if cat is None:
            return "", ""
        other = [k for k in CHURN_REASON_TEXTS if k not in (cat, "other")]
        second = self.r.choice(CHURN_REASON_TEXTS[self.r.choice(other)]) if self.r.random() < 0.25 else ""
        return self.r.choice(CHURN_REASON_TEXTS[cat]), second

    def _new_sub(self) -> str:
        return f"S{next(self.sub_ids):06d}"

    def _episode(self, c, t0, first, prev_arr, disc):
        """One paying spell from t0. Returns (customer churn instant, reason category,
        last ARR) or None while the customer is still active (or paused) at --end."""
        r, seg = self.r, c["segment"]
        period = r.choices(PERIODS, BILLING_MIX[seg])[0]
        if prev_arr:  # a return, sometimes at a different price
            arr = round_arr(prev_arr * r.uniform(0.7, 1.2))
        else:
            lo, hi = ARR_RANGE[seg]
            arr = round_arr(math.exp(r.uniform(math.log(lo), math.log(hi))))
        if disc:  # amount is net of the win-back discount
            arr = round(arr * (1 - disc / 100) / PER_YEAR[period], 2) * PER_YEAR[period]
        plan, sub, anchor = f"{seg}_{period}", self._new_sub(), t0
        if first and seg != "enterprise" and r.random() < 0.08:  # free trial first
            conv = t0 + timedelta(days=r.choice((14, 21, 30)))
            self._emit(c, sub, "subscription_started", t0, t0, "trial", "month", 0.0)
            if r.random() < 0.25 or conv > self.last_ask:  # never converts (never paid: no churn)
                ask = conv - timedelta(days=r.uniform(1, 5))
                if ask <= self.last_ask:
                    self._emit(c, sub, "subscription_canceled", conv, ask, "trial",
                               reason=self._reason(r.choice(("low_adoption", None))))
                c["spells"].append((t0, conv, True, False))
                return None
            self._emit(c, sub, "subscription_changed", conv, conv, plan, period, charge(arr, period))
            anchor = conv
        else:
            occ = t0 - timedelta(hours=r.uniform(0, 72))
            self._emit(c, sub, "subscription_started", t0, occ, plan, period, charge(arr, period), disc)
        cat = r.choices(REASON_CATS, REASON_WEIGHTS[seg])[0]
        c["low"] = cat == "low_adoption"  # such accounts use the product less all along
        addon_at = t0 + timedelta(days=r.uniform(30, 540)) if r.random() < 0.13 else None
        hazard = MONTHLY_CHURN[seg] * (1 if first else 1.5)  # returners churn again more often
        main = self._run_sub(c, sub, anchor, period, arr, plan, hazard, self._reason(cat),
                             pause_ok=addon_at is None)
        ask = main[0] if main else None
        churn_at = main[1] if main else None
        if addon_at and addon_at <= self.last_ask and (ask is None or addon_at < ask):  # a second subscription
            asub, aarr = self._new_sub(), round_arr(arr * r.uniform(0.1, 0.35))
            self._emit(c, asub, "subscription_started", addon_at, addon_at, "addon", period, charge(aarr, period))
            own_reason = self._reason(r.choice(("price", "low_adoption", None)))
            res = self._run_sub(c, asub, addon_at, period, aarr, "addon", ADDON_HAZARD, own_reason,
                                forced_ask=ask, main_reason=main[3] if main else None)
            if ask is not None and res is not None and res[0] >= ask:  # canceled together with the main one
                churn_at = max(churn_at, res[1])
        if main is None:
            if c["spell_from"] is not None:
                c["spells"].append((c["spell_from"], None, False, c["low"]))
            return None
        c["spells"].append((c["spell_from"], churn_at, True, c["low"]))
        return churn_at, cat, main[2]

    def _run_sub(self, c, sub, anchor, period, arr, plan, hazard, reason, forced_ask=None, pause_ok=False,
                 main_reason=None):
        """Renew one subscription period by period. A cancellation is asked for during
        a period and takes effect at its end (the paid period runs out). Returns
        (ask, effective, arr, reason) of the cancellation, or None if the subscription
        is still active or paused at --end."""
        r, m = self.r, MONTHS[period]
        p_churn, p_change = 1 - (1 - hazard) ** m, 1 - (1 - CHANGE_HAZARD) ** m
        p_pause = 1 - (1 - PAUSE_HAZARD) ** m if pause_ok else 0.0
        k, last = 0, anchor
        while True:
            b0, b1 = add_months(anchor, k * m), add_months(anchor, (k + 1) * m)
            tc = b0 + (b1 - b0) * r.uniform(0.1, 0.9)
            if r.random() < p_change and tc <= self.last_ask and (forced_ask is None or tc < forced_ask):
                factor = r.uniform(1.1, 1.6) if r.random() < 0.65 else r.uniform(0.6, 0.9)
                new = round_arr(arr * factor)
                if new != arr:
                    arr, last = new, tc
                    self._emit(c, sub, "subscription_changed", tc, tc, plan, period, charge(arr, period))
            if forced_ask is not None and forced_ask < b1:  # the whole account is leaving
                ask = max(forced_ask, last) + timedelta(seconds=r.randint(5, 300))
                self._cancel(c, sub, b1, ask, plan, period, arr, main_reason)
                return ask, b1, arr, main_reason
            u = r.random()
            if u < p_churn + p_pause:
                ask = max(b1 - timedelta(days=r.uniform(2, 45)), last + (b1 - last) / 2)
                if ask > self.last_ask:  # not asked for by --end: still a customer
                    return None
                if u < p_churn:
                    self._cancel(c, sub, b1, ask, plan, period, arr, reason)
                    return ask, b1, arr, reason
                # a pause takes ARR to 0 until the (seasonal) customer resumes
                self._emit(c, sub, "subscription_paused", b1, ask, plan, reason=self._reason("seasonal"))
                c["spells"].append((c["spell_from"], b1, True, c["low"]))
                resume = b1 + timedelta(days=r.uniform(30, 150))
                if resume > self.last_ask:
                    c["spell_from"] = None
                    return None
                self._emit(c, sub, "subscription_resumed", resume, resume, plan, period, charge(arr, period))
                c["spell_from"], anchor, k, last = resume, resume, 0, resume
                continue
            if b1 > self.end:
                return None
            self._emit(c, sub, "subscription_renewed", b1, b1, plan, period, charge(arr, period))
            k, last = k + 1, b1

    def _cancel(self, c, sub, eff, ask, plan, period, arr, reason):
        # Some billing systems repeat the last charge on a cancellation; it must not count as ARR.
        last_charge = (period, charge(arr, period)) if self.r.random() < 0.3 else ()
        self._emit(c, sub, "subscription_canceled", eff, ask, plan, *last_charge, reason=reason)

    def _comeback(self, c, churn_at, cat):
        """When (if ever) a churned customer returns, and the discount they get."""
        r, back = self.r, None
        if r.random() < RETURN_ODDS[cat]:
            if r.random() < 0.25:  # a late return, outside a 24-month reactivation window
                days = r.uniform(735, 1000)
            elif cat == "payment_failed":
                days = r.uniform(3, 40)
            else:  # most returns 30-180 days after churn, thinning out with time
                days = min(max(r.lognormvariate(math.log(80), 0.5), 20), 400)
            back = churn_at + timedelta(days=days)
        back, disc = self._campaign(c, churn_at, cat, back)
        if back is None or back > self.last_ask:
            return None, None
        if disc is None and r.random() < 0.3:
            disc = r.choice((10, 15, 20, 25, 30))
        return back, disc

    # ---- campaigns ---------------------------------------------------------------
    def _campaigns(self) -> list[dict]:
        r, n = self.r, self.r.randint(12, 20)
        types = (list(CAMPAIGN_TYPES) * 4)[:n]
        r.shuffle(types)
        lo = self.start + (self.end - self.start) * 0.15
        hi = max(lo, self.end - timedelta(days=45))
        starts = sorted((lo + (hi - lo) * r.random()).replace(hour=9, minute=0, second=0) for _ in range(n))
        eur = r.randrange(n)
        out = []
        for j, (typ, st) in enumerate(zip(types, starts)):
            alias, seg, reasons, channel, (c_lo, c_hi), resp, conv = CAMPAIGN_TYPES[typ]
            name = f"{typ.replace('_', ' ').title()} {st.year} Q{(st.month + 2) // 3}"
            out.append({"campaign_id": f"CMP{j + 1:03d}", "type": typ, "reasons": reasons, "resp": resp,
                        "conv": conv, "campaign_name": name, "campaign_type": alias if r.random() < 0.3 else typ,
                        "channel": channel, "target_segment": seg,
                        "started_at": st, "ended_at": min(st + timedelta(days=r.uniform(45, 180)), self.last_ask),
                        "cost": round(r.uniform(c_lo, c_hi), 2), "currency": "EUR" if j == eur else "USD"})
        return out

    def _campaign(self, c, churn_at, cat, back):
        """Maybe enrol a churned customer in a campaign. Touched treatment members who
        respond come back more often than the base odds (control members get only
        those), 5-80 days after the touch, so a campaign lift is visible."""
        r = self.r
        if cat == "out_of_business":  # no reactivation effort
            return back, None
        elig = [k for k in self.campaigns if k["target_segment"] in (c["segment"], "all")
                and k["started_at"] <= churn_at + timedelta(days=365)
                and k["ended_at"] >= churn_at + timedelta(days=7)
                and (k["campaign_id"], c["id"]) not in self.member_keys]
        if not elig:
            return back, None
        k = r.choice(elig)
        match = cat in k["reasons"]
        if r.random() >= (0.9 if match else 0.4):
            return back, None
        assigned = max(churn_at + timedelta(days=r.uniform(7, 30)),
                       k["started_at"] + timedelta(hours=r.uniform(1, 120)))
        if assigned > min(k["ended_at"], self.last_ask) or (back is not None and assigned >= back):
            return back, None
        treat, touched, responded, disc = r.random() < 0.8, None, None, None
        if treat and r.random() < 0.85:
            touched = assigned + timedelta(hours=r.uniform(2, 240))
            touched = touched if touched <= self.last_ask else None
        if touched and r.random() < min(0.9, k["resp"] * (1.5 if match else 1.0)):
            responded = touched + timedelta(hours=r.uniform(6, 336))
            responded = responded if responded <= self.last_ask else None
        not_back_yet = responded and (back is None or back > touched + timedelta(days=80))
        if not_back_yet and r.random() < k["conv"] / k["resp"]:
            lo = max(5.0, (responded - touched).total_seconds() / 86400 + 1)
            back = touched + timedelta(days=r.uniform(lo, 80))
            disc = 20 if k["type"] == "winback_discount" else None
        self.member_keys.add((k["campaign_id"], c["id"]))
        group = "treatment" if treat else "control"
        self.members.append((k["campaign_id"], c["id"], group, assigned, touched, responded))
        return back, disc

    # ---- tables ------------------------------------------------------------------
    def tables(self, bad_rows: bool) -> dict[str, pd.DataFrame]:
        """Text tables in contract column order, plus helper columns `_reason` (the
        planted rejection reason, '' for real rows) and `_dup` (an extra copy)."""
        camp = pd.DataFrame(self.campaigns)
        for col in ("started_at", "ended_at"):
            camp[col] = ts_text(camp[col].to_numpy(), self.g)
        camp["cost"] = money(camp["cost"])
        t = {"subscription_events": self._events_table(bad_rows), "customers": self._customers_table(bad_rows),
             "product_usage": self._usage_table(bad_rows), "campaigns": camp,
             "campaign_members": self._members_table(bad_rows), "fx_rates": self._fx_table(bad_rows),
             "acquisition_spend": self._spend_table(bad_rows)}
        for name, df in t.items():
            for col, default in (("_reason", ""), ("_dup", False)):  # real rows of a concat hold NaN
                df[col] = df[col].fillna(default).astype(type(default)) if col in df else default
            t[name] = df[TABLES[name] + ["_reason", "_dup"]].reset_index(drop=True)
        return t

    def _events_table(self, bad_rows: bool) -> pd.DataFrame:
        g, cols = self.g, [c for c in TABLES["subscription_events"] if c not in ("event_id", "ingested_at")]
        df = pd.DataFrame(self.events, columns=cols, dtype=object)
        df = df.iloc[np.lexsort((df["subscription_id"], df["occurred_at"]))].reset_index(drop=True)
        n = len(df)
        df.insert(0, "event_id", [f"E{i + 1:07d}" for i in range(n)])  # ids in the order events were recorded
        eff, occ = (df[c].to_numpy().astype("datetime64[s]") for c in ("effective_at", "occurred_at"))
        lag = g.integers(60, 6 * 3600, n).astype("timedelta64[s]")  # loaded a little after it happened
        amount = df["amount"].to_numpy()
        alias = g.random(n) < 0.06
        df.loc[alias, "event_type"] = [EVENT_ALIASES.get(e, e) for e in df["event_type"][alias]]
        alias = (g.random(n) < 0.1) & (df["billing_period"] != "")
        df.loc[alias, "billing_period"] = [PERIOD_ALIASES[p][i % len(PERIOD_ALIASES[p])]
                                           for i, p in enumerate(df["billing_period"][alias])]
        odd = (g.random(n) < 0.05) & (df["currency"] != "")
        df.loc[odd, "currency"] = [c.lower() if i % 2 else c.capitalize()
                                   for i, c in enumerate(df["currency"][odd])]
        df["effective_at"], df["occurred_at"], df["ingested_at"] = (ts_text(x, g) for x in (eff, occ, occ + lag))
        df["amount"] = money(amount)
        df["discount_pct"] = ["" if d is None else str(d) for d in df["discount_pct"]]
        df["_key"] = (occ + lag).astype("int64")
        if not bad_rows:
            return df.drop(columns="_key")
        # Identical copies (a redelivered message) ...
        jg = self.jg
        pick = jg.permutation(n)
        n_same, n_conf = max(1, round(n * 0.005)), max(1, min(12, n // 5000))
        same = df.iloc[np.sort(pick[:n_same])].assign(_dup=True)
        # ... and stale copies: a different amount loaded EARLIER than the real row, which must win.
        conf_idx = np.sort([i for i in pick[n_same:] if amount[i] is not None and amount[i] > 0][:n_conf])
        conf = df.iloc[conf_idx].assign(_dup=True)
        conf["amount"] = money(round(amount[i] * jg.uniform(0.5, 0.95), 2) for i in conf_idx)
        shorter = (lag[conf_idx].astype("int64") * jg.uniform(0.2, 0.8, len(conf_idx))).astype("timedelta64[s]")
        conf["ingested_at"] = np.datetime_as_string(occ[conf_idx] + shorter, unit="s")
        conf["_key"] = (occ[conf_idx] + shorter).astype("int64")
        out = pd.concat([df, same, conf, self._junk_events(n)], ignore_index=True)
        return out.iloc[np.argsort(out["_key"].to_numpy(), kind="stable")].drop(columns="_key")

    def _junk_events(self, n: int) -> pd.DataFrame:
        """~0.3 % extra rows that each break exactly one rule."""
        g, rows = self.jg, []
        bad = [("unknown_event_type", "event_type", "subscription_exploded"),
               ("unparseable_effective_at", "effective_at", "2024-13-45T99:00"),
               ("negative_amount", "amount", "-120.00"), ("unknown_currency", "currency", "XYZ"),
               ("unknown_billing_period", "billing_period", "fortnight"),
               ("missing_customer_id", "customer_id", ""),
               ("unparseable_amount", "amount", "12,3x")]
        span = int((self.last_ask - self.start).total_seconds())
        for j in range(max(len(bad), round(n * 0.003))):
            reason, col, value = bad[j % len(bad)]
            if reason == "unknown_currency" and j // len(bad) % 2:
                value = "US$"
            at = np.datetime64(self.start, "s") + np.timedelta64(int(g.integers(0, span)), "s")
            ing = at + np.timedelta64(int(g.integers(60, 3600)), "s")
            row = {"event_id": f"EBAD{j + 1:04d}", "subscription_id": f"SBAD{j + 1:04d}",
                   "customer_id": self.custs[int(g.integers(len(self.custs)))]["id"],
                   "event_type": "subscription_changed", "effective_at": str(at), "occurred_at": str(at),
                   "plan_id": "smb_month", "billing_period": "month",
                   "amount": "99.00", "currency": "USD", "discount_pct": "", "churn_reason": "",
                   "churn_reason_secondary": "", "ingested_at": str(ing), "_reason": reason,
                   "_key": ing.astype("int64")}
            rows.append({**row, col: value})
        return pd.DataFrame(rows)

    def _customers_table(self, bad_rows: bool) -> pd.DataFrame:
        r, n = self.r, len(self.custs)
        # ~1 % of paying accounts are missing from the CRM export (allowed: segment 'unknown')
        missing = set(r.sample(range(3, n), max(1, round(n * 0.01)))) if n > 3 else set()
        keep = [c for c in self.custs if c["idx"] not in missing]
        names = [(r.choice(NAME_A), r.choice(NAME_B)) for _ in keep]
        created = np.array([c["start"] - timedelta(days=r.uniform(0, 20)) for c in keep], "datetime64[s]")
        df = pd.DataFrame({
            "customer_id": [c["id"] for c in keep],
            "customer_name": [f"{a} {b} {c['id'][-3:]}" for (a, b), c in zip(names, keep)],
            "email": [f"{r.choice(FIRST)}.{r.choice(LAST)}@{a.lower()}{b.lower()}.example" for a, b in names],
            "segment": [r.choices(SEGMENT_SPELLINGS[c["segment"]], (3, 1))[0] for c in keep],
            "country": [c["country"] for c in keep], "created_at": ts_text(created, self.g)})
        if not bad_rows:
            return df
        dups = df.iloc[np.sort(self.jg.choice(len(df), min(2, len(df)), replace=False))].assign(_dup=True)
        junk = pd.DataFrame({"customer_id": ["CBAD01", "CBAD02"], "customer_name": ["Nebula Corp", "Orbit Ltd"],
                             "email": ["ops@nebula.example", "ops@orbit.example"], "segment": "galactic",
                             "country": "US", "created_at": str(np.datetime64(self.start, "s")),
                             "_reason": "unknown_segment"})
        return pd.concat([df, dups, junk]).sort_values("customer_id", kind="stable")

    def _usage_table(self, bad_rows: bool) -> pd.DataFrame:
        """One row per customer per active day, drawn from a customers x days matrix of
        daily activity probabilities (vectorised; this is the big table)."""
        g = self.g
        day0 = np.datetime64(min(c["start"] for c in self.custs).date())
        days = np.arange(day0, np.datetime64(self.end.date()) + 1)
        nd, n = len(days), len(self.custs)
        idx = lambda dt: int((np.datetime64(dt.date()) - day0).astype(int))
        p = np.zeros((n, nd), np.float32)
        paid = np.zeros((n, nd), bool)
        base = g.uniform(0.4, 0.7, n).astype(np.float32)
        for i, c in enumerate(self.custs):
            p[i, idx(c["start"]):] = 0.01  # occasional visits while not paying
            for a, b, thins, low in c["spells"]:
                lo, hi = idx(a), nd if b is None else min(nd, idx(b))
                p[i, lo:hi] = base[i] * (0.5 if low else 1.0)
                paid[i, lo:hi] = True
                if thins:  # activity fades over the 60-90 days before a churn
                    w = int(g.integers(60, 91))
                    ramp = np.linspace(1.0, 0.1, w, dtype=np.float32)
                    s = max(lo, idx(b) - w)
                    if s < hi:
                        p[i, s:hi] *= ramp[s - (idx(b) - w): hi - (idx(b) - w)]
            for back in c["returns"]:  # they look around before coming back
                lo = max(0, idx(back) - 30)
                p[i, lo:idx(back)] = np.maximum(p[i, lo:idx(back)], 0.08)
        hit = g.random((n, nd), dtype=np.float32) < p
        ci, di = np.nonzero(hit)
        seats = np.array([c["seats"] for c in self.custs])
        users = np.where(paid[ci, di], np.maximum(1, g.binomial(seats[ci], g.uniform(0.2, 0.6, len(ci)))),
                         g.integers(1, 3, len(ci)))
        ids = np.array([c["id"] for c in self.custs], dtype=object)
        events = users * g.integers(2, 25, len(ci)) + g.integers(0, 10, len(ci))
        df = pd.DataFrame({"customer_id": ids[ci], "activity_date": np.datetime_as_string(days[di]).astype(object),
                           "active_users": users, "events_count": events})
        if not bad_rows:
            return df
        # the negative row sits on a day without real activity, so its key is unique
        fi, fd = np.nonzero(~hit[:, nd // 2:])
        k = int(self.jg.integers(len(fi)))
        junk = pd.DataFrame({"customer_id": [ids[0], ids[fi[k]]],
                             "activity_date": [f"{self.end.year}-02-30", str(days[nd // 2 + fd[k]])],
                             "active_users": [3, -3], "events_count": [40, 12],
                             "_reason": ["unparseable_activity_date", "negative_active_users"]})
        return pd.concat([df, junk], ignore_index=True)

    def _members_table(self, bad_rows: bool) -> pd.DataFrame:
        df = pd.DataFrame(self.members, columns=TABLES["campaign_members"], dtype=object)
        for col in ("assigned_at", "touched_at", "responded_at"):  # None (not touched, no response) -> ''
            df[col] = ts_text(np.array(df[col].tolist(), "datetime64[s]"), self.g)
        if bad_rows:  # for a customer not in that campaign, so the key is unique
            k = self.campaigns[0]
            cid = next(c["id"] for c in self.custs if (k["campaign_id"], c["id"]) not in self.member_keys)
            junk = {"campaign_id": k["campaign_id"], "customer_id": cid, "member_group": "holdout-ish",
                    "assigned_at": str(np.datetime64(k["started_at"], "s")), "touched_at": "", "responded_at": "",
                    "_reason": "unknown_member_group"}
            df = pd.concat([df, pd.DataFrame([junk])], ignore_index=True)
        return df

    def _fx_table(self, bad_rows: bool) -> pd.DataFrame:
        """Weekly rates (Mondays) from before the first event: every non-USD amount has
        a rate in force on its date. A mean-reverting random walk around FX_MEAN."""
        g = self.g
        first = np.datetime64(min(min(e[3] for e in self.events), self.campaigns[0]["started_at"]).date()) - 14
        first -= (first.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-05 was a Monday
        weeks = np.arange(first, np.datetime64(self.end.date()) + 1, 7)
        parts = []
        for cur, mu in FX_MEAN.items():
            parts.append(pd.DataFrame({"rate_date": np.datetime_as_string(weeks).astype(object), "currency": cur,
                                       "rate_to_reporting": [f"{v:.6f}" for v in fx_walk(g, len(weeks), mu)]}))
        if bad_rows:  # on a Wednesday, so it collides with no real row
            parts.append(pd.DataFrame({"rate_date": [str(weeks[0] + 2)], "currency": ["EUR"], "rate_to_reporting":
                                       ["n/a"], "_reason": ["unparseable_rate_to_reporting"]}))
        return pd.concat(parts, ignore_index=True)

    def _spend_table(self, bad_rows: bool) -> pd.DataFrame:
        """New-logo spend per month and channel, scaled to the month's new customers."""
        months = pd.period_range(self.start, self.end, freq="M")
        new = pd.Series([c["start"].strftime("%Y-%m") for c in self.custs]).value_counts()
        rows = [{"month": f"{mo}-01", "channel": ch, "currency": "USD",
                 "spend": f"{(new.get(str(mo), 0) * 4000 + 1500) * share * self.g.uniform(0.7, 1.3):.2f}"}
                for mo in months for ch, share in ACQ_CHANNELS.items()]
        if bad_rows:  # a channel used nowhere else, so the key is unique
            rows.append({"month": f"{months[0]}-01", "channel": "affiliates", "spend": "-1500.00",
                         "currency": "USD", "_reason": "negative_spend"})
        return pd.DataFrame(rows)


def _write(df: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        df.to_csv(path.with_suffix(".csv"), index=False, lineterminator="\n")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq
    arrays = {}
    for col in df.columns:
        s = df[col].replace("", None) if df[col].dtype == object else df[col]
        kind = PARQUET_TYPES.get(col, "str")
        if kind == "ts":
            v = pd.to_datetime(s, utc=True, format="ISO8601").dt.as_unit("us")
            arrays[col] = pa.array(v, type=pa.timestamp("us", tz="UTC"))
        elif kind == "date":
            arrays[col] = pa.array(pd.to_datetime(s, format="%Y-%m-%d").dt.date, type=pa.date32())
        elif kind in ("num", "int"):
            arrays[col] = pa.array(pd.to_numeric(s), type=pa.float64() if kind == "num" else pa.int64())
        else:
            arrays[col] = pa.array(s, type=pa.string())
    pq.write_table(pa.table(arrays), path.with_suffix(".parquet"))


def _rebase_fx(fx: pd.DataFrame, reporting_currency: str) -> pd.DataFrame:
    """The same rates expressed in another reporting currency R: X -> R is (X -> USD) /
    (R -> USD) on each rate date, and USD -> R is 1 / (R -> USD). Planted bad rows stay."""
    if reporting_currency not in FX_MEAN:
        raise ValueError(f"reporting_currency must be USD or one of {sorted(FX_MEAN)}")
    good = fx[fx.get("_reason", pd.Series("", index=fx.index)).fillna("") == ""]
    bad = fx.drop(good.index)
    usd = good.pivot(index="rate_date", columns="currency", values="rate_to_reporting").astype(float)
    base = usd[reporting_currency]
    parts = [pd.DataFrame({"rate_date": usd.index, "currency": "USD",
                           "rate_to_reporting": [f"{v:.6f}" for v in 1 / base]})]
    for cur in usd.columns:
        if cur != reporting_currency:
            parts.append(pd.DataFrame({"rate_date": usd.index, "currency": cur,
                                       "rate_to_reporting": [f"{v:.6f}" for v in usd[cur] / base]}))
    return pd.concat(parts + [bad], ignore_index=True)


def checked_arguments(out_dir, customers: int, start, end, fmt: str) -> tuple[Path, date, date]:
    """The output folder (created) and the range as dates, or a ValueError naming what is wrong."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    start, end = (d if isinstance(d, date) else date.fromisoformat(str(d)) for d in (start, end))
    if end <= start or customers < 1:
        raise ValueError("need end > start and at least one customer")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out, start, end


def generate(out_dir, customers: int = 2500, seed: int = 42, start="2022-01-01", end="2025-12-31",
             bad_rows: bool = True, fmt: str = "csv", reporting_currency: str = "USD") -> dict:
    """Write the seven raw tables and the answer key into out_dir; return row counts per table.

    Parquet holds typed columns, so the junk rows that exist only as unparseable text
    (reasons `unparseable_*`) are not planted in that format. With another
    reporting_currency (EUR, GBP or CAD) fx_rates holds the rates to that currency, for
    a build with the var reporting_currency set to it."""
    out, start, end = checked_arguments(out_dir, customers, start, end, fmt)
    tables = _World(customers, seed, start, end).tables(bad_rows)
    if reporting_currency != "USD":
        tables["fx_rates"] = _rebase_fx(tables["fx_rates"], reporting_currency)
    rejections, merges, counts = [], [], {}
    for name, df in tables.items():
        if fmt == "parquet":
            df = df[~df["_reason"].str.startswith("unparseable_")]
        bad = df[df["_reason"] != ""]
        keys = bad[KEYS[name]].astype(str).agg("|".join, axis=1) if len(bad) else pd.Series(dtype=object)
        rejections += [(name, k, reason) for k, reason in zip(keys, bad["_reason"])]
        merges.append((name, int(df["_dup"].sum())))
        _write(df[TABLES[name]], out / name, fmt)
        counts[name] = len(df)
    pd.DataFrame(sorted(rejections), columns=["source_table", "source_key", "reason"]).to_csv(
        out / "_expected_rejections.csv", index=False, lineterminator="\n")
    pd.DataFrame(merges, columns=["source_table", "merged_duplicate_rows"]).to_csv(
        out / "_expected_merges.csv", index=False, lineterminator="\n")
    return counts


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="data/demo")
    ap.add_argument("--customers", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--start", default="2022-01-01")
    ap.add_argument("--end", default="2025-12-31")
    ap.add_argument("--no-bad-rows", dest="bad_rows", action="store_false", help="plant no junk or duplicate rows")
    ap.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv")
    ap.add_argument("--reporting-currency", default="USD", choices=("USD", *sorted(FX_MEAN)),
                    help="write fx_rates as rates to this currency")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(a.out, a.customers, a.seed, a.start, a.end, a.bad_rows, a.fmt,
                      a.reporting_currency)
    for name, k in counts.items():
        print(f"{name:22s} {k:>9,d} rows")
    print(f"written to {a.out} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
